package net.rrispeaker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.rrispeaker.control.InProcessSpeaker;
import net.rrispeaker.control.api.RriControlGrpc;
import net.rrispeaker.control.api.ShowCryptoRouteRequest;
import net.rrispeaker.control.api.ShowSaRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code libreswan-hook} (pluto's environment to one event) and {@code libreswan-reconcile} (the
 * listings to a snapshot) against a real core behind the control server, in-process.
 */
class LibreswanCommandsTest {
    private static final String CONFIG = InProcessSpeaker.CONFIG + "rri control-api publisher uid "
            + InProcessSpeaker.OWNER_UID + "\n";

    @TempDir
    Path dir;
    private InProcessSpeaker speaker;

    @BeforeEach
    void start() throws Exception {
        speaker = new InProcessSpeaker(Files.createDirectory(dir.resolve("s")), CONFIG);
    }

    @AfterEach
    void stop() {
        speaker.close();
    }

    private Cli run(Map<String, String> env, String... args) throws Exception {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == ControlClient.class) {
                    return cls.cast(new ControlClient(speaker::channel));
                }
                K k = CommandLine.defaultFactory().create(cls);
                if (k instanceof LibreswanCommands.Hook h) {
                    h.env = env;
                }
                return k;
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new RriCommand(), factory).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
        speaker.settle();
        return new Cli(exit, out.toString(), err.toString());
    }

    private List<String> rri() {
        return RriControlGrpc.newBlockingStub(speaker.channel()).showCryptoRoute(ShowCryptoRouteRequest.getDefaultInstance())
                .getRoutesList().stream().filter(r -> r.getKind().equals("RRI"))
                .map(r -> r.getPrefix() + " via " + r.getNextHop()).toList();
    }

    private static Map<String, String> pluto(String verb, String peer, String client) {
        Map<String, String> e = new HashMap<>();
        e.put("PLUTO_VERB", verb);
        e.put("PLUTO_CONNECTION", "spokes");
        e.put("PLUTO_PEER", peer);
        e.put("PLUTO_PEER_ID", "CN=spoke, O='quoted' $(x)");
        e.put("PLUTO_PEER_CLIENT", client);
        e.put("PLUTO_MY_CLIENT", "10.80.0.0/16");
        e.put("PLUTO_SA_REQID", "16389");
        return e;
    }

    @Test
    void theHookPublishesUpAndDownWithThePlutoFields() throws Exception {
        Cli up = run(pluto("up-client", "192.0.2.2", "10.81.2.0/24"), "libreswan-hook");
        assertEquals(0, up.exit(), up.err());
        assertTrue(up.out().startsWith("rri: up-client \"spokes\" 192.0.2.2 10.81.2.0/24 (child id "), up.out());
        assertEquals(List.of("10.81.2.0/24 via 192.0.2.2"), rri());
        var sa = RriControlGrpc.newBlockingStub(speaker.channel()).showSa(ShowSaRequest.getDefaultInstance()).getSasList().get(0);
        assertEquals("libreswan", sa.getSource());
        assertEquals("spokes", sa.getConnection());
        assertEquals("CN=spoke, O='quoted' $(x)", sa.getRemoteId());

        Cli v6 = run(pluto("up-client-v6", "2001:db8::2", "fd00:81:2::/64"), "libreswan-hook");
        assertEquals(0, v6.exit(), v6.err());
        assertEquals(List.of("10.81.2.0/24 via 192.0.2.2", "fd00:81:2::/64 via 2001:db8::2"), rri());

        Cli down = run(pluto("down-client", "192.0.2.2", "10.81.2.0/24"), "libreswan-hook");
        assertEquals(0, down.exit(), down.err());
        assertEquals(List.of("fd00:81:2::/64 via 2001:db8::2"), rri());
    }

    @Test
    void anUnreachableSpeakerIsOneLineForPlutosLog() {
        assertEquals("speaker not reachable: Status{code=UNAVAILABLE, cause=java.io.IOException ...",
                LibreswanCommands.firstLine("speaker not reachable: Status{code=UNAVAILABLE, cause=java.io.IOException\n"
                        + "\tat io.grpc.Foo.bar(Foo.java:1)\n}"));
        assertEquals("refused", LibreswanCommands.firstLine("refused"));
    }

    @Test
    void policyVerbsPublishNothing() throws Exception {
        Cli r = run(pluto("route-client", "192.0.2.2", "10.81.2.0/24"), "libreswan-hook");
        assertEquals(0, r.exit());
        assertEquals("rri: route-client: nothing to publish\n", r.out());
        assertEquals(List.of(), rri());
    }

    @Test
    void aHookWithoutPeerClientSaysSoAndFails() throws Exception {
        Map<String, String> e = pluto("up-client", "192.0.2.2", "10.81.2.0/24");
        e.remove("PLUTO_PEER_CLIENT");
        Cli r = run(e, "libreswan-hook");
        assertEquals(1, r.exit());
        assertEquals("rri: up-client: not published: PLUTO_PEER_CLIENT is missing, empty or longer than 2048 characters\n",
                r.err());
    }

    @Test
    void theReconcileReplacesThePublishersSasAndHealsAMissedDown() throws Exception {
        run(pluto("up-client", "192.0.2.2", "10.81.2.0/24"), "libreswan-hook");
        run(pluto("up-client", "192.0.2.3", "10.81.3.0/24"), "libreswan-hook");
        assertEquals(List.of("10.81.2.0/24 via 192.0.2.2", "10.81.3.0/24 via 192.0.2.3"), rri());
        // 192.0.2.2 went without a down-client (the hook was not run); pluto lists only 192.0.2.3
        Path traffic = Files.writeString(dir.resolve("traffic"),
                "006 #4: \"spokes\"[2] 192.0.2.3, type=ESP, add_time=1234567890, inBytes=0, outBytes=0, id='@s3'\n");
        Path status = Files.writeString(dir.resolve("status"),
                "000 \"spokes\"[2] 192.0.2.3: 10.80.0.0/16===192.0.2.1[@hub]...192.0.2.3[@s3]===10.81.3.0/24; erouted; eroute owner: #4\n");
        Cli r = run(Map.of(), "libreswan-reconcile", "--trafficstatus-command", "cat " + traffic,
                "--status-command", "cat " + status);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("1 SA(s) as a snapshot, 0 established SA(s) owning no connection, published as libreswan"),
                r.out());
        assertEquals(List.of("10.81.3.0/24 via 192.0.2.3"), rri());
        // the hook's own down for the SA the reconcile published finds it: same identity
        run(pluto("down-client", "192.0.2.3", "10.81.3.0/24"), "libreswan-hook");
        assertEquals(List.of(), rri());
    }

    @Test
    void aBadLineMakesTheReconcileAddOnlyAndAFailedCommandPublishesNothing() throws Exception {
        run(pluto("up-client", "192.0.2.2", "10.81.2.0/24"), "libreswan-hook");
        Path traffic = Files.writeString(dir.resolve("traffic"),
                "006 #4: \"spokes\"[2] 192.0.2.3, type=ESP, add_time=1, inBytes=0, outBytes=0, id='@s3'\n"
                        + "006 #5: \"spokes\"[3] 192.0.2.4 type=ESP\n");
        Path status = Files.writeString(dir.resolve("status"),
                "000 \"spokes\"[2] 192.0.2.3: 10.80.0.0/16===192.0.2.1[@hub]...192.0.2.3[@s3]===10.81.3.0/24; erouted; eroute owner: #4\n");
        Cli r = run(Map.of(), "libreswan-reconcile", "--trafficstatus-command", "cat " + traffic,
                "--status-command", "cat " + status);
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("libreswan-reconcile: trafficstatus:2: error: not a trafficstatus line, skipped: "
                + "006 #5: \"spokes\"[3] 192.0.2.4 type=ESP"), r.err());
        assertTrue(r.out().contains("1 SA(s) as up events only (no withdrawals: 1 bad line(s))"), r.out());
        assertEquals(List.of("10.81.2.0/24 via 192.0.2.2", "10.81.3.0/24 via 192.0.2.3"), rri());

        Cli failed = run(Map.of(), "libreswan-reconcile", "--trafficstatus-command", "false",
                "--status-command", "cat " + status);
        assertEquals(1, failed.exit());
        assertEquals("libreswan-reconcile: 'false' exited 1; nothing published: \n", failed.err());
        assertEquals(List.of("10.81.2.0/24 via 192.0.2.2", "10.81.3.0/24 via 192.0.2.3"), rri());
    }
}
