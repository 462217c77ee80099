package net.rrispeaker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.ControlApiSettings;
import net.rrispeaker.control.api.ReloadRequest;
import net.rrispeaker.control.api.RriControlGrpc;
import net.rrispeaker.control.api.StatusRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control API over TCP: TLS, and only for clients with a certificate from the configured CA.
 * These tests listen on loopback TCP (127.0.0.1, a free port) with certificates the test makes
 * ({@link TestCertificates}): a TLS handshake cannot be shown in-process.
 */
class ControlTlsTest {
    @TempDir
    Path dir;
    private TestCertificates pki;
    private InProcessSpeaker speaker;
    private ControlServer server;

    @BeforeEach
    void start() throws Exception {
        pki = TestCertificates.get();
        speaker = new InProcessSpeaker(dir, InProcessSpeaker.CONFIG);
        server = ControlServer.listen(new ControlApiSettings("127.0.0.1:0", null, pki.serverChain.toString(),
                pki.serverKey.toString(), pki.ca.toString()), new SimpleMeterRegistry());
        speaker.serveOn(server);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        speaker.close();
    }

    private <T> T call(ChannelCredentials creds, java.util.function.Function<RriControlGrpc.RriControlBlockingStub, T> f) {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.port(), creds).build();
        try {
            return f.apply(RriControlGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS));
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void aClientWithACertificateFromTheClientCaMayReadAndReload() throws Exception {
        ChannelCredentials creds = TlsChannelCredentials.newBuilder()
                .keyManager(pki.clientCert.toFile(), pki.clientKey.toFile()).trustManager(pki.ca.toFile()).build();
        assertEquals(2, call(creds, s -> s.status(StatusRequest.getDefaultInstance())).getComponentsCount());
        assertTrue(call(creds, s -> s.reload(ReloadRequest.getDefaultInstance())).getApplied());
    }

    @Test
    void aClientWithoutACertificateIsRefusedAtTheHandshake() throws Exception {
        ChannelCredentials creds = TlsChannelCredentials.newBuilder().trustManager(pki.ca.toFile()).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> call(creds, s -> s.status(StatusRequest.getDefaultInstance())));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    }

    @Test
    void aClientWhoseCertificateNoConfiguredCaSignedIsRefused() throws Exception {
        ChannelCredentials creds = TlsChannelCredentials.newBuilder()
                .keyManager(pki.strangerCert.toFile(), pki.strangerKey.toFile()).trustManager(pki.ca.toFile()).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> call(creds, s -> s.reload(ReloadRequest.getDefaultInstance())));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    }

    @Test
    void aPlaintextClientGetsNothing() {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> RriControlGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(10, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void aKeyFileThatCannotBeReadStopsTheStartNamingIt() {
        Path missing = dir.resolve("nope.key");
        IOException e = assertThrows(IOException.class, () -> ControlServer.listen(new ControlApiSettings("127.0.0.1:0",
                null, pki.serverChain.toString(), missing.toString(), pki.ca.toString()), new SimpleMeterRegistry()));
        assertEquals("control-api 127.0.0.1:0 tls: key " + missing + ": cannot read it", e.getMessage());
    }

    @Test
    void aKeyThatIsNotAKeyStopsTheStartSayingWhatIsExpected() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.key"), "not a key\n");
        IOException e = assertThrows(IOException.class, () -> ControlServer.listen(new ControlApiSettings("127.0.0.1:0",
                null, pki.serverChain.toString(), junk.toString(), pki.ca.toString()), new SimpleMeterRegistry()));
        assertTrue(e.getMessage().startsWith("control-api 127.0.0.1:0 tls: "), e.getMessage());
    }
}
