package net.rrispeaker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import net.rrispeaker.config.RriSettings;
import net.rrispeaker.control.InProcessSpeaker;
import net.rrispeaker.control.api.RriControlGrpc;
import net.rrispeaker.control.api.ShowCryptoRouteRequest;
import net.rrispeaker.control.api.ShowCryptoRouteResponse;
import net.rrispeaker.control.api.StatusResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code show} and {@code reload} as typed, against a running speaker served in-process. */
class ClientCommandsTest {
    private static final String HEADER = """
            VPN Routing Table: Shows RRI and VTI created routes
            Codes: RRI - Reverse-Route, VTI- Virtual Tunnel Interface
                    S - Static Map ACLs, M - Manual static (ip route)
            """;

    @TempDir
    Path dir;
    private InProcessSpeaker speaker;

    @BeforeEach
    void start() throws Exception {
        speaker = new InProcessSpeaker(dir, InProcessSpeaker.CONFIG);
        speaker.threeTunnelsUp();
    }

    @AfterEach
    void stop() {
        speaker.close();
    }

    private Cli run(String... args) {
        return Cli.run(speaker::channel, args);
    }

    @Test
    void showCryptoRoutePrintsTheIosTableGlobalFirstThenEachVrf() {
        Cli r = run("show", "crypto", "route");
        assertEquals(0, r.exit(), r.err());
        assertEquals(HEADER + """
                Routes created in table GLOBAL DEFAULT
                10.5.0.0/255.255.0.0 [1/0] via Tunnel5 VTI
                10.9.0.0/255.255.0.0 [250/0] via Null0 M tag 9
                10.81.2.0/255.255.255.248 [20/0] via 192.0.2.2 RRI tag 5
                fd00:81:2::/64 [20/0] via 192.0.2.2 RRI tag 5
                Routes created in table red
                10.50.0.0/255.255.255.0 [1/0] via 198.51.100.3 RRI
                """, r.out());
        assertEquals("", r.err());
    }

    @Test
    void showCryptoRouteForOneVrfPrintsOnlyThatTable() {
        Cli r = run("show", "crypto", "route", "--vrf", "red");
        assertEquals(0, r.exit(), r.err());
        assertEquals(HEADER + """
                Routes created in table red
                10.50.0.0/255.255.255.0 [1/0] via 198.51.100.3 RRI
                """, r.out());
    }

    @Test
    void showCryptoRouteJsonIsTheApiAnswerWithEveryFieldSpelledOut() throws Exception {
        Cli r = run("show", "crypto", "route", "--json");
        assertEquals(0, r.exit(), r.err());
        ShowCryptoRouteResponse.Builder parsed = ShowCryptoRouteResponse.newBuilder();
        JsonFormat.parser().merge(r.out(), parsed);
        assertEquals(RriControlGrpc.newBlockingStub(speaker.channel())
                .showCryptoRoute(ShowCryptoRouteRequest.getDefaultInstance()), parsed.build());
        assertTrue(r.out().contains("""
                    "vrf": "red",
                    "prefix": "10.50.0.0/24",
                    "nextHop": "198.51.100.3",
                    "interface": "",
                    "distance": 1,
                    "tag": "0",
                    "kind": "RRI",
                    "origin": "dynamic-map DYN 20",
                    "withdrawing": false,
                    "owners": 1,
                    "dampened": false,
                    "redundancyGroup": ""
                """), r.out());
    }

    @Test
    void showSaPrintsEachTunnelItsSelectorsAndItsRoutes() {
        speaker.component("vici", true, "connected to the test");
        Cli r = run("show", "sa");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("""
                spokes[1] child lan[2] peer 192.0.2.2 (spoke-2)
                  remote ts: 10.81.2.0/29, fd00:81:2::/64
                  routes: 10.81.2.0/29 via 192.0.2.2, fd00:81:2::/64 via 192.0.2.2
                """), r.out());
        assertTrue(r.out().contains("""
                red-1[1] child lan[3] peer 198.51.100.3 (spoke-3)
                  remote ts: 10.50.0.0/24
                  routes: 10.50.0.0/24 via 198.51.100.3 vrf red
                """), r.out());
        assertEquals(9, r.out().lines().count(), "three SAs, three lines each");
    }

    @Test
    void showStatusPrintsCountsAndEachComponentUpOrDown() throws Exception {
        speaker.component("gobgp", false, "DOWN (127.0.0.1:50051)");
        Cli r = run("show", "status");
        assertEquals(0, r.exit(), r.err());
        assertEquals("config " + speaker.file + ": 3 SAs, 5 routes, 5 BGP paths desired\n"
                + "  gobgp  DOWN DOWN (127.0.0.1:50051)\n"
                + "  vici   up   connected to the test\n", r.out());
        Cli json = run("show", "status", "--json");
        StatusResponse.Builder parsed = StatusResponse.newBuilder();
        JsonFormat.parser().merge(json.out(), parsed);
        assertEquals(3, parsed.getSas());
        assertTrue(json.out().contains("\"connected\": false"), "a down component says so in JSON too: " + json.out());
    }

    @Test
    void reloadOfAGoodFileSaysAppliedAndExitsZero() throws Exception {
        Files.writeString(speaker.file, InProcessSpeaker.CONFIG.replace("set reverse-route tag 5", "set reverse-route tag 6"));
        Cli r = run("reload");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().endsWith("reload: applied\n"), r.out());
        assertTrue(run("show", "crypto", "route").out().contains("10.81.2.0/255.255.255.248 [20/0] via 192.0.2.2 RRI tag 6\n"));
    }

    @Test
    void reloadOfABrokenFileNamesTheErrorSaysRefusedExitsOneAndTheTableStaysAsItWas() throws Exception {
        String before = run("show", "crypto", "route").out();
        Files.writeString(speaker.file, InProcessSpeaker.CONFIG
                .replace("set reverse-route tag 5", "set reverse-route tag 6")
                .replace("crypto map VPN 10 ipsec-isakmp dynamic DYN", "crypto map VPN 10 ipsec-isakmp dynamic DNY"));
        Cli r = run("reload");
        assertEquals(1, r.exit());
        assertEquals(speaker.file + ":15: error: crypto map VPN 10: dynamic-map 'DNY' is not defined\n"
                + "reload: REFUSED, the previous configuration keeps running\n", r.out());
        assertEquals(before, run("show", "crypto", "route").out());
    }

    @Test
    void aSpeakerThatIsNotRunningIsReportedAndExitsOne() {
        String nobody = InProcessServerBuilder.generateName();
        Cli show = Cli.run(() -> InProcessChannelBuilder.forName(nobody).build(), "show", "crypto", "route");
        assertEquals(1, show.exit());
        assertEquals("", show.out());
        assertTrue(show.err().startsWith("show: speaker not reachable or failed: Status{code=UNAVAILABLE"), show.err());
        Cli reload = Cli.run(() -> InProcessChannelBuilder.forName(nobody).build(), "reload");
        assertEquals(1, reload.exit());
        assertTrue(reload.err().startsWith("reload: speaker not reachable or failed: Status{code=UNAVAILABLE"),
                reload.err());
    }

    @Test
    void aCallerTheSpeakerRefusesIsToldWhyAndExitsOne() {
        speaker.caller(InProcessSpeaker.peer(1000, 1000));
        Cli show = run("show", "status");
        assertEquals(1, show.exit());
        assertEquals("show: refused by the speaker: uid 1000 gid 1000 pid 4242 may not use this speaker's control API "
                + "(allowed: root, the speaker's user uid " + InProcessSpeaker.OWNER_UID + ", and members of group rri "
                + "to read)\n", show.err());
        speaker.caller(InProcessSpeaker.peer(1000, InProcessSpeaker.GROUP_GID));
        assertEquals(0, run("show", "status").exit(), "the group may read");
        Cli reload = run("reload");
        assertEquals(1, reload.exit());
        assertTrue(reload.err().startsWith("reload: refused by the speaker: uid 1000 gid "
                + InProcessSpeaker.GROUP_GID + " pid 4242 (group rri) may read but not reload"), reload.err());
    }

    @Test
    void healthExitsZeroOnlyWhileCharonAndGobgpdAreBothConnected() {
        Cli up = run("health");
        assertEquals(0, up.exit(), up.out() + up.err());
        assertEquals("SERVING\n", up.out());
        speaker.component("gobgp", false, "DOWN (127.0.0.1:50051)");
        Cli down = run("health");
        assertEquals(1, down.exit());
        assertEquals("NOT_SERVING\n  gobgp  DOWN DOWN (127.0.0.1:50051)\n", down.out(), "the log says which one");
        speaker.component("gobgp", true, "connected to the test");
        speaker.component("vici", false, "DOWN: charon went away");
        assertEquals("NOT_SERVING\n  vici   DOWN DOWN: charon went away\n", run("health").out());
        speaker.component("vici", true, "connected to the test");
        assertEquals(0, run("health").exit(), "healthy again once both are back");
    }

    @Test
    void healthOfASpeakerThatIsNotThereOrRefusesTheCallerIsOne() {
        String nobody = InProcessServerBuilder.generateName();
        Cli absent = Cli.run(() -> InProcessChannelBuilder.forName(nobody).build(), "health");
        assertEquals(1, absent.exit());
        assertTrue(absent.err().startsWith("health: speaker not reachable or failed: Status{code=UNAVAILABLE"), absent.err());
        speaker.caller(InProcessSpeaker.peer(1000, 1000));
        Cli refused = run("health");
        assertEquals(1, refused.exit());
        assertTrue(refused.err().startsWith("health: refused by the speaker: uid 1000"), refused.err());
        assertEquals(1, run("health", "--timeout", "0").exit(), "a timeout out of range is not healthy");
    }

    @Test
    void anUnknownShowSaysWhatItKnowsAndExitsTwo() {
        Cli r = run("show", "routes");
        assertEquals(2, r.exit());
        assertEquals("show: unknown 'routes' (expected: crypto route | sa | status | dampening | bfd)\n", r.err());
    }

    @Test
    void showBfdSaysWhenBfdIsNotConfigured() {
        Cli r = run("show", "bfd");
        assertEquals(0, r.exit(), r.err());
        assertEquals("BFD is not configured (rri bfd)\n", r.out());
        assertTrue(run("show", "bfd", "--json").out().contains("\"enabled\": false"));
    }

    @Test
    void theControlAddressIsTheOptionElseTheConfigsControlApiLineElseTheDefault() throws Exception {
        ControlClient c = new ControlClient();
        assertEquals(RriSettings.DEFAULT_CONTROL, c.address());
        Path file = dir.resolve("other.conf");
        Files.writeString(file, "rri control-api unix:/srv/rri/control.sock group ops\ncrypto map BROKEN\n");
        c.config = file;
        assertEquals("unix:/srv/rri/control.sock", c.address(), "read even from a file that has errors elsewhere");
        c.control = "127.0.0.1:6000";
        assertEquals("127.0.0.1:6000", c.address());
    }
}
