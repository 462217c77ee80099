package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.rrispeaker.control.api.CryptoRoute;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.GobgpObserver;
import net.rrispeaker.lab.GobgpObserver.PathView;
import net.rrispeaker.lab.SimChildSa;
import net.rrispeaker.lab.SimIkeSa;
import net.rrispeaker.lab.SimLab;
import net.rrispeaker.lab.SpeakerProcess;
import net.rrispeaker.lab.ViciServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and malformed input from the IPsec side, as a user of the hub sees it: the real speaker
 * between the VICI simulator (instead of charon) and a real gobgpd, which has an eBGP session
 * (AS 65000 - 65010, IPv4 and IPv6) to an upstream FRR router ({@link SimLab}). One lab and one
 * speaker for the class, scenarios in order.
 *
 * <p>What every scenario checks:
 * <ul>
 *   <li>the upstream's sessions stay Established and are never reset (its own
 *       connection-established and dropped counters do not move);</li>
 *   <li>every legitimate spoke route stays: no withdrawal of one on gobgpd's event stream;</li>
 *   <li>nothing else is ever announced: no best-path event for any other prefix on gobgpd's event
 *       stream (which also catches a route announced and withdrawn again), gobgpd's RIB and the
 *       upstream's BGP table hold exactly the legitimate prefixes.</li>
 * </ul>
 * A hostile peer is a separate IKE_SA from its own outer address. Each live hostile case is
 * followed by a legitimate "sentinel" spoke on the same connection: once the sentinel's route is
 * in gobgpd, the speaker has handled the hostile event before it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileSelectorsIT {
    private static final String CONN = "spokes";
    private static final String CHILD = "spoke-lan";
    private static final List<String> HUB_TS = List.of("10.80.0.0/16", "fd00:80::/32");
    private static final int HOLD_SECONDS = 2;
    private static final Duration CONVERGE = Duration.ofSeconds(20);
    /** Several times the speaker's 200 ms withdraw delay. */
    private static final Duration QUIET = Duration.ofMillis(1500);

    private static final SimIkeSa SPOKE_A = legit(1, "198.51.100.10", 11, "10.81.1.0/24", "fd00:81:1::/64");
    private static final SimIkeSa SPOKE_B = legit(2, "198.51.100.20", 21, "10.81.2.0/24");
    private static final SimIkeSa SPOKE_C = legit(3, "198.51.100.30", 31, "10.81.3.0/24", "fd00:81:3::/64");
    private static final SimIkeSa SPOKE_D = legit(4, "198.51.100.40", 41, "10.81.4.0/24");
    private static final String CONTESTED = "10.81.2.0/24";

    private SimLab lab;
    private ViciServer vici;
    private SpeakerProcess speaker;
    private GobgpObserver gobgp;
    /** What gobgpd and the upstream must hold: the legitimate spokes' prefixes. */
    private final Set<String> legit = new TreeSet<>();
    /** Session counters when the class started, and when the current scenario started. */
    private List<SimLab.Session> baseline;
    private List<SimLab.Session> before;
    private int sentinels;
    private int logMark;

    @RegisterExtension
    final TestWatcher diagnostics = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            report(context.getDisplayName());
        }
    };

    /** A hostile case: what the peer sends as its remote traffic selectors, and from where. */
    record Hostile(String what, long ikeId, String remoteHost, List<String> remoteTs) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Arguments> hostileCases() {
        return hostile().stream().map(Arguments::of);
    }

    static List<Hostile> hostile() {
        return List.of(
                new Hostile("default routes 0.0.0.0/0 and ::/0", 100, "203.0.113.100", List.of("0.0.0.0/0", "::/0")),
                new Hostile("IPv4-mapped ::ffff:0.0.0.0/96", 101, "203.0.113.101", List.of("::ffff:0.0.0.0/96")),
                new Hostile("IPv4 halves 0.0.0.0/1 + 128.0.0.0/1", 102, "203.0.113.102", List.of("0.0.0.0/1", "128.0.0.0/1")),
                new Hostile("IPv6 halves ::/1 + 8000::/1", 103, "203.0.113.103", List.of("::/1", "8000::/1")),
                new Hostile("range 0.0.0.1..255.255.255.255 (and its dash spelling)", 104, "203.0.113.104",
                        List.of("0.0.0.1..255.255.255.255", "0.0.0.1-255.255.255.255")),
                new Hostile("martians 127/8, 224/4, 169.254/16, 0/8", 105, "203.0.113.105",
                        List.of("127.0.0.0/8", "224.0.0.0/4", "169.254.0.0/16", "0.0.0.0/8")),
                new Hostile("more-specific 10.81.1.128/25 inside spoke A's 10.81.1.0/24", 106, "203.0.113.106",
                        List.of("10.81.1.128/25")),
                new Hostile("spoke B's 10.81.2.0/24 from a lower outer address", 107, "198.51.100.5", List.of(CONTESTED)),
                new Hostile("the hub's own protected network 10.80.0.0/16", 108, "203.0.113.108", List.of("10.80.0.0/16")));
    }

    @BeforeAll
    void startLabAndSpeaker() {
        lab = SimLab.start();
        try {
            vici = lab.vici();
            vici.addAll(List.of(SPOKE_A, SPOKE_B, SPOKE_C));
            speaker = new SpeakerProcess(lab, SpeakerProcess.defaultJar(),
                    lab.writeSpeakerConfig("hostile-speaker.conf.tmpl", Map.of("HOLD", Integer.toString(HOLD_SECONDS))));
            speaker.start();
            gobgp = new GobgpObserver(lab.gobgpSocket());
            gobgp.watch();
            baseline = lab.sessions();
        } catch (RuntimeException | Error e) {
            report("start");
            throw e;
        }
    }

    @AfterAll
    void stopEverything() {
        if (vici != null) {
            vici.resumeListing();
        }
        if (gobgp != null) {
            gobgp.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    /**
     * Every scenario starts from a settled lab: speaker running and connected, no stream paused,
     * both sessions Established, every legitimate route in gobgpd and nothing in flight on
     * gobgpd's event stream; its session counters are the scenario's baseline.
     */
    @BeforeEach
    void settled() {
        vici.resumeListing();
        if (!speaker.alive()) {
            speaker.start();
        }
        if (!gobgp.watching()) {
            gobgp.watch();
        }
        Await.until(CONVERGE, "speaker connected to the simulator and gobgpd", () -> speaker.allConnected());
        awaitInGobgpd(legit);
        lab.awaitBgp(CONVERGE);
        gobgp.barrier();
        before = lab.sessions();
        logMark = speaker.logText().length();
    }

    @Test
    @Order(1)
    void legitimateSpokesReachTheUpstreamFromTheSnapshotAndFromEvents() {
        int mark = gobgp.mark();
        legit.addAll(prefixes(SPOKE_A, SPOKE_B, SPOKE_C));
        awaitInGobgpd(legit);
        Await.until(CONVERGE, "speaker registered for child-updown", () -> vici.registered("child-updown") == 1);
        assertEquals(1, vici.ikeUp(SPOKE_D), "connections that got SPOKE_D's child-updown");
        legit.addAll(prefixes(SPOKE_D));
        awaitInGobgpd(legit);
        assertClean(mark, "legitimate spokes");
        for (String p : legit) {
            List<CryptoRoute> routes = routesFor(p);
            assertEquals(1, routes.size(), p + " in show crypto route: " + routes);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileCases")
    @Order(2)
    void hostileSelectorsFromAnotherPeerAreNeverAnnounced(Hostile h) {
        int mark = gobgp.mark();
        SimIkeSa peer = hostileSa(h);
        try {
            assertEquals(1, vici.ikeUp(peer), "connections that got the hostile child-updown");
            sentinel();
            assertClean(mark, h.what(), this::assertContestedPrefixKeepsItsFirstOwner);
        } finally {
            vici.ikeDown(peer.uniqueId());
            awaitNoForeignInGobgpd();
        }
    }

    @Test
    @Order(3)
    void hostileSelectorsInARestartSnapshotAreNeverAnnounced() {
        int mark = gobgp.mark();
        List<SimIkeSa> peers = hostile().stream().map(HostileSelectorsIT::hostileSa).toList();
        vici.addAll(peers);
        try {
            restartSpeakerAndAwaitSnapshot();
            assertClean(mark, "speaker restart with every hostile peer in the list-sas snapshot",
                    this::assertContestedPrefixKeepsItsFirstOwner);
        } finally {
            for (SimIkeSa p : peers) {
                vici.ikeDown(p.uniqueId());
            }
            awaitNoForeignInGobgpd();
        }
    }

    @Test
    @Order(4)
    void malformedListSaRecordsLeaveTheOtherSasRoutes() {
        int mark = gobgp.mark();
        List<SimIkeSa> bad = List.of(
                SimIkeSa.of(CONN, 201, "198.51.100.201", child(2011, "10.81.201.0/24").withRaw("uniqueid", "2011x")),
                SimIkeSa.of(CONN, 202, "198.51.100.202", child(2021, "10.81.202.0/33", "300.1.2.0/24", "not-a-selector")),
                SimIkeSa.of(CONN, 203, "198.51.100.203", child(2031, "10.81.203.0/24")).withRaw("remote-host", "not-an-address"),
                SimIkeSa.of(CONN, 204, "198.51.100.204", child(2041, "10.81.204.0/24").withRaw("remote-ts", "10.81.204.0/24")));
        vici.addAll(bad);
        long accepted = vici.connectionsAccepted();
        long listed = vici.listSasCompleted();
        try {
            // a reconnect makes the speaker list everything again, malformed records included
            vici.dropConnections();
            Await.until(CONVERGE, "the speaker reconnected and listed the SAs again",
                    () -> vici.connectionsAccepted() > accepted && vici.listSasCompleted() > listed && speaker.allConnected());
            sentinel();
            assertClean(mark, "list-sas with malformed records");
        } finally {
            bad.forEach(s -> vici.remove(s.uniqueId()));
        }
    }

    @Test
    @Order(5)
    void malformedEventIsSkippedWithoutLosingTheConnection() {
        int mark = gobgp.mark();
        long accepted = vici.connectionsAccepted();
        SimIkeSa bad = SimIkeSa.of(CONN, 205, "198.51.100.205", child(2051, "10.81.205.0/24").withRaw("uniqueid", "x2051"));
        try {
            assertEquals(1, vici.ikeUp(bad), "connections that got the malformed child-updown");
            sentinel();
            assertClean(mark, "child-updown with a non-numeric CHILD_SA uniqueid", () -> assertEquals(accepted,
                    vici.connectionsAccepted(), "VICI connections accepted: the speaker kept its connection (no resync)"));
        } finally {
            vici.remove(bad.uniqueId());
        }
    }

    @Test
    @Order(6)
    void brokenFramingMakesTheSpeakerResyncWithoutWithdrawing() {
        int mark = gobgp.mark();
        long accepted = vici.connectionsAccepted();
        long listed = vici.listSasCompleted();
        assertEquals(1, vici.injectRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 7, 7, 7}));
        Await.until(CONVERGE, "the speaker reconnected and listed the SAs again",
                () -> vici.connectionsAccepted() > accepted && vici.listSasCompleted() > listed && speaker.allConnected());
        assertClean(mark, "a segment length of 4 GiB");
    }

    @Test
    @Order(7)
    void slowListSasAfterASpeakerRestartWithdrawsNothing() {
        int mark = gobgp.mark();
        long listed = vici.listSasCompleted();
        speaker.kill();
        vici.pauseListing(2);
        try {
            speaker.start();
            Await.until(CONVERGE, "the restarted speaker's list-sas paused after 2 records", () -> vici.pausedStreams() == 1);
            // paused for twice rri source-hold-time: the snapshot is still streaming, nothing may go
            // (assertClean below reports every withdrawal the window saw)
            Await.holdsFor(Duration.ofSeconds(2L * HOLD_SECONDS + 1), "list-sas stream still paused",
                    () -> vici.pausedStreams() == 1);
        } finally {
            vici.resumeListing();
        }
        Await.until(CONVERGE, "the list-sas stream completed", () -> vici.listSasCompleted() > listed);
        Await.until(CONVERGE, "speaker connected to the simulator and gobgpd", () -> speaker.allConnected());
        assertClean(mark, "a list-sas paused for " + (2 * HOLD_SECONDS + 1) + " s after a speaker restart");
    }

    @Test
    @Order(8)
    void childAndIkeDownWithdrawTheirRoutesAndNothingElse() {
        int mark = gobgp.mark();
        vici.childDown(SPOKE_D.uniqueId(), 41);
        legit.removeAll(prefixes(SPOKE_D));
        vici.ikeDown(SPOKE_C.uniqueId());
        legit.removeAll(prefixes(SPOKE_C));
        Set<String> gone = new TreeSet<>(prefixes(SPOKE_C, SPOKE_D));
        Await.until(CONVERGE, gone + " withdrawn from gobgpd", () -> gobgpPrefixes().stream().noneMatch(gone::contains));
        Await.until(CONVERGE, gone + " withdrawn at the upstream",
                () -> lab.upstreamPrefixes().stream().noneMatch(gone::contains));
        gobgp.barrier();
        Set<String> withdrawn = gobgp.withdrawalsSince(mark).stream().map(PathView::prefix).collect(Collectors.toSet());
        assertTrue(withdrawn.containsAll(gone), "withdrawal events: " + withdrawn);
        assertClean(mark, "child down and IKE down");
    }

    @Test
    @Order(9)
    void upstreamSessionsWereNeverResetDuringTheClass() {
        assertTrue(speaker.alive(), "speaker still running after every hostile input");
        assertSessionsUntouched(baseline, "the whole class");
    }

    // ------------------------------------------------------------------ scenario helpers

    private static SimIkeSa legit(long ikeId, String host, long childId, String... remoteTs) {
        return SimIkeSa.of(CONN, ikeId, host, child(childId, remoteTs)).withTimes(3600, 10079);
    }

    private static SimChildSa child(long childId, String... remoteTs) {
        return SimChildSa.of(CHILD, childId, HUB_TS, List.of(remoteTs));
    }

    /** A hostile peer: newer than every legitimate spoke (higher unique ids, established just now). */
    private static SimIkeSa hostileSa(Hostile h) {
        return SimIkeSa.of(CONN, h.ikeId(), h.remoteHost(),
                SimChildSa.of(CHILD, h.ikeId() * 10, HUB_TS, h.remoteTs())).withTimes(5, 13674);
    }

    private static Set<String> prefixes(SimIkeSa... sas) {
        Set<String> out = new TreeSet<>();
        for (SimIkeSa s : sas) {
            s.children().forEach(c -> out.addAll(c.remoteTs()));
        }
        return out;
    }

    /** A new legitimate spoke; returns once its route is in gobgpd (so everything sent before it was handled). */
    private void sentinel() {
        int k = ++sentinels;
        SimIkeSa s = legit(300 + k, "198.51.100." + (100 + k), 3000 + k, "10.81." + (100 + k) + ".0/24");
        assertEquals(1, vici.ikeUp(s), "connections that got the sentinel");
        legit.addAll(prefixes(s));
        awaitInGobgpd(legit);
    }

    private void restartSpeakerAndAwaitSnapshot() {
        long listed = vici.listSasCompleted();
        speaker.kill();
        speaker.start();
        Await.until(CONVERGE, "the restarted speaker listed the SAs and is connected",
                () -> vici.listSasCompleted() > listed && speaker.allConnected());
        awaitInGobgpd(legit);
    }

    /**
     * The user's view after a scenario, every point checked and reported: nothing but the
     * legitimate prefixes ever announced since {@code mark} (gobgpd's event stream), none of them
     * withdrawn, gobgpd's RIB and the upstream's table holding exactly them, the eBGP sessions
     * never reset, and whatever {@code more} the scenario adds.
     */
    private void assertClean(int mark, String during, Executable... more) {
        Await.holdsFor(QUIET, "speaker running", speaker::alive);
        gobgp.barrier();
        List<String> foreign = gobgp.eventsSince(mark).stream()
                .filter(e -> !e.withdraw() && !legit.contains(e.prefix()) && !e.prefix().equals(GobgpObserver.PROBE_PREFIX))
                .map(PathView::prefix).distinct().toList();
        List<String> lost = gobgp.withdrawalsSince(mark).stream().map(PathView::prefix).filter(legit::contains).distinct().toList();
        Set<String> rib = new TreeSet<>(gobgpPrefixes());
        Set<String> upstream = upstreamAfterConvergence(rib);
        List<Executable> checks = new ArrayList<>(List.of(
                () -> assertEquals(List.of(), foreign, "announced in gobgpd (event stream)"),
                () -> assertEquals(List.of(), lost, "legitimate routes withdrawn in gobgpd (event stream)"),
                () -> assertEquals(legit, rib, "gobgpd RIB"),
                () -> assertEquals(legit, upstream, "upstream BGP table"),
                () -> assertSessionsUntouched(before, during)));
        checks.addAll(List.of(more));
        assertAll(during, checks);
    }

    /** The upstream's table once it matches gobgpd's RIB, or as it is after a few seconds (it may refuse some). */
    private Set<String> upstreamAfterConvergence(Set<String> rib) {
        try {
            Await.until(Duration.ofSeconds(5), "upstream table = gobgpd RIB", () -> lab.upstreamPrefixes().equals(rib));
        } catch (AssertionError notTheSame) {
            // reported by the caller's comparison with the legitimate set
        }
        return lab.upstreamPrefixes();
    }

    private void assertSessionsUntouched(List<SimLab.Session> then, String during) {
        List<SimLab.Session> now = lab.sessions();
        for (int i = 0; i < now.size(); i++) {
            SimLab.Session was = then.get(i);
            SimLab.Session is = now.get(i);
            assertTrue(is.isEstablished() && was.established() == is.established() && was.dropped() == is.dropped()
                            && is.upMillis() >= was.upMillis(),
                    "upstream's eBGP session with " + is.neighbor() + " reset during " + during + ": " + was + " -> " + is);
        }
    }

    /** First owner keeps a prefix: spoke B's route stays via B, the later claimant gets none. */
    private void assertContestedPrefixKeepsItsFirstOwner() {
        Set<String> nextHops = routesFor(CONTESTED).stream().map(CryptoRoute::getNextHop).collect(Collectors.toSet());
        assertEquals(Set.of(SPOKE_B.remoteHost()), nextHops, CONTESTED + " next hops in show crypto route");
    }

    private List<CryptoRoute> routesFor(String prefix) {
        return speaker.cryptoRoutes().stream().filter(r -> r.getPrefix().equals(prefix)).toList();
    }

    private Set<String> gobgpPrefixes() {
        Set<String> out = new HashSet<>();
        for (PathView p : gobgp.list(GobgpObserver.IPV4)) {
            out.add(p.prefix());
        }
        for (PathView p : gobgp.list(GobgpObserver.IPV6)) {
            out.add(p.prefix());
        }
        out.remove(GobgpObserver.PROBE_PREFIX);
        return out;
    }

    private void awaitInGobgpd(Set<String> prefixes) {
        Set<String> want = Set.copyOf(prefixes);
        Await.until(CONVERGE, "in gobgpd: " + want, () -> gobgpPrefixes().containsAll(want));
    }

    /** Clean-up between cases: whatever a hostile case left in gobgpd is gone (or the next case fails on it). */
    private void awaitNoForeignInGobgpd() {
        try {
            Await.until(CONVERGE, "gobgpd back to the legitimate prefixes", () -> gobgpPrefixes().equals(legit));
        } catch (AssertionError e) {
            System.err.println("clean-up: " + e.getMessage() + "; gobgpd has " + new TreeSet<>(gobgpPrefixes()));
        }
    }

    private void report(String what) {
        System.err.println("==== " + what + " failed; what the speaker logged during it:");
        if (speaker != null) {
            String log = speaker.logText();
            List<String> lines = new ArrayList<>(List.of(log.substring(Math.min(logMark, log.length())).split("\n")));
            System.err.println(String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size())));
        }
        System.err.println("==== lab:");
        System.err.println(lab == null ? "(no lab)" : lab.diagnostics());
    }
}
