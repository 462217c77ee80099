package net.rrispeaker.policy;

import static net.rrispeaker.policy.Fixture.bgp;
import static net.rrispeaker.policy.Fixture.parse;
import static net.rrispeaker.policy.Fixture.policies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import net.rrispeaker.ios.ConfigProblem;
import net.rrispeaker.ios.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Configuration errors: each names file:line and the offending token; all are collected. */
class PolicyParserTest {

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("route-map RRI permit 10\n match ip address 5",
                        "rri.conf:2: error: match ip address 5 in route-map RRI seq 10: access-list 5 is not defined"),
                Arguments.of("route-map RRI permit 10\n match ip address prefix-list NOPE",
                        "rri.conf:2: error: match ip address prefix-list NOPE in route-map RRI seq 10: ip prefix-list NOPE is not defined"),
                Arguments.of("ip prefix-list P permit ::/0\nroute-map RRI permit 10\n match ipv6 address prefix-list P",
                        "rri.conf:1: error: prefix '::/0' (expected: IPv4) in ip prefix-list P"),
                Arguments.of("ip prefix-list P permit 10.0.0.0/8\nroute-map RRI permit 10\n match ipv6 address prefix-list P",
                        "rri.conf:3: error: match ipv6 address prefix-list P in route-map RRI seq 10: ipv6 prefix-list P is not defined"),
                Arguments.of("route-map RRI permit 20\n continue 10",
                        "rri.conf:2: error: continue 10 in route-map RRI seq 20 goes backward (expected: a sequence > 20)"),
                Arguments.of("route-map RRI permit 20\n continue 20",
                        "rri.conf:2: error: continue 20 in route-map RRI seq 20 goes backward (expected: a sequence > 20)"),
                Arguments.of("route-map RRI permit 10\n match ip adress 1",
                        "rri.conf:2: error: unknown match 'ip adress' (expected: tag, ip address [prefix-list], ipv6 address [prefix-list], interface, route-type) in route-map RRI seq 10"),
                Arguments.of("route-map RRI permit 10\n match community 5",
                        "rri.conf:2: error: unknown match 'community' (expected: tag, ip address [prefix-list], ipv6 address [prefix-list], interface, route-type) in route-map RRI seq 10"),
                Arguments.of("route-map RRI permit 10\n set comunity 1:1",
                        "rri.conf:2: error: unknown set 'comunity' (expected: community, large-community, extcommunity rt, local-preference, metric, metric-type, origin, as-path prepend, ip next-hop, ipv6 next-hop, tag) in route-map RRI seq 10"),
                Arguments.of("route-map RRI permit 10\n set community 70000:1",
                        "rri.conf:2: error: community '70000:1' AA 70000 (expected: 0-65535) in route-map RRI seq 10"),
                Arguments.of("route-map RRI permit 10\n set local-preference high",
                        "rri.conf:2: error: local-preference 'high' (expected: 0-4294967295) in route-map RRI seq 10"),
                Arguments.of("route-map RRI permit 10\n set ip next-hop 2001:db8::1",
                        "rri.conf:2: error: set ip next-hop '2001:db8::1' (expected: an IPv4 address) in route-map RRI seq 10"),
                Arguments.of("route-map RRI permit 10\n match tag x",
                        "rri.conf:2: error: tag 'x' (expected: 0-4294967295) in route-map RRI seq 10"),
                Arguments.of("route-map RRI permit 10\n match route-type external",
                        "rri.conf:2: error: route-type 'external' (expected: rri, rri-static, vti, static) in route-map RRI seq 10"),
                Arguments.of("route-map RRI permit 70000",
                        "rri.conf:1: error: route-map sequence 70000 (expected: 0-65535) in route-map RRI"),
                Arguments.of("route-map RRI permit 10\nroute-map RRI permit 20\nroute-map RRI",
                        "rri.conf:3: error: route-map RRI has 2 entries (expected: a sequence number to say which)"),
                Arguments.of("ip prefix-list P permit 10.0.0.0/8 ge 8",
                        "rri.conf:1: error: ge 8 (expected: 8 < ge <= 32) in ip prefix-list P"),
                Arguments.of("ip prefix-list P permit 10.0.0.0/8 le 8",
                        "rri.conf:1: error: le 8 (expected: 8 < le <= 32) in ip prefix-list P"),
                Arguments.of("ip prefix-list P permit 10.0.0.0/8 ge 24 le 16",
                        "rri.conf:1: error: ge 24 le 16 (expected: ge <= le) in ip prefix-list P"),
                Arguments.of("ip prefix-list P permit 10.0.0.0/8 le 33",
                        "rri.conf:1: error: le 33 (expected: 1-32) in ip prefix-list P"),
                Arguments.of("ipv6 prefix-list P permit 2001:db8::/32 le 129",
                        "rri.conf:1: error: le 129 (expected: 1-128) in ipv6 prefix-list P"),
                Arguments.of("ip prefix-list P permit 10.0.0.0",
                        "rri.conf:1: error: prefix '10.0.0.0' (expected: ADDRESS/LENGTH) in ip prefix-list P"),
                Arguments.of("ip prefix-list P allow 10.0.0.0/8",
                        "rri.conf:1: error: 'allow' (expected: permit or deny) in ip prefix-list P"),
                Arguments.of("access-list 1 permit 10.0.0.0 0.255.255.255\nip prefix-list P permit 10.0.0.0/8\n"
                                + "route-map RRI permit 10\n match ip address 1\n match ip address prefix-list P",
                        "rri.conf:5: error: 'match ip address prefix-list' and 'match ip address' in one entry route-map RRI seq 10 "
                                + "(expected: one of them; IOS refuses both)"),
                Arguments.of("ipv6 access-list V6\n permit ipv6 any any\nroute-map RRI permit 10\n match ip address V6",
                        "rri.conf:4: error: match ip address V6 in route-map RRI seq 10: access-list V6 is ipv6 (expected: a standard or extended access list)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("errors")
    void reportsError(String config, String expected) {
        Fixture.Parsed p = parse(config);
        assertTrue(p.messages().contains(expected), () -> "got " + p.messages());
    }

    @Test
    void collectsEveryErrorNotJustTheFirst() {
        Fixture.Parsed p = parse("""
                route-map RRI permit 10
                 match ip address 7
                 set metric fast
                route-map RRI permit 20
                 continue 5
                """);
        assertEquals(3, p.problems().stream().filter(x -> x.severity() == ConfigProblem.Severity.ERROR).count(),
                () -> "got " + p.messages());
    }

    @Test
    void continueToMissingSequenceIsAWarningAndGoesToTheNextHigher() {
        Fixture.Parsed p = parse("route-map RRI permit 10\n continue 15\nroute-map RRI deny 20");
        assertEquals(List.of("rri.conf:2: warning: continue 15 in route-map RRI seq 10: no such sequence, continues at seq 20"),
                p.messages());
        assertEquals(PolicyDecision.Reason.DENY_ENTRY,
                Fixture.decide(p.policies(), Fixture.route("10.0.0.0/8").build()).reason());
    }

    @Test
    void headerDefaultsArePermitAndTen() {
        RouteMap m = policies("route-map RRI\n description RRI routes to BGP").routeMap("RRI").orElseThrow();
        assertEquals(1, m.entries().size());
        assertEquals(10, m.entries().get(0).sequence());
        assertTrue(m.entries().get(0).permit());
        assertEquals("RRI routes to BGP", m.entries().get(0).description());
    }

    @Test
    void reopeningAnEntryWithoutSequenceEditsTheOnlyEntry() {
        RouteMap m = policies("route-map RRI deny 30\n match tag 1\nroute-map RRI\n match tag 2").routeMap("RRI").orElseThrow();
        assertEquals(1, m.entries().size());
        assertEquals(30, m.entries().get(0).sequence());
        assertEquals("match tag 1 2", m.entries().get(0).matches().get(0).text());
    }

    @Test
    void undefinedRouteMapInRedistributeIsAWarning() {
        PolicySet p = policies("route-map OTHER permit 10");
        Problems problems = new Problems();
        bgp("RRI", null).checkRouteMaps(p, problems);
        assertTrue(!problems.hasErrors());
        assertEquals("rri.conf:99: warning: redistribute static route-map RRI (ipv4): route-map RRI is not defined, "
                + "nothing is redistributed (IOS)", problems.all().stream()
                .filter(x -> x.message().contains("(ipv4)")).findFirst().orElseThrow().toString());
        assertTrue(p.hasRouteMap("OTHER"));
    }

    @Test
    void lineThatIsNotARouteMapCommandEndsTheSubMode() {
        Fixture.Parsed p = parse("route-map RRI permit 10\n match tag 1\nbogus line");
        assertEquals(List.of("rri.conf:3: error: unknown command 'bogus'"), p.messages());
    }
}
