package net.rrispeaker.config;

import static net.rrispeaker.config.ConfigParserTest.errors;
import static net.rrispeaker.config.ConfigParserTest.notes;
import static net.rrispeaker.config.ConfigParserTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code rri control-api} and {@code rri metrics-listen}: who can reach the speaker, as written. */
class ControlApiConfigTest {

    @Test
    void theDefaultIsAUnixSocketOnlyRootAndTheSpeakersUserReach() throws Exception {
        ControlApiSettings c = parse("").rri().controlApi();
        assertEquals(ControlApiSettings.unix("unix:/run/rri/control.sock"), c);
        assertEquals("/run/rri/control.sock", c.unixPath());
        assertNull(c.group());
    }

    @Test
    void aUnixSocketMayNameTheGroupThatMayRead() throws Exception {
        ControlApiSettings c = parse("rri control-api unix:/run/rri/ctl.sock group rri-ops\n").rri().controlApi();
        assertEquals(new ControlApiSettings("unix:/run/rri/ctl.sock", "rri-ops", null, null, null), c);
        assertEquals("unix:/run/rri/ctl.sock group rri-ops", c.toString());
    }

    @Test
    void tcpTakesTlsWithItsThreeFilesInAnyOrder() throws Exception {
        ControlApiSettings c = parse("rri control-api 192.0.2.1:50052 tls client-ca /etc/rri/ca.pem cert "
                + "/etc/rri/speaker.pem key /etc/rri/speaker.key\n").rri().controlApi();
        assertEquals(new ControlApiSettings("192.0.2.1:50052", null, "/etc/rri/speaker.pem", "/etc/rri/speaker.key",
                "/etc/rri/ca.pem"), c);
    }

    @Test
    void tcpWithoutTlsIsAnErrorNamingFileLineAndTheWayOut() {
        assertEquals(List.of("rri.conf:2: error: control-api 127.0.0.1:50052 over TCP needs TLS with client certificates: add "
                + "'tls cert FILE key FILE client-ca FILE', or use a unix: socket (default unix:/run/rri/control.sock)"),
                errors("rri withdraw-delay 0\nrri control-api 127.0.0.1:50052\n"));
    }

    @Test
    void everyMistakeInTheLineIsNamed() {
        assertEquals(List.of("rri.conf:1: error: control-api tls: missing 'client-ca FILE' (expected: tls cert FILE key FILE "
                + "client-ca FILE)"), errors("rri control-api [::1]:50052 tls cert /a.pem key /a.key\n"));
        assertEquals(List.of("rri.conf:1: error: control-api key 'speaker.key' (expected: an absolute path)"),
                errors("rri control-api [::1]:50052 tls cert /a.pem key speaker.key client-ca /ca.pem\n"));
        assertEquals(List.of("rri.conf:1: error: control-api: 'group' is for a unix: socket (over TCP the client certificate "
                + "decides who may call)"),
                errors("rri control-api [::1]:50052 group rri tls cert /a.pem key /a.key client-ca /ca.pem\n"));
        assertEquals(List.of("rri.conf:1: error: control-api: 'tls' is for a TCP address (a unix: socket is guarded by its mode "
                + "and the caller's credentials)"), errors("rri control-api unix:/run/rri/c.sock tls\n"));
        assertEquals(List.of("rri.conf:1: error: missing group name after 'group'"),
                errors("rri control-api unix:/run/rri/c.sock group\n"));
        assertEquals(List.of("rri.conf:1: error: unexpected 'owner' after rri control-api unix:/run/rri/c.sock (expected: "
                + "rri control-api unix:/PATH [group NAME] | rri control-api HOST:PORT tls cert FILE key FILE client-ca "
                + "FILE)"), errors("rri control-api unix:/run/rri/c.sock owner root\n").subList(0, 1));
        assertEquals(List.of("rri.conf:1: error: rri control-api: socket path '/" + "x".repeat(31) + "... (111 characters)' "
                + "in 'unix:/" + "x".repeat(26) + "... (116 characters)' is 111 characters long (expected: at most 107)"),
                errors("rri control-api unix:/" + "x".repeat(110) + "\n"));
    }

    @Test
    void listeningOnEveryAddressIsAWarningWithFileAndLine() throws Exception {
        Config c = parse("""
                rri control-api [::]:50052 tls cert /a.pem key /a.key client-ca /ca.pem
                rri metrics-listen 0.0.0.0:9433
                """);
        assertEquals(List.of(
                "rri.conf:1: warning: control API on every address of this host ([::]:50052): reachable from every "
                        + "network the host is on; name one address instead",
                "rri.conf:2: warning: metrics endpoint on every address of this host (0.0.0.0:9433): anyone who "
                        + "reaches the host can read the speaker's metrics; name one address instead"), notes(c));
        assertEquals("0.0.0.0:9433", c.rri().metricsListen());
        assertEquals(List.of(), notes(parse("rri metrics-listen 127.0.0.1:9433\nrri metrics-listen [::1]:9433\n")));
    }

    @Test
    void publishersAreNamedByUidOrCertificateCnOptionallyBoundToOnePublisherNameBeforeOrAfterTheAddress() throws Exception {
        ControlApiSettings c = parse("""
                rri control-api publisher uid 0 name libreswan
                rri control-api unix:/run/rri/ctl.sock
                rri control-api publisher cn orchestrator.example.net
                """).rri().controlApi();
        assertEquals("unix:/run/rri/ctl.sock", c.address());
        assertEquals(List.of(new ControlApiSettings.Publisher(0, null, "libreswan"),
                new ControlApiSettings.Publisher(-1, "orchestrator.example.net", null)), c.publishers());
        assertEquals(List.of(), parse("").rri().controlApi().publishers(), "nobody publishes unless a line says so");
    }

    @Test
    void aBrokenPublisherLineIsNamedWithItsLine() {
        assertEquals(List.of("rri.conf:1: error: control-api publisher 'user' (expected: rri control-api publisher uid N "
                + "[name NAME] | rri control-api publisher cn COMMON-NAME [name NAME])"),
                errors("rri control-api publisher user root\n"));
        assertEquals(List.of("rri.conf:1: error: control-api publisher name 'vici' (expected: letters, digits, '.', '_' "
                + "and '-', at most 64, not 'vici')"), errors("rri control-api publisher uid 0 name vici\n"));
        assertEquals(1, errors("rri control-api publisher uid -1\n").size());
        assertEquals(1, errors("rri control-api publisher uid 0 as hook\n").size());
    }
}
