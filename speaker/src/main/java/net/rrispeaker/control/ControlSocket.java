package net.rrispeaker.control;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API's Unix socket file, from claiming its path to removing it.
 *
 * <ol>
 *   <li>{@link #claim}: the directory is created if missing (mode 0750, and the group of
 *       {@code group NAME} if one is given); a file already at the path is replaced only if it is a
 *       socket of this user that nobody answers on (left by a speaker that died); a socket that
 *       answers means another speaker, a file of another kind or another user's socket is left
 *       alone, and either way the speaker does not start. The server is then bound in a private
 *       directory beside the path (mode 0700), where nobody else can connect.</li>
 *   <li>{@link #publish}: the bound socket gets its final mode (0600, or 0660 and the group) and is
 *       then hard-linked to the path, which fails if anything appeared there meanwhile. So the socket
 *       is never reachable under a looser mode than its final one, whatever the process umask.</li>
 *   <li>{@link #close}: the path is removed if it is still this socket.</li>
 * </ol>
 */
final class ControlSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlSocket.class);
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-x---");
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_AND_GROUP = PosixFilePermissions.fromString("rw-rw----");
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    /** sun_path: 108 bytes with the terminating NUL. */
    private static final int MAX_PATH = 107;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private final GroupPrincipal group;
    private final String groupName;
    private final Path privateDir;
    private final Path bound;
    private final int ownerUid;
    private Object fileKey;
    private int groupGid = -1;

    private ControlSocket(Path path, GroupPrincipal group, String groupName, Path privateDir, int ownerUid) {
        this.path = path;
        this.group = group;
        this.groupName = groupName;
        this.privateDir = privateDir;
        this.bound = privateDir.resolve("s");
        this.ownerUid = ownerUid;
    }

    /**
     * Makes {@code path} ready for a new socket (see the class comment); the server then binds at
     * {@link #bindPath()}. Throws an {@link IOException} that says what is in the way.
     *
     * @param groupName {@code group NAME} of {@code rri control-api}, or null
     */
    static ControlSocket claim(Path path, String groupName) throws IOException {
        path = path.toAbsolutePath().normalize();
        GroupPrincipal group = null;
        if (groupName != null) {
            try {
                group = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(groupName);
            } catch (UserPrincipalNotFoundException e) {
                throw new IOException("control-api " + path + ": group '" + groupName + "' does not exist");
            }
        }
        Path dir = path.getParent();
        makeDirectory(dir, group);
        Path privateDir = privateDirectory(dir, path);
        int uid = (Integer) Files.getAttribute(privateDir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        ControlSocket s = new ControlSocket(path, group, groupName, privateDir, uid);
        try {
            if (group != null) {
                // The private directory takes the group first (its 0700 grants the group nothing): this
                // finds out now whether the group can be given, and which gid it is.
                s.groupGid = s.giveGroup(privateDir);
            }
            if (s.bound.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
                throw new IOException("control-api " + path + ": the path is too long to bind beside it (" + s.bound
                        + " is longer than " + MAX_PATH + " bytes); choose a shorter one");
            }
            s.clearStale();
        } catch (IOException | RuntimeException e) {
            s.removePrivate();
            throw e;
        }
        return s;
    }

    /** Where the server binds first (inside the private directory). */
    Path bindPath() {
        return bound;
    }

    /** The socket's path once published. */
    Path path() {
        return path;
    }

    /** The user id the socket belongs to: the speaker's own (effective) user. */
    int ownerUid() {
        return ownerUid;
    }

    /** The group id of {@code group NAME}; negative without a group. */
    int groupGid() {
        return groupGid;
    }

    String groupName() {
        return groupName;
    }

    /** After the server is bound at {@link #bindPath()}: final mode and group, then into place. */
    void publish() throws IOException {
        // By path, following links: a socket cannot be opened to change it through a descriptor, and
        // nobody else can put a link into the private directory.
        Files.setPosixFilePermissions(bound, group == null ? OWNER_ONLY : OWNER_AND_GROUP);
        if (group != null) {
            giveGroup(bound);
        }
        try {
            Files.createLink(path, bound);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("control-api " + path + ": something appeared there while this speaker was starting "
                    + "(another speaker starting at the same time?)", e);
        }
        fileKey = Files.readAttributes(path, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey();
        removePrivate();
    }

    /** Gives {@code p} to the configured group; returns the group's id. */
    private int giveGroup(Path p) throws IOException {
        try {
            Files.getFileAttributeView(p, PosixFileAttributeView.class).setGroup(group);
        } catch (IOException e) {
            throw new IOException("control-api " + path + ": cannot give the socket to group " + groupName + " ("
                    + e.getMessage() + "); the speaker's user must be root or a member of " + groupName, e);
        }
        return (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    /** Removes the socket file if it is still the one this speaker published, and the private directory. */
    @Override
    public void close() {
        removePrivate();
        if (fileKey == null) {
            return;
        }
        try {
            Object now = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            if (Objects.equals(now, fileKey)) {
                Files.delete(path);
            }
        } catch (NoSuchFileException gone) {
            // someone removed it already
        } catch (IOException e) {
            log.debug("could not remove {}", path, e);
        }
        fileKey = null;
    }

    private void removePrivate() {
        try {
            Files.deleteIfExists(bound);
            Files.deleteIfExists(privateDir);
        } catch (IOException e) {
            log.debug("could not remove {}", privateDir, e);
        }
    }

    /** A file at the path: a stale socket of ours is removed; anything else stops the start. */
    private void clearStale() throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException free) {
            return;
        }
        int mode = (Integer) a.get("mode");
        int uid = (Integer) a.get("uid");
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException("control-api " + path + ": exists and is not a socket; refusing to replace it "
                    + "(remove it, or choose another rri control-api path)");
        }
        if (uid != ownerUid) {
            throw new IOException("control-api " + path + ": a socket of uid " + uid + ", not of this speaker's user (uid "
                    + ownerUid + "); refusing to replace it (remove it if it is stale)");
        }
        if (answers(path)) {
            throw new IOException("control-api " + path + ": another process is serving on this socket (a speaker "
                    + "already running?); stop it, or give this speaker another rri control-api");
        }
        Files.delete(path);
        log.info("control API: removed the stale socket {} (nobody answered on it)", path);
    }

    /** True if something accepts connections on the socket at {@code p} (or might: a full backlog). */
    static boolean answers(Path p) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.configureBlocking(false);
            ch.connect(UnixDomainSocketAddress.of(p));
            return true;
        } catch (ConnectException refused) {
            return false;
        } catch (IOException e) {
            throw new IOException("control-api " + p + ": cannot tell whether another process serves on it: "
                    + e.getMessage(), e);
        }
    }

    /** Creates {@code dir} and its missing parents with mode 0750 (and {@code group}); checks an existing one. */
    private static void makeDirectory(Path dir, GroupPrincipal group) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path d = dir; d != null && !Files.exists(d, LinkOption.NOFOLLOW_LINKS); d = d.getParent()) {
            missing.push(d);
        }
        if (missing.isEmpty()) {
            if (!Files.isDirectory(dir)) {
                throw new IOException("control-api: " + dir + " is not a directory");
            }
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
            int mode = (Integer) Files.getAttribute(dir, "unix:mode");
            boolean sticky = (mode & 01000) != 0;
            if (!sticky && (p.contains(PosixFilePermission.OTHERS_WRITE) || p.contains(PosixFilePermission.GROUP_WRITE))) {
                log.warn("control API: {} is writable by others than its owner; they could replace the control socket "
                        + "(make it 0750 or 0755)", dir);
            }
            return;
        }
        for (Path d : missing) {
            try {
                Files.createDirectory(d);
            } catch (FileAlreadyExistsException raced) {
                continue;
            }
            // The process umask may have taken bits away; set exactly 0750 (never more open than asked).
            PosixFileAttributeView view = Files.getFileAttributeView(d, PosixFileAttributeView.class);
            view.setPermissions(DIR_MODE);
            if (group != null) {
                try {
                    view.setGroup(group);
                } catch (IOException e) {
                    throw new IOException("control-api: cannot give " + d + " to group " + group.getName() + " ("
                            + e.getMessage() + "); the speaker's user must be root or a member of it", e);
                }
            }
            log.info("control API: created {} (mode 0750{})", d, group == null ? "" : ", group " + group.getName());
        }
    }

    /** A new directory beside the socket path that only this user may enter. */
    private static Path privateDirectory(Path dir, Path path) throws IOException {
        SecureRandom random = new SecureRandom();
        for (int attempt = 0; ; attempt++) {
            Path d = dir.resolve("." + Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
            try {
                Files.createDirectory(d, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
                Files.setPosixFilePermissions(d, PRIVATE_DIR);
                return d;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 5) {
                    throw new IOException("control-api " + path + ": cannot make a private directory in " + dir, e);
                }
            }
        }
    }
}
