package net.rrispeaker.paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.engine.RouteTable;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.RouteKind;
import net.rrispeaker.redistribution.Redistributor;
import org.junit.jupiter.api.Test;

/**
 * From the route table's dirty destinations to the desired BGP paths, without a thread: which path
 * each destination becomes, which changes are reported, and what is told about route-map decisions
 * and conflicting claims.
 */
class DesiredPathsTest {
    private static final String BGP = """
            router bgp 65000
             redistribute static
            """;
    private static final String ROUTE_MAP = """
            router bgp 65000
             redistribute static route-map RRI
            route-map RRI permit 10
             match tag 5
             set local-preference 200
            route-map RRI deny 20
             match tag 7
            """;

    /** Remembers what the paths tell it, as the speaker's metrics and logs would. */
    static final class Recording implements DesiredPaths.Recorder {
        final List<RouteMapDecision> decisions = new ArrayList<>();
        final List<Conflict> conflicts = new ArrayList<>();

        @Override
        public void decided(RouteMapDecision d) {
            decisions.add(d);
        }

        @Override
        public void conflict(Conflict c) {
            conflicts.add(c);
        }

        /** Decisions counted as the speaker counts them: "map seq result" to count. */
        Map<String, Integer> counts() {
            Map<String, Integer> out = new TreeMap<>();
            decisions.forEach(d -> out.merge(d.map() + " " + d.seq() + " " + d.result(), 1, Integer::sum));
            return out;
        }
    }

    private final Recording recorder = new Recording();
    private final DesiredPaths paths = new DesiredPaths(recorder);
    private final RouteTable table = new RouteTable(0);

    private static Redistributor redistributor(String config) throws Exception {
        Config c = ConfigParser.parse("rri.conf", config);
        return new Redistributor(c.bgp(), c.policies(), c.rri().bgpNextHopSelf());
    }

    private static Route route(String vrf, String prefix, String nextHop, int distance, long tag, RouteKind kind,
                               String origin) {
        return new Route(vrf, Prefix.parse(prefix), Addresses.parse(nextHop), null, distance, tag, kind, origin);
    }

    private static Route rri(String prefix, String nextHop, int distance, long tag) {
        return route("", prefix, nextHop, distance, tag, RouteKind.RRI, "dynamic-map DYN " + tag);
    }

    private static BgpPath.Key key(String prefix) {
        return new BgpPath.Key("", Prefix.parse(prefix));
    }

    private static RouteTable.Dest dest(String prefix) {
        return new RouteTable.Dest("", Prefix.parse(prefix));
    }

    private List<PathChange> update(Redistributor r) {
        return paths.update(table.drainDirty(), table, r);
    }

    private static long community(long tag) {
        return 65000L << 16 | tag;
    }

    @Test
    void aRouteMapPermitsWithItsSetClausesDeniesOthersAndAReloadReDecides() throws Exception {
        Redistributor r = redistributor(ROUTE_MAP);
        table.setOwner("sa:spokes/2", List.of(rri("10.81.2.0/29", "192.0.2.2", 1, 5)), 0);
        table.setOwner("sa:branch-7/4", List.of(rri("10.87.0.0/24", "192.0.2.7", 1, 7)), 0);

        List<PathChange> changes = update(r);

        assertEquals(Set.of(key("10.81.2.0/29")), paths.paths().keySet(), "tag 7 is denied by seq 20");
        BgpPath p = paths.paths().get(key("10.81.2.0/29"));
        assertEquals(200L, p.localPref());
        assertEquals(List.of(community(5)), p.communities());
        assertEquals(List.of(new PathChange(key("10.81.2.0/29"), null, p)), changes);

        // a reload that denies tag 5 and permits tag 7: every destination re-decided
        table.markAllDirty();
        changes = update(redistributor(ROUTE_MAP.replace("permit 10", "deny 10").replace("deny 20", "permit 20")));
        assertEquals(Set.of(key("10.87.0.0/24")), paths.paths().keySet());
        assertEquals(2, changes.size());
        assertTrue(changes.contains(new PathChange(key("10.81.2.0/29"), p, null)), "withdrawn: " + changes);
        assertTrue(changes.contains(new PathChange(key("10.87.0.0/24"), null, paths.paths().get(key("10.87.0.0/24")))),
                "announced: " + changes);
    }

    @Test
    void routeMapDecisionsAreReportedPerMapSequenceAndResult() throws Exception {
        Redistributor r = redistributor(ROUTE_MAP);
        table.setOwner("sa:a/1", List.of(rri("10.1.0.0/24", "192.0.2.2", 1, 5), rri("10.2.0.0/24", "192.0.2.2", 1, 5)), 0);
        table.setOwner("sa:b/2", List.of(rri("10.3.0.0/24", "192.0.2.3", 1, 7)), 0);
        table.setOwner("sa:c/3", List.of(rri("10.4.0.0/24", "192.0.2.4", 1, 9)), 0);

        update(r);

        assertEquals(Map.of("RRI 10 permit", 2, "RRI 20 deny", 1, "RRI none deny", 1), recorder.counts(),
                "tag 9 matches no entry: implicit deny, no sequence");
        assertEquals(Set.of(key("10.1.0.0/24"), key("10.2.0.0/24")), paths.paths().keySet());
    }

    @Test
    void withoutARouteMapNoDecisionIsReportedAndEveryRouteBecomesAPath() throws Exception {
        table.setOwner("sa:a/1", List.of(rri("10.1.0.0/24", "192.0.2.2", 1, 5), rri("10.3.0.0/24", "192.0.2.2", 1, 7)), 0);

        update(redistributor(BGP));

        assertEquals(Set.of(key("10.1.0.0/24"), key("10.3.0.0/24")), paths.paths().keySet());
        assertEquals(List.of(), recorder.decisions);
    }

    @Test
    void onlyTheGivenDestinationsAreDecidedAndOnlyRealChangesAreReturned() throws Exception {
        Redistributor r = redistributor(ROUTE_MAP);
        table.setOwner("sa:a/1", List.of(rri("10.1.0.0/24", "192.0.2.2", 1, 5)), 0);
        table.setOwner("sa:b/2", List.of(rri("10.2.0.0/24", "192.0.2.3", 1, 5)), 0);
        table.drainDirty();

        List<PathChange> changes = paths.update(List.of(dest("10.1.0.0/24")), table, r);

        assertEquals(List.of(key("10.1.0.0/24")), changes.stream().map(PathChange::key).toList());
        assertEquals(Set.of(key("10.1.0.0/24")), paths.paths().keySet(), "10.2.0.0/24 was not given, so not decided");
        assertEquals(1, recorder.decisions.size());

        // a rekey: the same route under a new owner; re-deciding it changes nothing
        table.setOwner("sa:a/9", List.of(rri("10.1.0.0/24", "192.0.2.2", 1, 5)), 1);
        table.removeOwner("sa:a/1", 1);
        assertEquals(List.of(), paths.update(List.of(dest("10.1.0.0/24")), table, r));
    }

    @Test
    void aDestinationLosingItsLastRouteLosesItsPath() throws Exception {
        Redistributor r = redistributor(BGP);
        table.setOwner("sa:a/1", List.of(rri("10.1.0.0/24", "192.0.2.2", 1, 5), rri("10.9.0.0/24", "192.0.2.2", 1, 5)), 0);
        update(r);
        BgpPath before = paths.paths().get(key("10.1.0.0/24"));

        table.setOwner("sa:a/1", List.of(rri("10.9.0.0/24", "192.0.2.2", 1, 5)), 1);
        List<PathChange> changes = update(r);

        assertEquals(List.of(new PathChange(key("10.1.0.0/24"), before, null)), changes);
        assertTrue(changes.get(0).withdrawn());
        assertEquals(Set.of(key("10.9.0.0/24")), paths.paths().keySet());

        table.removeOwner("sa:a/1", 2);
        update(r);
        assertEquals(Map.of(), paths.snapshot());
    }

    @Test
    void twoNextHopsForOnePrefixHaveOneDeterministicWinnerReportedOnceUntilResolved() throws Exception {
        Redistributor r = redistributor("rri bgp next-hop route\n" + BGP);
        table.setOwner("sa:branch-1/2", List.of(rri("10.50.0.0/24", "192.0.2.9", 1, 7)), 0);
        table.setOwner("sa:branch-2/3", List.of(rri("10.50.0.0/24", "192.0.2.3", 1, 7)), 0);

        update(r);

        assertEquals(1, paths.size());
        assertEquals(Addresses.parse("192.0.2.3"), paths.paths().get(key("10.50.0.0/24")).nextHop(),
                "same distance, kind, tag and origin: the lowest next hop wins");
        assertEquals(1, recorder.conflicts.size());
        Conflict c = recorder.conflicts.get(0);
        assertEquals(Conflict.Kind.SEVERAL_NEXT_HOPS, c.kind());
        assertEquals(dest("10.50.0.0/24"), c.dest());
        assertEquals(2, c.candidates().size());
        assertEquals("prefix=10.50.0.0/24 vrf= reason=claimed-by-several-next-hops candidates=2"
                + " winner=\"dynamic-map DYN 7\" via 192.0.2.3 distance 1", c.message());

        table.markAllDirty();
        update(r);
        assertEquals(1, recorder.conflicts.size(), "a conflict that persists is reported once");

        table.removeOwner("sa:branch-2/3", 1);
        List<PathChange> changes = update(r);
        assertEquals(Addresses.parse("192.0.2.9"), changes.get(0).after().nextHop(), "the other peer takes over");

        table.setOwner("sa:branch-2/4", List.of(rri("10.50.0.0/24", "192.0.2.3", 1, 7)), 2);
        update(r);
        assertEquals(2, recorder.conflicts.size(), "resolved, then conflicting again: reported again");
    }

    @Test
    void aConflictWhoseClaimantsAllLeaveTogetherIsReportedAgainWhenItReturns() throws Exception {
        Redistributor r = redistributor("rri bgp next-hop route\n" + BGP);
        table.setOwner("sa:branch-1/2", List.of(rri("10.50.0.0/24", "192.0.2.9", 1, 7)), 0);
        table.setOwner("sa:branch-2/3", List.of(rri("10.50.0.0/24", "192.0.2.3", 1, 7)), 0);
        update(r);
        assertEquals(1, recorder.conflicts.size());

        table.removeOwner("sa:branch-1/2", 1);
        table.removeOwner("sa:branch-2/3", 1);
        update(r);
        assertEquals(0, paths.size(), "both peers gone: the prefix is withdrawn");

        table.setOwner("sa:branch-1/4", List.of(rri("10.50.0.0/24", "192.0.2.9", 1, 7)), 2);
        table.setOwner("sa:branch-2/5", List.of(rri("10.50.0.0/24", "192.0.2.3", 1, 7)), 2);
        update(r);
        assertEquals(2, recorder.conflicts.size(), "the same conflict coming back is a new conflict");
    }

    @Test
    void aManualStaticWithOtherTagAndDistanceThanTheRriRouteWinsAndIsReported() throws Exception {
        Redistributor r = redistributor(BGP);
        table.setOwner("config", List.of(route("", "10.81.2.0/29", "192.0.2.2", 1, 9, RouteKind.MANUAL,
                "ip route (line 3)")), 0);
        table.setOwner("sa:spokes/2", List.of(route("", "10.81.2.0/29", "192.0.2.2", 20, 5, RouteKind.RRI,
                "dynamic-map DYN 10")), 0);

        update(r);

        assertEquals(List.of(community(9)), paths.paths().get(key("10.81.2.0/29")).communities(),
                "the manual static (distance 1) beats the RRI route (distance 20)");
        assertEquals(1, recorder.conflicts.size());
        Conflict c = recorder.conflicts.get(0);
        assertEquals(Conflict.Kind.OWNERS_DISAGREE, c.kind());
        assertEquals("ip route (line 3)", c.winner().origin());
        assertEquals("prefix=10.81.2.0/29 vrf= reason=owners-disagree-on-distance-or-tag"
                + " claims=[ip route (line 3) [1] tag 9, dynamic-map DYN 10 [20] tag 5]"
                + " winner=\"ip route (line 3)\" distance 1 tag 9"
                + " (give the manual static and the crypto map the same tag)", c.message());

        // the operator follows the advice: same tag and distance, no conflict left to report
        table.setOwner("config", List.of(route("", "10.81.2.0/29", "192.0.2.2", 20, 5, RouteKind.RRI,
                "dynamic-map DYN 10")), 1);
        table.markAllDirty();
        update(r);
        table.setOwner("config", List.of(route("", "10.81.2.0/29", "192.0.2.2", 1, 9, RouteKind.MANUAL,
                "ip route (line 3)")), 2);
        update(r);
        assertEquals(2, recorder.conflicts.size(), "the conflict was resolved in between, so it is new");
    }

    @Test
    void aManualStaticViaAnotherNextHopWinsOnDistanceOverTheLowerNextHop() throws Exception {
        Redistributor r = redistributor("rri bgp next-hop route\n" + BGP);
        table.setOwner("config", List.of(route("", "10.81.2.0/29", "192.0.2.200", 1, 9, RouteKind.MANUAL,
                "ip route (line 3)")), 0);
        table.setOwner("sa:spokes/2", List.of(rri("10.81.2.0/29", "192.0.2.2", 20, 5)), 0);

        update(r);

        BgpPath p = paths.paths().get(key("10.81.2.0/29"));
        assertEquals(Addresses.parse("192.0.2.200"), p.nextHop());
        assertEquals(List.of(community(9)), p.communities());
        assertEquals(List.of(Conflict.Kind.SEVERAL_NEXT_HOPS), recorder.conflicts.stream().map(Conflict::kind).toList());
        assertTrue(recorder.conflicts.get(0).message().contains("winner=\"ip route (line 3)\" via 192.0.2.200 distance 1"),
                recorder.conflicts.get(0).message());
    }

    @Test
    void vrfRoutesBecomePathsInTheirVrfOnlyWhereTheVrfRedistributes() throws Exception {
        Redistributor r = redistributor("""
                vrf definition RED
                 rd 65000:1
                 route-target both 65000:1
                router bgp 65000
                 redistribute static
                 address-family ipv4 vrf RED
                  redistribute static
                 exit-address-family
                """);
        table.setOwner("sa:global/1", List.of(rri("10.1.0.0/16", "192.0.2.2", 1, 5)), 0);
        table.setOwner("sa:red/2", List.of(route("RED", "10.1.0.0/16", "192.0.2.3", 1, 6, RouteKind.RRI, "red 10")), 0);
        table.setOwner("sa:blue/3", List.of(route("BLUE", "10.2.0.0/16", "192.0.2.4", 1, 5, RouteKind.RRI, "blue 10")), 0);

        List<PathChange> changes = update(r);

        BgpPath.Key red = new BgpPath.Key("RED", Prefix.parse("10.1.0.0/16"));
        assertEquals(Set.of(key("10.1.0.0/16"), red), paths.paths().keySet(), "BLUE has no redistribute static");
        assertEquals(2, changes.size());
        assertEquals("RED", paths.paths().get(red).vrf());
        assertEquals(List.of(community(6)), paths.paths().get(red).communities());
        assertEquals(List.of(community(5)), paths.paths().get(key("10.1.0.0/16")).communities());
        assertEquals(List.of(), recorder.conflicts, "one prefix in two tables is two destinations, not a conflict");

        table.removeOwner("sa:red/2", 1);
        assertEquals(List.of(red), update(r).stream().map(PathChange::key).toList());
        assertNull(paths.paths().get(red));
        assertEquals(Set.of(key("10.1.0.0/16")), paths.paths().keySet());
    }
}
