package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.Lab;
import net.rrispeaker.lab.OspfEdge;
import net.rrispeaker.lab.SpeakerProcess;
import net.rrispeaker.lab.Template;
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
 * End to end through FRR: a tunnel comes up at the hub, the speaker's FRR sink writes the spoke's
 * network into the hub's staticd with the RRI tag and distance, the hub's ospfd redistributes it
 * with the operator's route-map (match tag 5, metric 50, type 1), and the OSPF-only edge router
 * behind the hub has it as an external type-1 route with the tag. The same route also reaches BGP
 * (gobgpd, the core), as without the FRR sink. One lab for the class, scenarios in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FrrSinkIT {
    private static final String LAN = Topology.SPOKE_LAN4;
    private static final String OUR_LINE = "ip route " + LAN + " " + Topology.SPOKE_WAN + " tag 5 20";
    /** A manual static of the speaker's config, IPv6, to OSPFv3. */
    private static final String STATIC6 = "fd00:99::/64";
    private static final String STATIC6_LINE = "ipv6 route " + STATIC6 + " " + Topology.CORE_HUB6 + " tag 5 20";
    /** The operator's own static route in the hub's staticd; redistributed too (tag 5), never touched. */
    private static final String OPERATOR_NET = "10.90.0.0/24";
    private static final String OPERATOR_LINE = "ip route " + OPERATOR_NET + " " + Topology.CORE_HUB4 + " tag 5";
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    /** Longer than the batch window, an SPF run and an LSA's trip to the edge, many times over. */
    private static final Duration QUIET = Duration.ofSeconds(3);
    /** The route-map's metric plus the hub-edge link's cost (FRR: 10 on a veth). */
    private static final int E1_COST = 50 + 10;

    private Lab lab;
    private OspfEdge edge;
    private SpeakerProcess speaker;

    @RegisterExtension
    final TestWatcher diagnostics = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            report(context.getDisplayName());
        }
    };

    @BeforeAll
    void startLab() {
        lab = Lab.start();
        try {
            edge = lab.startOspfEdge(OPERATOR_LINE + "\n");
            Path config = Template.write("frr-speaker.conf.tmpl", Map.of("LAB", lab.dir().toString(),
                    "STATIC6", STATIC6), lab.dir().resolve("speaker-frr.conf"));
            speaker = new SpeakerProcess(lab, SpeakerProcess.defaultJar(), config);
            speaker.start();
        } catch (RuntimeException | Error e) {
            report("start");
            throw e;
        }
    }

    @AfterAll
    void stopEverything() {
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void speakerRunning() {
        if (!speaker.alive()) {
            speaker.start();
        }
    }

    @Test
    @Order(1)
    void tunnelUpGivesTheSpokeNetworkAtTheEdgeAsOspfExternalType1WithTheTag() {
        ensureTunnelDown();
        lab.initiate();
        JsonNode route = awaitAtEdge(LAN);
        assertEquals("N E1", route.path("routeType").asText(), "route type at the edge: " + route);
        assertEquals(E1_COST, route.path("cost").asInt(), "E1 cost = route-map metric + path cost: " + route);
        assertEquals(5, route.path("tag").asInt(), "the RRI tag travels in the external LSA: " + route);
        JsonNode lsa = edge.edgeExternalLsa("10.81.2.0");
        assertEquals(50, lsa.path("metric").asInt(), "LSA metric (set metric 50): " + lsa);
        assertEquals("E1", lsa.path("metricType").asText(), "LSA metric type (set metric-type type-1): " + lsa);
        assertEquals(5, lsa.path("externalRouteTag").asInt(), "LSA tag: " + lsa);
        // in the hub's FRR exactly as IOS RRI installs it: static, distance 20, tag 5, via the peer
        assertTrue(edge.hubStatics().contains(OUR_LINE), "hub staticd:\n" + edge.hubStatics());
        String rib = edge.hub("show ip route " + LAN);
        assertTrue(rib.contains("Known via \"static\", distance 20") && rib.contains("tag 5"), "hub RIB:\n" + rib);
        // and the same tunnel still reaches BGP: the core has the path from gobgpd
        Await.until(CONVERGE, LAN + " in the core's BGP table", () -> !lab.core().bgpRoute(LAN).isMissingNode());
        // show status has the FRR sink as a component: connected, the routes it holds (the tunnel's
        // network and the manual IPv6 static), no error
        Await.until(CONVERGE, "show status: frr connected, 2 routes held", () -> speaker.status().getComponentsList()
                .stream().anyMatch(c -> c.getName().equals("frr") && c.getConnected()
                        && c.getDetail().contains(", 2 routes held, in sync")));
    }

    @Test
    @Order(2)
    void aManualIpv6StaticReachesTheEdgeThroughOspfv3() {
        JsonNode rib = Await.until(CONVERGE, STATIC6 + " at the edge via OSPFv3", () -> {
            JsonNode r = edge.edgeRib(STATIC6);
            return r.isMissingNode() ? java.util.Optional.empty() : java.util.Optional.of(r);
        });
        assertEquals("ospf6", rib.path("protocol").asText(), "edge RIB: " + rib);
        assertEquals(E1_COST, rib.path("metric").asInt(), "E1 metric at the edge: " + rib);
        assertEquals(5, rib.path("tag").asInt(), "tag at the edge: " + rib);
        assertTrue(edge.hubStatics().contains(STATIC6_LINE), "hub staticd:\n" + edge.hubStatics());
        // the spoke's IPv6 LAN is behind an IPv4 peer: no FRR static route can name that next hop
        assertFalse(edge.hubStatics().contains(Topology.SPOKE_LAN6), "hub staticd:\n" + edge.hubStatics());
        assertTrue(speaker.logText().contains("route " + Topology.SPOKE_LAN6 + ": next hop " + Topology.SPOKE_WAN
                + " is of the other address family"), "the speaker says why:\n" + speaker.logTail(30));
    }

    @Test
    @Order(3)
    void tunnelDownWithdrawsItFromOspfAndLeavesTheOperatorsRoute() {
        ensureTunnelUp();
        lab.terminate();
        Await.until(CONVERGE, LAN + " gone from the edge", () -> edge.edgeOspfRoute(LAN).isMissingNode());
        assertFalse(edge.hubStatics().contains(OUR_LINE), "hub staticd:\n" + edge.hubStatics());
        assertOperatorRouteIntact();
    }

    @Test
    @Order(4)
    void afterAStaticdRestartOurRoutesComeBack() {
        ensureTunnelUp();
        edge.restartHubStaticd(); // staticd comes back with the operator's file only
        awaitRestored();
    }

    @Test
    @Order(5)
    void afterTheWholeFrrRestartedOurRoutesComeBack() {
        ensureTunnelUp();
        edge.restartHubFrr(); // zebra, staticd, ospfd, ospf6d: what watchfrr does when zebra dies
        awaitRestored();
    }

    private void awaitRestored() {
        Await.until(CONVERGE, "our routes back in the hub's staticd", () -> edge.hubStatics().contains(OUR_LINE)
                && edge.hubStatics().contains(STATIC6_LINE));
        JsonNode route = awaitAtEdge(LAN);
        assertEquals("N E1", route.path("routeType").asText(), "after the restart: " + route);
        assertEquals(5, route.path("tag").asInt(), "after the restart: " + route);
        assertEquals(1, count(edge.hubStatics(), OUR_LINE), "written once:\n" + edge.hubStatics());
        assertOperatorRouteIntact();
        // and a withdrawal still travels after the restart
        lab.terminate();
        Await.until(CONVERGE, LAN + " gone from the edge after the restart", () -> edge.edgeOspfRoute(LAN).isMissingNode());
        assertOperatorRouteIntact();
    }

    @Test
    @Order(6)
    void aSpeakerRestartChangesNothingThatIsRight() {
        ensureTunnelUp();
        awaitAtEdge(LAN);
        String lsaSeq = edge.edgeExternalLsa("10.81.2.0").path("lsaSeqNumber").asText();
        String before = edge.hubStatics();
        int reads = count(speaker.logText(), "sink=frr event=read");
        speaker.stop();
        speaker.start();
        Await.until(CONVERGE, "the restarted speaker's FRR sink has read staticd",
                () -> count(speaker.logText(), "sink=frr event=read") > reads);
        Await.holdsFor(QUIET, LAN + " stays at the edge with the same LSA (no flush, no re-origination)",
                () -> lsaSeq.equals(edge.edgeExternalLsa("10.81.2.0").path("lsaSeqNumber").asText()));
        assertEquals(before, edge.hubStatics(), "staticd unchanged by the restart");
    }

    @Test
    @Order(7)
    void aTunnelThatWentWhileTheSpeakerWasDownLeavesNoStaleRoute() {
        ensureTunnelUp();
        awaitAtEdge(LAN);
        speaker.stop();
        lab.terminate();
        speaker.start();
        Await.until(CONVERGE, "stale route removed from the hub's staticd", () -> !edge.hubStatics().contains(OUR_LINE));
        Await.until(CONVERGE, LAN + " gone from the edge", () -> edge.edgeOspfRoute(LAN).isMissingNode());
        assertTrue(edge.hubStatics().contains(STATIC6_LINE), "the still-wanted static stays:\n" + edge.hubStatics());
        assertOperatorRouteIntact();
    }

    // ------------------------------------------------------------------ helpers

    private JsonNode awaitAtEdge(String prefix) {
        return Await.until(CONVERGE, prefix + " at the edge as an OSPF route", () -> {
            JsonNode r = edge.edgeOspfRoute(prefix);
            return r.isMissingNode() ? java.util.Optional.empty() : java.util.Optional.of(r);
        });
    }

    private void assertOperatorRouteIntact() {
        String statics = edge.hubStatics();
        assertEquals(1, count(statics, OPERATOR_LINE), "the operator's route, as written:\n" + statics);
        JsonNode r = awaitAtEdge(OPERATOR_NET);
        assertEquals(5, r.path("tag").asInt(), "the operator's route at the edge: " + r);
    }

    private void ensureTunnelUp() {
        if (lab.hubInstalledChildren() == 0) {
            lab.initiate();
        }
        Await.until(CONVERGE, "our route in the hub's staticd", () -> edge.hubStatics().contains(OUR_LINE));
    }

    private void ensureTunnelDown() {
        if (lab.hubInstalledChildren() > 0) {
            lab.terminate();
        }
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length())) {
            n++;
        }
        return n;
    }

    private void report(String what) {
        System.err.println("=== FrrSinkIT " + what + " failed; speaker log tail:\n" + (speaker == null ? "" : speaker.logTail(60)));
        if (lab != null) {
            System.err.println(lab.diagnostics());
        }
    }
}
