package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.Daemon;
import net.rrispeaker.lab.Exec;
import net.rrispeaker.lab.SpeakerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real speaker jar's control socket against real users: root (this test) is served, user
 * nobody (the CLI run through {@code setpriv --reuid=65534 --regid=65534 --clear-groups}) is not,
 * unless the socket's group is nobody's, and then only to read. No charon or gobgpd is needed: the
 * control API answers while the speaker waits for them. Runs as root.
 */
class ControlAccessIT {
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;
    private Path jar;
    private Path socket;
    private final List<Daemon> speakers = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        // nobody must be able to reach the jar and the socket's directory: whatever refuses it is
        // then the socket itself, not a directory on the way
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        jar = Files.copy(SpeakerProcess.defaultJar(), dir.resolve("rri-speaker.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        Path run = Files.createDirectory(dir.resolve("run"));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        socket = run.resolve("control.sock");
    }

    @AfterEach
    void stopSpeakers() {
        speakers.forEach(d -> d.stop(Duration.ofSeconds(10)));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Path config(String controlLine) throws IOException {
        return Files.writeString(dir.resolve("speaker.conf"), """
                rri vici-socket %1$s/no-charon.vici
                rri gobgp-api unix:%1$s/no-gobgpd.sock
                rri metrics-listen none
                %2$s
                """.formatted(dir, controlLine));
    }

    private Daemon startSpeaker(Path config) {
        Daemon d = Daemon.start("speaker", dir.resolve("speaker.log"), Map.of(),
                List.of(java(), "-jar", jar.toString(), "--config", config.toString()));
        speakers.add(d);
        Await.until(Duration.ofSeconds(30), "speaker control socket " + socket, () -> {
            if (!d.alive()) {
                throw new IllegalStateException("speaker exited with " + d.exitValue() + ":\n" + d.logTail(20));
            }
            return cli(List.of(), "show", "status").exitCode() == 0;
        });
        return d;
    }

    /** {@code rri-speaker ARGS --control unix:SOCKET}, as root or (with a prefix) as another user. */
    private Exec.Result cli(List<String> asUser, String... args) {
        List<String> cmd = new ArrayList<>(asUser);
        cmd.addAll(List.of(java(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--control", "unix:" + socket));
        return Exec.run(Duration.ofSeconds(60), Map.of(), cmd);
    }

    private static List<String> as(int uid, int gid) {
        return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups");
    }

    @Test
    void byDefaultRootIsServedAndAnUnprivilegedUserCannotEvenConnect() throws Exception {
        startSpeaker(config("rri control-api unix:" + socket));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));

        Exec.Result root = cli(List.of(), "show", "status");
        assertEquals(0, root.exitCode(), root.stderr());
        assertTrue(root.stdout().contains("vici   DOWN"), root.stdout());

        for (String[] what : new String[][] {{"show", "status"}, {"show", "sa"}, {"reload"}}) {
            Exec.Result r = cli(as(NOBODY, NOBODY), what);
            assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
            assertTrue(r.stderr().contains("cannot connect to the control socket: permission denied"), r.stderr());
        }
        assertEquals(0, cli(List.of(), "reload").exitCode(), "root still may");
    }

    @Test
    void withTheGroupOfTheUserItMayReadButNotReload() throws Exception {
        String nogroup = Files.readAllLines(Path.of("/etc/group")).stream()
                .filter(l -> l.split(":").length > 2 && l.split(":")[2].equals(Integer.toString(NOBODY)))
                .map(l -> l.split(":")[0]).findFirst().orElseThrow(() -> new AssertionError("no group 65534"));
        startSpeaker(config("rri control-api unix:" + socket + " group " + nogroup));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));

        Exec.Result show = cli(as(NOBODY, NOBODY), "show", "status");
        assertEquals(0, show.exitCode(), show.stderr());
        Exec.Result reload = cli(as(NOBODY, NOBODY), "reload");
        assertEquals(1, reload.exitCode(), reload.stdout() + reload.stderr());
        assertTrue(reload.stderr().startsWith("reload: refused by the speaker: uid 65534 gid 65534"), reload.stderr());
        assertTrue(reload.stderr().contains("may read but not reload"), reload.stderr());
        // a user of another group: the kernel already refuses the connection (0660)
        Exec.Result other = cli(as(NOBODY, 12345), "show", "status");
        assertEquals(1, other.exitCode());
        assertTrue(other.stderr().contains("permission denied"), other.stderr());
    }

    @Test
    void aSecondSpeakerOnTheSameSocketStopsWithAClearErrorAndTheFirstKeepsServing() throws Exception {
        Path conf = config("rri control-api unix:" + socket);
        startSpeaker(conf);
        Exec.Result second = Exec.run(Duration.ofSeconds(60), Map.of(),
                List.of(java(), "-jar", jar.toString(), "--config", conf.toString()));
        assertEquals(1, second.exitCode(), second.stdout() + second.stderr());
        assertTrue(second.stderr().contains("rri-speaker: cannot start: control-api " + socket
                + ": another process is serving on this socket"), second.stdout() + second.stderr());
        assertEquals(0, cli(List.of(), "show", "status").exitCode(), "the first still answers");
    }

    @Test
    void aSocketLeftByAKilledSpeakerIsReplacedOnTheNextStart() throws Exception {
        Path conf = config("rri control-api unix:" + socket);
        startSpeaker(conf).kill();
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "SIGKILL leaves the socket file");
        startSpeaker(conf);
        assertEquals(0, cli(List.of(), "show", "status").exitCode());
    }
}
