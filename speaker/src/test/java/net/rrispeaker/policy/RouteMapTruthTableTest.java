package net.rrispeaker.policy;

import static net.rrispeaker.policy.Fixture.decide;
import static net.rrispeaker.policy.Fixture.policies;
import static net.rrispeaker.policy.Fixture.route;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import net.rrispeaker.model.RouteKind;
import net.rrispeaker.policy.PolicyDecision.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per row of the truth table in {@link RouteMap}, plus the evaluation-order corner cases. */
class RouteMapTruthTableTest {

    private static Arguments row(String name, String config, Fixture.RouteBuilder r, String verdict, int seq, Reason reason) {
        return Arguments.of(name, config, r, verdict, seq, reason);
    }

    static Stream<Arguments> rows() {
        String lists = """
                ip prefix-list TEN seq 5 permit 10.0.0.0/8 le 32
                ip prefix-list NET1 seq 5 permit 10.1.0.0/16
                ipv6 prefix-list V6 seq 5 permit 2001:db8::/32 le 128
                """;
        return Stream.of(
                // entry result from its clauses
                row("entry without match clauses matches every route",
                        "route-map RRI permit 10", route("192.168.1.0/24"), "PERMIT", 10, Reason.PERMIT_ENTRY),
                row("a clause NOMATCH makes the entry NOMATCH: next entry, then implicit deny",
                        "route-map RRI permit 10\n match tag 5", route("10.0.0.0/8").tag(6), "DENY", -1, Reason.IMPLICIT_DENY),
                row("all clauses MATCH: entry matches (AND across clauses)",
                        lists + "route-map RRI permit 10\n match tag 5\n match ip address prefix-list TEN",
                        route("10.9.0.0/16").tag(5), "PERMIT", 10, Reason.PERMIT_ENTRY),
                row("AND across clauses: one of two failing means no match",
                        lists + "route-map RRI permit 10\n match tag 5\n match ip address prefix-list TEN",
                        route("11.0.0.0/8").tag(5), "DENY", -1, Reason.IMPLICIT_DENY),
                row("MATCH and NOOP: the IPv6 clause does not apply to an IPv4 route",
                        lists + "route-map RRI permit 10\n match tag 5\n match ipv6 address prefix-list V6",
                        route("10.9.0.0/16").tag(5), "PERMIT", 10, Reason.PERMIT_ENTRY),
                row("MATCH and NOOP the other way round: IPv4 clause on an IPv6 route",
                        lists + "route-map RRI permit 10\n match tag 5\n match ip address prefix-list TEN",
                        route("2001:db8:1::/48").tag(5), "PERMIT", 10, Reason.PERMIT_ENTRY),
                row("all clauses NOOP: entry does not match",
                        lists + "route-map RRI permit 10\n match ip address prefix-list TEN",
                        route("2001:db8:1::/48"), "DENY", -1, Reason.IMPLICIT_DENY),
                // walking the entries
                row("MATCH on permit without continue: permit and stop",
                        "route-map RRI permit 10\n match tag 5\nroute-map RRI deny 20", route("10.0.0.0/8").tag(5),
                        "PERMIT", 10, Reason.PERMIT_ENTRY),
                row("MATCH on deny: deny and stop, later permit never reached",
                        "route-map RRI deny 10\n match tag 5\nroute-map RRI permit 20", route("10.0.0.0/8").tag(5),
                        "DENY", 10, Reason.DENY_ENTRY),
                row("NOMATCH on permit: next entry decides",
                        "route-map RRI permit 10\n match tag 5\nroute-map RRI deny 20\n match tag 6",
                        route("10.0.0.0/8").tag(6), "DENY", 20, Reason.DENY_ENTRY),
                row("NOMATCH on deny: next entry decides",
                        "route-map RRI deny 10\n match tag 5\nroute-map RRI permit 20", route("10.0.0.0/8").tag(6),
                        "PERMIT", 20, Reason.PERMIT_ENTRY),
                row("NOOP on deny: like NOMATCH, next entry decides",
                        lists + "route-map RRI deny 10\n match ip address prefix-list TEN\nroute-map RRI permit 20",
                        route("2001:db8::/32"), "PERMIT", 20, Reason.PERMIT_ENTRY),
                row("end of map, nothing matched: implicit deny",
                        "route-map RRI permit 10\n match tag 1\nroute-map RRI permit 20\n match tag 2",
                        route("10.0.0.0/8").tag(3), "DENY", -1, Reason.IMPLICIT_DENY),
                row("end of map after permit + continue: permit (IOS/NX-OS; FRR denies)",
                        "route-map RRI permit 10\n continue\nroute-map RRI permit 20\n match tag 9",
                        route("10.0.0.0/8").tag(3), "PERMIT", 10, Reason.PERMIT_AFTER_CONTINUE),
                row("continue SEQ jumps over entries in between",
                        "route-map RRI permit 10\n continue 30\nroute-map RRI deny 20\nroute-map RRI permit 30\n match tag 3",
                        route("10.0.0.0/8").tag(3), "PERMIT", 30, Reason.PERMIT_ENTRY),
                row("continue to a target that does not match falls through to later entries",
                        "route-map RRI permit 10\n continue 20\nroute-map RRI permit 20\n match tag 4\nroute-map RRI deny 30",
                        route("10.0.0.0/8").tag(3), "DENY", 30, Reason.DENY_ENTRY),
                row("deny after a permit+continue: deny wins, earlier sets dropped",
                        "route-map RRI permit 10\n set local-preference 7\n continue\nroute-map RRI deny 20",
                        route("10.0.0.0/8"), "DENY", 20, Reason.DENY_ENTRY),
                row("chained continues end on the last matching permit",
                        "route-map RRI permit 10\n continue\nroute-map RRI permit 20\n continue\nroute-map RRI permit 30",
                        route("10.0.0.0/8"), "PERMIT", 30, Reason.PERMIT_ENTRY),
                // corner cases
                row("deny entry without clauses denies everything (its sets are ignored)",
                        "route-map RRI deny 10\n set local-preference 500", route("10.0.0.0/8"), "DENY", 10, Reason.DENY_ENTRY),
                row("sequence order, not configuration order, decides",
                        "route-map RRI permit 20\nroute-map RRI deny 10\n match tag 5", route("10.0.0.0/8").tag(5),
                        "DENY", 10, Reason.DENY_ENTRY),
                row("OR within a clause: any of the tags",
                        "route-map RRI permit 10\n match tag 1 2 3", route("10.0.0.0/8").tag(2), "PERMIT", 10, Reason.PERMIT_ENTRY),
                row("two lines of the same type are merged into one OR list",
                        "route-map RRI permit 10\n match tag 1\n match tag 2", route("10.0.0.0/8").tag(2),
                        "PERMIT", 10, Reason.PERMIT_ENTRY),
                row("OR over prefix-list names", lists + "route-map RRI permit 10\n match ip address prefix-list NET1 TEN",
                        route("10.200.0.0/16"), "PERMIT", 10, Reason.PERMIT_ENTRY),
                row("match route-type rri-static", "route-map RRI permit 10\n match route-type rri-static static",
                        route("10.0.0.0/8").kind(RouteKind.RRI_STATIC), "PERMIT", 10, Reason.PERMIT_ENTRY),
                row("match route-type does not match other kinds", "route-map RRI permit 10\n match route-type vti",
                        route("10.0.0.0/8").kind(RouteKind.RRI), "DENY", -1, Reason.IMPLICIT_DENY),
                row("match interface, case-insensitive", "route-map RRI permit 10\n match interface Tunnel5 vti7",
                        route("10.0.0.0/8").iface("VTI7"), "PERMIT", 10, Reason.PERMIT_ENTRY),
                row("match interface on a route without interface", "route-map RRI permit 10\n match interface vti7",
                        route("10.0.0.0/8"), "DENY", -1, Reason.IMPLICIT_DENY),
                row("match tag 0 = untagged", "route-map RRI permit 10\n match tag 0", route("10.0.0.0/8"),
                        "PERMIT", 10, Reason.PERMIT_ENTRY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(String name, String config, Fixture.RouteBuilder r, String verdict, int seq, Reason reason) {
        PolicyDecision d = decide(policies(config), r.build());
        assertEquals(verdict, d.verdict().name(), () -> "verdict for " + r);
        assertEquals(seq, d.matchedSeq(), "decided by sequence");
        assertEquals(reason, d.reason());
        assertEquals("RRI", d.map());
    }
}
