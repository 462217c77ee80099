package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.Exec;
import net.rrispeaker.lab.GobgpObserver;
import net.rrispeaker.lab.SimLab;
import net.rrispeaker.lab.SpeakerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shipped libreswan updown script ({@code rri-libreswan-updown}, beside the jar) run the way
 * pluto runs it: a process with pluto's {@code PLUTO_*} environment, whose exit status and time
 * pluto would wait for. The real speaker jar and a real gobgpd ({@link SimLab}); routes must appear
 * in gobgpd on {@code up-client}/{@code up-client-v6} and go on {@code down-client}; policy verbs
 * must not start the speaker's client; a missed {@code down-client} is healed by {@code
 * rri-speaker libreswan-reconcile}. Runs as root.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LibreswanHookIT {
    private static final Duration CONVERGE = Duration.ofSeconds(20);

    private SimLab lab;
    private SpeakerProcess speaker;
    private GobgpObserver gobgp;
    private Path hook;

    @BeforeAll
    void start() throws IOException {
        lab = SimLab.start();
        try {
            Path jar = Files.copy(SpeakerProcess.defaultJar(), lab.dir().resolve("rri-speaker.jar"));
            hook = Files.copy(SpeakerProcess.defaultJar().resolveSibling("rri-libreswan-updown"),
                    lab.dir().resolve("rri-libreswan-updown"));
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
            speaker = new SpeakerProcess(lab, jar, lab.writeSpeakerConfig("publisher-speaker.conf.tmpl",
                    Map.of("GROUP", "root")));
            speaker.start();
            gobgp = new GobgpObserver(lab.gobgpSocket());
            Await.until(CONVERGE, "speaker connected to the simulator and gobgpd", () -> speaker.allConnected());
        } catch (RuntimeException | Error e) {
            System.err.println(lab.diagnostics() + "\n" + (speaker == null ? "" : speaker.logTail(40)));
            lab.close();
            throw e;
        }
    }

    @AfterAll
    void stop() {
        if (gobgp != null) {
            gobgp.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void nothingAnnounced() {
        reconcile("", ""); // empty listings: the libreswan publisher has no SAs
        awaitInGobgpd(Set.of());
    }

    private Map<String, String> hookSettings() {
        return Map.of("RRI_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "RRI_CONTROL", "unix:" + lab.controlSocket(), "RRI_HOOK_TIMEOUT", "30");
    }

    /** What pluto 4.10 puts in the environment of an updown call for a road-warrior instance. */
    private static Map<String, String> pluto(String verb, String peer, String peerId, String client, String reqid) {
        Map<String, String> e = new HashMap<>();
        boolean v6 = peer.contains(":");
        e.put("PLUTO_VERB", verb);
        e.put("PLUTO_CONNECTION", "spokes");
        e.put("PLUTO_CONNECTION_TYPE", "tunnel");
        e.put("PLUTO_VIRT_INTERFACE", "NULL");
        e.put("PLUTO_INTERFACE", "hub0");
        e.put("PLUTO_ME", v6 ? "2001:db8::1" : "192.0.2.1");
        e.put("PLUTO_MY_ID", "@hub");
        e.put("PLUTO_MY_CLIENT", v6 ? "fd00:80::/48" : "10.80.0.0/16");
        e.put("PLUTO_MY_PORT", "0");
        e.put("PLUTO_MY_PROTOCOL", "0");
        e.put("PLUTO_SA_REQID", reqid);
        e.put("PLUTO_SA_TYPE", "ESP");
        e.put("PLUTO_PEER", peer);
        e.put("PLUTO_PEER_ID", peerId);
        e.put("PLUTO_PEER_CLIENT", client);
        e.put("PLUTO_PEER_PORT", "0");
        e.put("PLUTO_PEER_PROTOCOL", "0");
        e.put("PLUTO_PEER_CA", "");
        e.put("PLUTO_STACK", "xfrm");
        e.put("PLUTO_ADDTIME", "1764600000");
        e.put("PLUTO_CONN_POLICY", "RSASIG+ENCRYPT+TUNNEL+PFS+IKEV2_ALLOW");
        e.put("PLUTO_CONN_KIND", "CK_INSTANCE");
        e.put("PLUTO_CONN_ADDRFAMILY", v6 ? "ipv6" : "ipv4");
        e.put("XAUTH_FAILED", "0");
        e.put("PLUTO_IS_PEER_CISCO", "0");
        e.put("PLUTO_CFG_SERVER", "0");
        e.put("PLUTO_CFG_CLIENT", "0");
        e.put("SPI_IN", "0xc1a2b3c4");
        e.put("SPI_OUT", "0x9f8e7d6c");
        return e;
    }

    private Exec.Result runHook(Map<String, String> plutoEnv) {
        Map<String, String> env = new HashMap<>(hookSettings());
        env.putAll(plutoEnv);
        return Exec.run(Duration.ofSeconds(60), env, List.of(hook.toString()));
    }

    private Exec.Result reconcile(String traffic, String status) {
        try {
            Path t = Files.writeString(lab.dir().resolve("trafficstatus.txt"), traffic);
            Path s = Files.writeString(lab.dir().resolve("status.txt"), status);
            return Exec.run(Duration.ofSeconds(60), Map.of(), List.of(hookSettings().get("RRI_JAVA"), "-jar",
                    lab.dir().resolve("rri-speaker.jar").toString(), "libreswan-reconcile",
                    "--trafficstatus-command", "cat " + t, "--status-command", "cat " + s,
                    "--control", "unix:" + lab.controlSocket()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Set<String> inGobgpd() {
        Set<String> out = new TreeSet<>();
        gobgp.list(GobgpObserver.IPV4).forEach(p -> out.add(p.prefix()));
        gobgp.list(GobgpObserver.IPV6).forEach(p -> out.add(p.prefix()));
        return out;
    }

    private void awaitInGobgpd(Set<String> expected) {
        Await.until(CONVERGE, "gobgpd holds exactly " + expected, () -> inGobgpd().equals(expected));
    }

    @Test
    void upAndDownClientAndTheirV6FormsAnnounceAndWithdraw() {
        Exec.Result up = runHook(pluto("up-client", "198.51.100.10", "CN=spoke10, O=Example", "10.81.10.0/24", "16389"));
        assertEquals(0, up.exitCode(), up.stdout() + up.stderr());
        assertTrue(up.stdout().contains("rri: up-client \"spokes\" 198.51.100.10 10.81.10.0/24"), up.stdout());
        Exec.Result up6 = runHook(pluto("up-client-v6", "2001:db8::10", "@spoke10", "fd00:81:10::/64", "16393"));
        assertEquals(0, up6.exitCode(), up6.stdout() + up6.stderr());
        awaitInGobgpd(Set.of("10.81.10.0/24", "fd00:81:10::/64"));
        assertTrue(speaker.logText().contains("libreswan"), "the publisher is named in the log");

        Exec.Result down = runHook(pluto("down-client", "198.51.100.10", "CN=spoke10, O=Example", "10.81.10.0/24", "16389"));
        assertEquals(0, down.exitCode(), down.stdout() + down.stderr());
        Exec.Result down6 = runHook(pluto("down-client-v6", "2001:db8::10", "@spoke10", "fd00:81:10::/64", "16393"));
        assertEquals(0, down6.exitCode(), down6.stdout() + down6.stderr());
        awaitInGobgpd(Set.of());
    }

    @Test
    void policyVerbsReturnAtOnceAndAnnounceNothing() {
        for (String verb : List.of("prepare-client", "route-client", "unroute-client", "prepare-host", "route-host-v6",
                "up-host", "down-host")) {
            Map<String, String> env = pluto(verb, "198.51.100.11", "@spoke11", "10.81.11.0/24", "16397");
            env.put("PLUTO_SA_TYPE", "none");
            long t0 = System.nanoTime();
            Exec.Result r = runHook(env);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, r.exitCode(), verb + ": " + r.stdout() + r.stderr());
            assertEquals("", r.stdout() + r.stderr(), verb + ": the speaker's client was not started");
            assertTrue(ms < 2000, verb + " took " + ms + " ms (no JVM is started for it)");
        }
        assertEquals(Set.of(), inGobgpd());
    }

    @Test
    void hostilePeerIdsAreNeverRunByTheShell() throws IOException {
        Path witness = lab.dir().resolve("witness");
        String id = "'; touch " + witness + "; echo '$(touch " + witness + ")`touch " + witness + "`\"";
        Exec.Result up = runHook(pluto("up-client", "198.51.100.12", id, "10.81.12.0/24", "16401"));
        assertEquals(0, up.exitCode(), up.stdout() + up.stderr());
        awaitInGobgpd(Set.of("10.81.12.0/24"));
        assertFalse(Files.exists(witness), "a command inside the peer's ID ran");
        Exec.Result show = Exec.run(Duration.ofSeconds(60), Map.of(), List.of(hookSettings().get("RRI_JAVA"), "-jar",
                lab.dir().resolve("rri-speaker.jar").toString(), "show", "sa", "--json", "--control",
                "unix:" + lab.controlSocket()));
        assertTrue(show.stdout().contains("touch"), "the ID is kept as text: " + show.stdout());
    }

    @Test
    void aSpeakerThatIsNotThereCostsPlutoNothing() {
        Map<String, String> env = pluto("up-client", "198.51.100.13", "@spoke13", "10.81.13.0/24", "16405");
        env.put("RRI_CONTROL", "unix:" + lab.dir().resolve("nobody-here.sock"));
        Exec.Result r = Exec.run(Duration.ofSeconds(60), mergedWith(env), List.of(hook.toString()));
        assertEquals(0, r.exitCode(), "pluto must not see a failure: " + r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("rri: up-client not published (exit 1); the next libreswan-reconcile will catch up"),
                r.stdout());
    }

    private Map<String, String> mergedWith(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(hookSettings());
        all.putAll(env);
        return all;
    }

    @Test
    void aMissedDownIsHealedByTheReconcileAndAMissedUpToo() {
        assertEquals(0, runHook(pluto("up-client", "198.51.100.20", "@s20", "10.81.20.0/24", "16409")).exitCode());
        assertEquals(0, runHook(pluto("up-client", "198.51.100.21", "@s21", "10.81.21.0/24", "16413")).exitCode());
        awaitInGobgpd(Set.of("10.81.20.0/24", "10.81.21.0/24"));
        // .20 went without its down-client (pluto restarted, the hook timed out, ...); .22 came
        // without its up-client; pluto lists .21 and .22
        Exec.Result r = reconcile("""
                006 #4: "spokes"[2] 198.51.100.21, type=ESP, add_time=1764600000, inBytes=840, outBytes=840, id='@s21'
                006 #9: "spokes"[5] 198.51.100.22, type=ESP, add_time=1764600100, inBytes=0, outBytes=0, id='@s22'
                """, """
                000 Connection list:
                000\s
                000 "spokes": 10.80.0.0/16===192.0.2.1[@hub]...%any; unrouted; eroute owner: #0
                000 "spokes":     oriented; my_ip=unset; their_ip=unset; my_updown=rri-libreswan-updown;
                000 "spokes"[2] 198.51.100.21: 10.80.0.0/16===192.0.2.1[@hub]...198.51.100.21[@s21]===10.81.21.0/24; erouted; eroute owner: #4
                000 "spokes"[5] 198.51.100.22: 10.80.0.0/16===192.0.2.1[@hub]...198.51.100.22[@s22]===10.81.22.0/24; erouted; eroute owner: #9
                """);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("2 SA(s) as a snapshot"), r.stdout());
        awaitInGobgpd(Set.of("10.81.21.0/24", "10.81.22.0/24"));
        // the hook's down for an SA the reconcile published: the same SA
        assertEquals(0, runHook(pluto("down-client", "198.51.100.22", "@s22", "10.81.22.0/24", "16417")).exitCode());
        awaitInGobgpd(Set.of("10.81.21.0/24"));
    }
}
