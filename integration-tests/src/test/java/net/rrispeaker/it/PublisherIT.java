package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
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
 * Event sources other than charon, end to end: the real speaker jar between the VICI simulator
 * (no SAs) and a real gobgpd with an eBGP session to an upstream FRR router ({@link SimLab});
 * SAs come from {@code rri-speaker publish ...} (what an IPsec stack's updown hook runs) and
 * {@code rri-speaker replay FILE}, both run as separate processes through the control socket.
 * Routes must appear in gobgpd and at the upstream, and go again; a user not named by
 * {@code rri control-api publisher} is refused. Runs as root.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublisherIT {
    private static final int NOBODY = 65534;
    private static final Duration CONVERGE = Duration.ofSeconds(20);

    private SimLab lab;
    private SpeakerProcess speaker;
    private GobgpObserver gobgp;
    /** The jar, copied where user nobody can read it (the CLI runs as nobody too). */
    private Path jar;

    @BeforeAll
    void start() throws IOException {
        lab = SimLab.start();
        try {
            jar = Files.copy(SpeakerProcess.defaultJar(), lab.dir().resolve("rri-speaker.jar"));
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            speaker = new SpeakerProcess(lab, SpeakerProcess.defaultJar(),
                    lab.writeSpeakerConfig("publisher-speaker.conf.tmpl", Map.of("GROUP", nobodysGroup())));
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
        awaitInGobgpd(Set.of());
    }

    private static String nobodysGroup() throws IOException {
        return Files.readAllLines(Path.of("/etc/group")).stream()
                .filter(l -> l.split(":").length > 2 && l.split(":")[2].equals(Integer.toString(NOBODY)))
                .map(l -> l.split(":")[0]).findFirst().orElseThrow(() -> new AssertionError("no group 65534"));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code rri-speaker ARGS --control unix:SOCKET} as a separate process, as root or (with a prefix) another user. */
    private Exec.Result cli(List<String> asUser, String... args) {
        List<String> cmd = new ArrayList<>(asUser);
        cmd.addAll(List.of(java(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--control", "unix:" + lab.controlSocket()));
        return Exec.run(Duration.ofSeconds(60), Map.of(), cmd);
    }

    private Set<String> inGobgpd() {
        Set<String> out = new TreeSet<>();
        gobgp.list(GobgpObserver.IPV4).forEach(p -> out.add(p.prefix()));
        gobgp.list(GobgpObserver.IPV6).forEach(p -> out.add(p.prefix()));
        return out;
    }

    private void awaitInGobgpd(Set<String> prefixes) {
        Await.until(CONVERGE, "gobgpd holds exactly " + prefixes, () -> inGobgpd().equals(prefixes));
    }

    private void awaitAtUpstream(Set<String> prefixes) {
        Await.until(CONVERGE, "the upstream router holds exactly " + prefixes, () -> lab.upstreamPrefixes().equals(prefixes));
    }

    @Test
    void publishUpAndDownFromAHookMakeTheRoutesReachTheUpstreamAndGo() {
        Exec.Result up = cli(List.of(), "publish", "up", "--publisher", "libreswan", "--connection", "spokes",
                "--child-id", "7", "--peer", "198.51.100.10", "--remote-ts", "10.81.1.0/24,fd00:81:1::/64",
                "--local-ts", "10.80.0.0/16");
        assertEquals(0, up.exitCode(), up.stdout() + up.stderr());
        awaitInGobgpd(Set.of("10.81.1.0/24", "fd00:81:1::/64"));
        awaitAtUpstream(Set.of("10.81.1.0/24", "fd00:81:1::/64"));

        Exec.Result show = cli(List.of(), "show", "sa");
        assertTrue(show.stdout().startsWith("libreswan: spokes[0] child spokes[7] peer 198.51.100.10"), show.stdout());

        Exec.Result down = cli(List.of(), "publish", "down", "--publisher", "libreswan", "--connection", "spokes",
                "--child-id", "7");
        assertEquals(0, down.exitCode(), down.stdout() + down.stderr());
        awaitInGobgpd(Set.of());
        awaitAtUpstream(Set.of());
    }

    @Test
    void replayPlaysAFileAtItsTimesSkippingItsBadLine() throws IOException {
        Path file = Files.writeString(lab.dir().resolve("field.jsonl"), """
                {"up": {"connection": "spokes", "childId": "1", "remoteHost": "198.51.100.20", "remoteTs": ["10.81.2.0/24"]}}
                {"up": {"connection": "spokes", "childId": "2", "remoteHost": "198.51.100.30", "remoteTs": ["10.81.3.0/24"]}, "at": 1.5}
                {"up": {"connection": "spokes", "childId": 3,
                {"down": {"connection": "spokes", "childId": "1"}, "at": 3}
                """);
        long t0 = System.nanoTime();
        Exec.Result r = cli(List.of(), "replay", file.toString());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, r.exitCode(), "one bad line: " + r.stdout() + r.stderr());
        assertTrue(r.stderr().startsWith(file + ":3: error: not an SA event"), r.stderr());
        assertTrue(r.stdout().contains("3 event(s) played as publisher replay, 0 refused by the speaker, 0 warning(s), "
                + "1 bad line(s) skipped"), r.stdout());
        assertTrue(millis >= 3000, "the lines' times were honoured: " + millis + " ms");
        awaitInGobgpd(Set.of("10.81.3.0/24"));
        awaitAtUpstream(Set.of("10.81.3.0/24"));

        // the field state captured as a snapshot, the publisher's SAs wiped (an empty snapshot),
        // then the capture replayed as another publisher: the same route comes back
        Exec.Result capture = cli(List.of(), "show", "sa", "--json-lines", "--source", "replay");
        assertEquals(0, capture.exitCode(), capture.stderr());
        assertEquals(3, capture.stdout().lines().count(), capture.stdout());
        Exec.Result wipe = cli(List.of(), "publish", "snapshot", "--publisher", "replay", "/dev/null");
        assertEquals(0, wipe.exitCode(), wipe.stdout() + wipe.stderr());
        awaitInGobgpd(Set.of());
        Path captured = Files.writeString(lab.dir().resolve("captured.jsonl"), capture.stdout());
        Exec.Result again = cli(List.of(), "replay", "--fast", "--publisher", "lab", captured.toString());
        assertEquals(0, again.exitCode(), again.stdout() + again.stderr());
        awaitInGobgpd(Set.of("10.81.3.0/24"));
        assertEquals(0, cli(List.of(), "publish", "snapshot", "--publisher", "lab", "/dev/null").exitCode());
    }

    @Test
    void aUserNotNamedAsPublisherIsRefusedAndNothingIsAnnounced() {
        List<String> nobody = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
        Exec.Result read = cli(nobody, "show", "status");
        assertEquals(0, read.exitCode(), "the socket's group may read: " + read.stderr());
        Exec.Result r = cli(nobody, "publish", "up", "--publisher", "libreswan", "--connection", "spokes",
                "--peer", "198.51.100.66", "--remote-ts", "10.81.66.0/24");
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().startsWith("publish up: refused by the speaker: uid 65534 gid 65534"), r.stderr());
        assertTrue(r.stderr().contains("may not publish SA events to this speaker (allowed: publisher uid 0)"), r.stderr());
        assertFalse(inGobgpd().contains("10.81.66.0/24"));
        assertTrue(speaker.logText().contains("refused rri.v1.RriControl/Publish"), "logged");
    }
}
