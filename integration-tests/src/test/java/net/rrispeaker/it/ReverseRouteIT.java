package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.rrispeaker.control.api.CryptoRoute;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.GobgpObserver;
import net.rrispeaker.lab.GobgpObserver.PathView;
import net.rrispeaker.lab.Lab;
import net.rrispeaker.lab.SpeakerProcess;
import net.rrispeaker.lab.Topology;
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

/**
 * End to end: the real speaker between a real hub charon and a real gobgpd (and
 * FRR core behind it), one lab for the whole class, scenarios in order. Each scenario first
 * restores what it needs (every daemon running, the tunnel up or down) so that one failure
 * does not hide the next.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReverseRouteIT {
    private static final long OUR_PATH_ID = 21074;
    private static final List<String> LANS = List.of(Topology.SPOKE_LAN4, Topology.SPOKE_LAN6);
    private static final Duration CONVERGE = Duration.ofSeconds(20);
    /** Hub DPD: dpd_delay 2 s + 1 + 1.2 + 1.44 s of retransmits, measured ~4.7 s. */
    private static final Duration DPD = Duration.ofSeconds(30);
    /** Observation window for "nothing was withdrawn": several times the speaker's 200 ms withdraw delay. */
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final Pattern CHILD = Pattern.compile("spoke-lan: #(\\d+), reqid \\d+, INSTALLED");
    private static final Pattern IKE = Pattern.compile("spokes: #(\\d+), ESTABLISHED");

    private Lab lab;
    private SpeakerProcess speaker;
    private GobgpObserver gobgp;

    @RegisterExtension
    final TestWatcher diagnostics = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            report(context.getDisplayName());
        }
    };

    @BeforeAll
    void startLabAndSpeaker() {
        lab = Lab.start();
        try {
            speaker = new SpeakerProcess(lab, SpeakerProcess.defaultJar(), lab.writeSpeakerConfig());
            speaker.start();
            gobgp = new GobgpObserver(lab.gobgpSocket());
            gobgp.watch();
        } catch (RuntimeException | Error e) {
            report("start");
            throw e;
        }
    }

    @AfterAll
    void stopEverything() {
        if (gobgp != null) {
            gobgp.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    /** Every daemon and the speaker running, the event stream open. */
    @BeforeEach
    void everythingRunning() {
        if (!lab.hub().alive()) {
            lab.hub().start();
        }
        if (!lab.spoke().alive()) {
            lab.spoke().start();
        }
        if (!lab.gobgpd().alive()) {
            lab.gobgpd().start();
        }
        if (!speaker.alive()) {
            speaker.start();
        }
        if (!gobgp.watching()) {
            gobgp.watch();
        }
    }

    @Test
    @Order(1)
    void tunnelUpAnnouncesBothLansWithTagDistanceAndNextHopSelf() {
        ensureTunnelDown();
        lab.initiate();
        awaitAnnounced();
        for (String lan : LANS) {
            PathView p = ours(lan).get(0);
            assertEquals(lan.contains(":") ? "::" : "0.0.0.0", p.nextHop(), lan + " next hop in gobgpd (self)");
            assertEquals(List.of("65000:5"), p.communities(), lan + " communities (tag 5)");
            assertEquals(81, p.localPref(), lan + " LOCAL_PREF (distance 20)");
            assertEquals(PathView.ORIGIN_INCOMPLETE, p.origin(), lan + " ORIGIN");
        }
        // the upstream router sees the hub as next hop, with the same community and LOCAL_PREF
        for (String lan : LANS) {
            JsonNode at = awaitAtCore(lan);
            assertEquals(lan.contains(":") ? Topology.HUB_CORE6 : Topology.HUB_CORE4,
                    at.path("nexthops").path(0).path("ip").asText(), lan + " next hop at core: " + at);
            assertEquals("65000:5", at.path("community").path("string").asText(), lan + " community at core: " + at);
            assertEquals(81, at.path("locPrf").asInt(), lan + " LOCAL_PREF at core: " + at);
            assertEquals("incomplete", at.path("origin").asText(), lan + " origin at core: " + at);
        }
        // the speaker's own table keeps the remote peer as next hop, as on a Cisco router
        for (CryptoRoute r : speaker.cryptoRoutes()) {
            assertEquals(Topology.SPOKE_WAN, r.getNextHop(), "speaker route " + r);
            assertEquals(20, r.getDistance(), "speaker route distance " + r);
            assertEquals(5, r.getTag(), "speaker route tag " + r);
        }
        assertEquals(Set.copyOf(LANS), speakerRoutes(), "speaker routes");
        String show = speaker.showCryptoRoute(false).check().stdout();
        assertTrue(show.contains("10.81.2.0/") && show.contains(Topology.SPOKE_LAN6), "show crypto route:\n" + show);
        assertTrue(show.contains("via " + Topology.SPOKE_WAN), "show crypto route next hop:\n" + show);
    }

    @Test
    @Order(2)
    void childRekeyWithdrawsNothing() {
        ensureTunnelUp();
        int mark = gobgp.mark();
        Set<String> before = ids(CHILD);
        lab.rekeyChild();
        Await.until(CONVERGE, "hub CHILD_SA rekeyed (new uniqueid)", () -> changed(CHILD, before));
        assertNothingWithdrawnSince(mark, "child rekey");
    }

    @Test
    @Order(3)
    void ikeRekeyWithdrawsNothing() {
        ensureTunnelUp();
        int mark = gobgp.mark();
        Set<String> before = ids(IKE);
        lab.rekeyIke();
        Await.until(CONVERGE, "hub IKE_SA rekeyed (new uniqueid)", () -> changed(IKE, before));
        assertNothingWithdrawnSince(mark, "IKE rekey");
    }

    @Test
    @Order(4)
    void makeBeforeBreakReauthWithdrawsNothing() {
        ensureTunnelUp();
        // charon postpones a reauth while a rekeyed CHILD_SA is still DELETED (1 s in the lab)
        Await.until(CONVERGE, "no rekeyed CHILD_SA left on the spoke",
                () -> !lab.spoke().swanctl("--list-sas").check().stdout().contains("DELETED"));
        int mark = gobgp.mark();
        Set<String> ikeBefore = ids(IKE);
        Set<String> childBefore = ids(CHILD);
        lab.reauth();
        Await.until(CONVERGE, "hub: new IKE_SA and CHILD_SA, old ones gone",
                () -> changed(IKE, ikeBefore) && changed(CHILD, childBefore));
        assertNothingWithdrawnSince(mark, "make-before-break reauth");
    }

    @Test
    @Order(5)
    void terminateWithdrawsBothLans() {
        ensureTunnelUp();
        int mark = gobgp.mark();
        lab.terminate();
        awaitWithdrawn(CONVERGE);
        gobgp.barrier();
        Set<String> withdrawn = gobgp.withdrawalsSince(mark).stream().map(PathView::prefix).collect(Collectors.toSet());
        assertTrue(withdrawn.containsAll(LANS), "withdrawal events after terminate: " + withdrawn);
        for (String lan : LANS) {
            Await.until(CONVERGE, lan + " gone at core", () -> lab.core().bgpRoute(lan).isMissingNode());
        }
    }

    @Test
    @Order(6)
    void deadSpokeIsWithdrawnAfterDpd() {
        ensureTunnelUp();
        long t0 = System.nanoTime();
        lab.spoke().kill();
        awaitWithdrawn(DPD);
        System.out.printf("dead spoke (SIGKILL) -> withdrawn in gobgpd after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        lab.spoke().start();
    }

    @Test
    @Order(7)
    void speakerKilledAndRestartedWhileTunnelUpWithdrawsNothingAndDuplicatesNothing() {
        ensureTunnelUp();
        int mark = gobgp.mark();
        speaker.kill();
        speaker.start();
        Await.until(CONVERGE, "restarted speaker knows both LANs and is connected to charon and gobgpd",
                () -> speakerRoutes().containsAll(LANS) && speaker.allConnected());
        assertNothingWithdrawnSince(mark, "speaker SIGKILL + restart");
        for (String lan : LANS) {
            List<PathView> all = gobgp.paths(lan);
            assertEquals(1, all.size(), lan + ": exactly one path in gobgpd, got " + all);
        }
    }

    @Test
    @Order(8)
    void tunnelTerminatedWhileSpeakerDownIsWithdrawnAfterRestart() {
        ensureTunnelUp();
        speaker.kill();
        lab.terminate();
        Await.until(CONVERGE, "hub without CHILD_SA", () -> lab.hubInstalledChildren() == 0);
        for (String lan : LANS) {
            assertEquals(1, ours(lan).size(), lan + " still in gobgpd while the speaker is down");
        }
        speaker.start();
        awaitWithdrawn(CONVERGE);
    }

    @Test
    @Order(9)
    void hubCharonRestartedSpeakerReconnectsAndFollowsTheNewState() {
        ensureTunnelUp();
        // SIGTERM: charon reports every SA down, then closes the socket; the new one has no SAs
        lab.hub().restart();
        awaitWithdrawn(CONVERGE);
        // the spoke's old SA is stale: restart it and bring the tunnel up against the new charon
        lab.spoke().kill();
        lab.spoke().start();
        lab.initiate();
        awaitAnnounced();
    }

    @Test
    @Order(10)
    void hubCharonKilledAndRestartedSpeakerResyncsFromTheSnapshot() {
        ensureTunnelUp();
        // SIGKILL: no down events this time, only the list-sas snapshot of the new charon tells
        lab.hub().kill();
        lab.hub().start();
        awaitWithdrawn(CONVERGE);
        lab.spoke().kill();
        lab.spoke().start();
        lab.initiate();
        awaitAnnounced();
    }

    @Test
    @Order(11)
    void gobgpdRestartedSpeakerReannouncesEverything() {
        ensureTunnelUp();
        lab.gobgpd().restart();
        gobgp.watch();
        awaitAnnounced();
        for (String lan : LANS) {
            PathView p = ours(lan).get(0);
            assertEquals(List.of("65000:5"), p.communities(), lan + " communities after gobgpd restart");
            assertEquals(81, p.localPref(), lan + " LOCAL_PREF after gobgpd restart");
            assertEquals(1, gobgp.paths(lan).size(), lan + ": exactly one path");
        }
        for (String lan : LANS) {
            awaitAtCore(lan);
        }
    }

    // ------------------------------------------------------------------ helpers

    private Set<String> speakerRoutes() {
        return speaker.cryptoRoutes().stream().map(CryptoRoute::getPrefix).collect(Collectors.toSet());
    }

    private List<PathView> ours(String lan) {
        return gobgp.paths(lan).stream().filter(p -> p.identifier() == OUR_PATH_ID).toList();
    }

    private void awaitAnnounced() {
        for (String lan : LANS) {
            Await.until(CONVERGE, lan + " announced in gobgpd", () -> ours(lan).size() == 1);
        }
    }

    private void awaitWithdrawn(Duration timeout) {
        for (String lan : LANS) {
            Await.until(timeout, lan + " withdrawn from gobgpd", () -> ours(lan).isEmpty());
        }
    }

    private JsonNode awaitAtCore(String lan) {
        return Await.until(CONVERGE, lan + " at FRR core", () -> {
            JsonNode p = lab.core().bgpRoute(lan);
            return p.isMissingNode() ? Optional.empty() : Optional.of(p);
        });
    }

    /** Both LANs stay announced for {@link #QUIET}; then, after a barrier, no withdrawal of ours since {@code mark}. */
    private void assertNothingWithdrawnSince(int mark, String during) {
        Await.holdsFor(QUIET, "both LANs announced after " + during,
                () -> LANS.stream().allMatch(lan -> ours(lan).size() == 1));
        gobgp.barrier();
        List<PathView> withdrawn = gobgp.withdrawalsSince(mark).stream()
                .filter(p -> LANS.contains(p.prefix())).toList();
        assertEquals(List.of(), withdrawn, "withdrawals during " + during);
    }

    private void ensureTunnelUp() {
        if (lab.hubInstalledChildren() == 0) {
            lab.initiate();
        }
        awaitAnnounced();
    }

    private void ensureTunnelDown() {
        if (lab.hubInstalledChildren() > 0) {
            lab.terminate();
        }
        awaitWithdrawn(CONVERGE);
    }

    private Set<String> ids(Pattern p) {
        Matcher m = p.matcher(lab.hubSas());
        Set<String> ids = new java.util.HashSet<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /** Exactly one SA of that kind now, and none of the ones from before. */
    private boolean changed(Pattern p, Set<String> before) {
        Set<String> now = ids(p);
        return now.size() == 1 && now.stream().noneMatch(before::contains);
    }

    private void report(String what) {
        System.err.println("==== " + what + " failed; speaker log tail:");
        System.err.println(speaker == null ? "(speaker not started)" : speaker.logTail(80));
        System.err.println("==== lab:");
        System.err.println(lab.diagnostics());
    }
}
