package net.rrispeaker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.rrispeaker.config.ControlApiSettings;
import net.rrispeaker.control.api.RriControlGrpc;
import net.rrispeaker.control.api.StatusRequest;
import net.rrispeaker.control.api.StatusResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control API on a real Unix socket. These tests bind Unix sockets in a temp dir (no network):
 * what the kernel does with modes, stale sockets and peer credentials cannot be shown in-process.
 */
class UnixControlSocketTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> toClose = new java.util.ArrayList<>();
    private final EpollEventLoopGroup clientLoop = new EpollEventLoopGroup(1);

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private ControlServer listen(Path socket, String group) throws IOException {
        ControlServer s = ControlServer.listen(new ControlApiSettings("unix:" + socket, group, null, null, null),
                new SimpleMeterRegistry());
        toClose.add(s);
        return s;
    }

    private InProcessSpeaker speaker() throws Exception {
        InProcessSpeaker sp = new InProcessSpeaker(Files.createTempDirectory(dir, "speaker"), InProcessSpeaker.CONFIG);
        toClose.add(sp);
        return sp;
    }

    /** {@code show status} over the socket, as the CLI connects. */
    private StatusResponse status(Path socket) {
        ManagedChannel ch = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString())).usePlaintext()
                .eventLoopGroup(clientLoop).channelType(EpollDomainSocketChannel.class).build();
        try {
            return RriControlGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance());
        } finally {
            ch.shutdownNow();
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean isSocket(Path p) throws IOException {
        return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000) == 0140000;
    }

    @Test
    void theSocketIsOwnerOnlyInA0750DirectoryItCreatedAndItsOwnerIsServed() throws Exception {
        Path socket = dir.resolve("run/rri/control.sock");
        ControlServer s = listen(socket, null);
        assertTrue(isSocket(socket));
        assertEquals("rw-------", mode(socket));
        assertEquals("rwxr-x---", mode(socket.getParent()));
        try (Stream<Path> files = Files.list(socket.getParent())) {
            assertEquals(List.of(socket), files.toList(), "nothing left beside it");
        }
        speaker().serveOn(s);
        // This test runs as root or as the socket's owner: both are allowed everything. A connection
        // whose kernel credentials were not read would be refused (PERMISSION_DENIED) instead.
        assertEquals(2, status(socket).getComponentsCount());
    }

    @Test
    void whileTheServerBindsTheSocketSitsInADirectoryOnlyItsUserCanEnter() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (ControlSocket claimed = ControlSocket.claim(socket, null)) {
            assertEquals("rwx------", mode(claimed.bindPath().getParent()));
            assertFalse(Files.exists(socket), "not at its path before it has its final mode");
            try (ServerSocketChannel bound = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                bound.bind(UnixDomainSocketAddress.of(claimed.bindPath()));
                claimed.publish();
                assertEquals("rw-------", mode(socket));
                assertFalse(Files.exists(claimed.bindPath().getParent()), "the private directory is gone");
            }
        }
        assertFalse(Files.exists(socket), "closing removes it");
    }

    @Test
    void withAGroupTheSocketIs0660AndBelongsToTheGroup() throws Exception {
        // a group this test's user surely may give files to: its own
        String group = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        Path socket = dir.resolve("control.sock");
        listen(socket, group);
        assertEquals("rw-rw----", mode(socket));
        assertEquals(Files.getAttribute(dir, "unix:gid"), Files.getAttribute(socket, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void anUnknownGroupStopsTheStartNamingIt() {
        IOException e = assertThrows(IOException.class, () -> listen(dir.resolve("control.sock"), "no-such-group-rri"));
        assertEquals("control-api " + dir.resolve("control.sock") + ": group 'no-such-group-rri' does not exist", e.getMessage());
    }

    @Test
    void aSecondSpeakerOnTheSamePathFailsClearlyAndTheFirstKeepsServing() throws Exception {
        Path socket = dir.resolve("run/control.sock");
        ControlServer first = listen(socket, null);
        speaker().serveOn(first);
        IOException e = assertThrows(IOException.class, () -> listen(socket, null));
        assertEquals("control-api " + socket + ": another process is serving on this socket (a speaker already "
                + "running?); stop it, or give this speaker another rri control-api", e.getMessage());
        assertEquals(2, status(socket).getComponentsCount(), "the first one still answers on its socket");
        try (Stream<Path> files = Files.list(socket.getParent())) {
            assertEquals(List.of(socket), files.toList(), "the second left nothing behind");
        }
    }

    @Test
    void aStaleSocketLeftByADeadSpeakerIsReplaced() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        } // closed without removing the file, as a killed process leaves it
        assertTrue(isSocket(socket));
        ControlServer s = listen(socket, null);
        speaker().serveOn(s);
        assertEquals(2, status(socket).getComponentsCount());
        assertEquals("rw-------", mode(socket));
    }

    @Test
    void aFileThatIsNotASocketIsLeftAloneAndTheSpeakerDoesNotStart() throws Exception {
        Path socket = Files.writeString(dir.resolve("control.sock"), "someone's notes");
        IOException e = assertThrows(IOException.class, () -> listen(socket, null));
        assertEquals("control-api " + socket + ": exists and is not a socket; refusing to replace it (remove it, or "
                + "choose another rri control-api path)", e.getMessage());
        assertEquals("someone's notes", Files.readString(socket));
    }

    @Test
    void stoppingRemovesTheSocket() throws Exception {
        Path socket = dir.resolve("control.sock");
        listen(socket, null).close();
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    }
}
