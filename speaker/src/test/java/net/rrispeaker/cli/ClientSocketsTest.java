package net.rrispeaker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import net.rrispeaker.config.ControlApiSettings;
import net.rrispeaker.control.ControlServer;
import net.rrispeaker.control.InProcessSpeaker;
import net.rrispeaker.control.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a speaker's control API on a real Unix socket and on TLS over loopback TCP
 * (127.0.0.1, a free port; certificates from {@link TestCertificates}): the connections themselves
 * are what these tests are about, so they use sockets.
 */
class ClientSocketsTest {
    @TempDir
    Path dir;
    private InProcessSpeaker speaker;
    private ControlServer server;

    @BeforeEach
    void start() throws Exception {
        speaker = new InProcessSpeaker(dir, InProcessSpeaker.CONFIG);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        speaker.close();
    }

    @Test
    void showStatusOverTheUnixSocketNamedInTheConfigFile() throws Exception {
        Path socket = dir.resolve("run/control.sock");
        server = ControlServer.listen(ControlApiSettings.unix("unix:" + socket), new SimpleMeterRegistry());
        speaker.serveOn(server);
        Path conf = Files.writeString(dir.resolve("other.conf"), "rri control-api unix:" + socket + "\n");
        Cli r = Cli.run("show", "status", "--config", conf.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("config " + speaker.file + ": 0 SAs"), r.out());
    }

    @Test
    void showStatusOverTlsWithTheClientsCertificate() throws Exception {
        TestCertificates pki = TestCertificates.get();
        server = ControlServer.listen(new ControlApiSettings("127.0.0.1:0", null, pki.serverChain.toString(),
                pki.serverKey.toString(), pki.ca.toString()), new SimpleMeterRegistry());
        speaker.serveOn(server);
        String address = "127.0.0.1:" + server.port();
        Cli r = Cli.run("show", "status", "--control", address, "--tls-cert", pki.clientCert.toString(),
                "--tls-key", pki.clientKey.toString(), "--tls-ca", pki.ca.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("config " + speaker.file + ": 0 SAs"), r.out());

        Cli noCert = Cli.run("reload", "--control", address, "--tls-ca", pki.ca.toString());
        assertEquals(1, noCert.exit());
        assertEquals("reload: the control API at " + address + " is TCP, which the speaker serves only with TLS and "
                + "client certificates: give --tls-cert FILE and --tls-key FILE (and --tls-ca FILE), or use its unix: "
                + "socket\n", noCert.err());
    }
}
