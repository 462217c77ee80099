package net.rrispeaker.policy;

import static net.rrispeaker.policy.Fixture.bgp;
import static net.rrispeaker.policy.Fixture.community;
import static net.rrispeaker.policy.Fixture.policies;
import static net.rrispeaker.policy.Fixture.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import net.rrispeaker.config.BgpConfig;
import net.rrispeaker.model.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.redistribution.Redistributor;

/** Defaults (tag community, distance LOCAL_PREF, metric MED, ORIGIN incomplete) and every set clause. */
class RedistributionAttributesTest {

    /** Route 10.1.0.0/16 tag 7 distance 5 through {@code route-map RRI permit 10} + the given lines, metric 20. */
    private static BgpPath path(String... entryLines) {
        String config = "route-map RRI permit 10\n" + String.join("\n", entryLines);
        return new Redistributor(bgp("RRI", 20L), policies(config), true)
                .apply(route("10.1.0.0/16").tag(7).distance(5).build()).orElseThrow();
    }

    private static Arguments row(String name, Function<BgpPath, Object> field, Object expected, String... lines) {
        return Arguments.of(name, field, expected, lines);
    }

    static Stream<Arguments> rows() {
        Function<BgpPath, Object> comms = BgpPath::communities;
        Function<BgpPath, Object> lp = BgpPath::localPref;
        Function<BgpPath, Object> med = BgpPath::med;
        return Stream.of(
                row("default: tag 7 becomes community ASN:7", comms, List.of(community(65000, 7))),
                row("default: distance 5 becomes LOCAL_PREF 96", lp, 96L),
                row("default: MED from redistribute static metric", med, 20L),
                row("default: ORIGIN incomplete", BgpPath::origin, BgpPath.ORIGIN_INCOMPLETE),
                row("default: next hop self", BgpPath::nextHop, null),
                row("set community additive adds to the tag's community", comms,
                        List.of(community(65000, 7), community(1, 2)), " set community 1:2 additive"),
                row("set community replaces the tag's community", comms, List.of(community(1, 2), 3L),
                        " set community 1:2 3"),
                row("set community none removes all", comms, List.of(), " set community none"),
                row("well-known communities", comms, List.of(0xFFFFFF01L, 0xFFFFFF02L, 0xFFFFFF03L, 0L),
                        " set community no-export no-advertise local-AS internet"),
                row("32-bit community number", comms, List.of(4294967295L), " set community 4294967295"),
                row("additive does not duplicate", comms, List.of(community(65000, 7)), " set community 65000:7 additive"),
                row("a later set community line in one entry replaces the earlier", comms, List.of(community(2, 2)),
                        " set community 1:1", " set community 2:2"),
                row("set local-preference replaces the distance's value", lp, 300L, " set local-preference 300"),
                row("set metric replaces the redistribute metric", med, 5L, " set metric 5"),
                row("set metric +N adds to the redistribute metric", med, 25L, " set metric +5"),
                row("set metric -N never goes below 0", med, 0L, " set metric -50"),
                row("set origin igp", BgpPath::origin, BgpPath.ORIGIN_IGP, " set origin igp"),
                row("set origin egp AS: the AS is not carried", BgpPath::origin, BgpPath.ORIGIN_EGP, " set origin egp 65001"),
                row("set as-path prepend keeps the order", BgpPath::asPathPrepend, List.of(65000L, 65000L, 4200000000L),
                        " set as-path prepend 65000 65000 4200000000"),
                row("set ip next-hop", BgpPath::nextHop, Addresses.parse("198.51.100.7"), " set ip next-hop 198.51.100.7"),
                row("set ipv6 next-hop does not touch an IPv4 route", BgpPath::nextHop, null, " set ipv6 next-hop 2001:db8::7"),
                row("set large-community", BgpPath::largeCommunities, List.of(new BgpPath.LargeCommunity(65000, 1, 4294967295L)),
                        " set large-community 65000:1:4294967295"),
                row("set extcommunity rt adds route targets", BgpPath::routeTargets, List.of("65000:1", "192.0.2.1:7"),
                        " set extcommunity rt 65000:1 192.0.2.1:7"),
                row("set tag and metric-type leave the BGP attributes alone", comms, List.of(community(65000, 7)),
                        " set tag 99", " set metric-type type-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void sets(String name, Function<BgpPath, Object> field, Object expected, String[] lines) {
        assertEquals(expected, field.apply(path(lines)));
    }

    static Stream<Arguments> continueRows() {
        return Stream.of(
                Arguments.of("later set of the same attribute overrides the earlier", """
                        route-map RRI permit 10
                         set local-preference 150
                         continue
                        route-map RRI permit 20
                         set local-preference 250
                        """, 250L, List.of(community(65000, 7))),
                Arguments.of("additive communities accumulate across entries", """
                        route-map RRI permit 10
                         set community 1:1 additive
                         continue 30
                        route-map RRI permit 20
                         set community 2:2 additive
                        route-map RRI permit 30
                         set community 3:3 additive
                        """, 96L, List.of(community(65000, 7), community(1, 1), community(3, 3))),
                Arguments.of("matches see the original route, not earlier sets (IOS deferred sets)", """
                        route-map RRI permit 10
                         set tag 100
                         set community none
                         continue
                        route-map RRI permit 20
                         match tag 100
                         set local-preference 1
                        route-map RRI permit 30
                         match tag 7
                         set community 9:9 additive
                        """, 96L, List.of(community(9, 9))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("continueRows")
    void continueCollectsSetsInConfigurationOrder(String name, String config, Long localPref, List<Long> communities) {
        BgpPath p = new Redistributor(bgp("RRI", null), policies(config), true)
                .apply(route("10.1.0.0/16").tag(7).distance(5).build()).orElseThrow();
        assertEquals(localPref, p.localPref());
        assertEquals(communities, p.communities());
    }

    @Test
    void relativeMetricsAccumulateAcrossContinue() {
        BgpPath p = new Redistributor(bgp("RRI", null), policies("""
                route-map RRI permit 10
                 set metric 10
                 continue 30
                route-map RRI permit 30
                 set metric +5
                """), true).apply(route("10.1.0.0/16").build()).orElseThrow();
        assertEquals(15L, p.med());
    }

    @Test
    void setTagAndMetricTypeAreKeptForTheIgpPath() {
        PolicyDecision d = new Redistributor(bgp("RRI", null), policies("""
                route-map RRI permit 10
                 set tag 99
                 set metric-type type-1
                """), true).decide(route("10.1.0.0/16").tag(7).build());
        assertEquals(99L, d.attributes().tag());
        assertEquals("type-1", d.attributes().metricType());
    }

    @Test
    void withoutRouteMapEverythingIsRedistributedWithDefaults() {
        Redistributor r = new Redistributor(bgp(null, null), PolicySet.empty(), false);
        PolicyDecision d = r.decide(route("10.1.0.0/16").tag(3).build());
        assertEquals(PolicyDecision.Reason.NO_ROUTE_MAP, d.reason());
        BgpPath p = r.apply(route("10.1.0.0/16").tag(3).build()).orElseThrow();
        assertEquals(List.of(community(65000, 3)), p.communities());
        assertEquals(100L, p.localPref());
        assertNull(p.med());
        assertEquals(Addresses.parse("192.0.2.1"), p.nextHop(), "rri bgp next-hop route");
    }

    @Test
    void undefinedRouteMapRedistributesNothing() {
        Redistributor r = new Redistributor(bgp("MISSING", null), policies("route-map RRI permit 10"), true);
        PolicyDecision d = r.decide(route("10.1.0.0/16").build());
        assertEquals(PolicyDecision.Reason.UNDEFINED_ROUTE_MAP, d.reason());
        assertEquals("MISSING", d.map());
        assertTrue(r.apply(route("10.1.0.0/16").build()).isEmpty());
    }

    @Test
    void familyWithoutRedistributeStaticRedistributesNothing() {
        BgpConfig v4only = new BgpConfig(65000, Map.of(BgpConfig.AddressFamily.IPV4,
                new BgpConfig.RedistributeStatic(null, null, "rri.conf", 3)), new BgpConfig.AttributeMapping(65000L, 100L), 1);
        Redistributor r = new Redistributor(v4only, PolicySet.empty(), true);
        assertTrue(r.apply(route("2001:db8::/48").build()).isPresent() == false);
        assertTrue(r.apply(route("10.0.0.0/8").vrf("blue").build()).isEmpty(), "a VRF is its own address family");
        assertTrue(r.apply(route("10.0.0.0/8").build()).isPresent());
    }

    @Test
    void mappingsCanBeSwitchedOff() {
        BgpConfig off = new BgpConfig(65000, Map.of(BgpConfig.AddressFamily.IPV4,
                new BgpConfig.RedistributeStatic(null, null, "rri.conf", 3)), new BgpConfig.AttributeMapping(null, null), 1);
        BgpPath p = new Redistributor(off, PolicySet.empty(), true).apply(route("10.0.0.0/8").tag(5).build()).orElseThrow();
        assertEquals(List.of(), p.communities());
        assertNull(p.localPref());
    }
}
