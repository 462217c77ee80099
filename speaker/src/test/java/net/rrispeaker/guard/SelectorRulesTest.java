package net.rrispeaker.guard;

import static net.rrispeaker.guard.GuardFixture.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule of the prefix guard with the selectors on both sides of its boundary. The SA comes
 * from peer 198.51.100.7 to local address 192.0.2.1 and protects 10.80.0.0/16 on our side.
 */
class SelectorRulesTest {
    private static final String POOL = "ip prefix-list POOL permit 10.81.0.0/16 le 32\nrri guard pool prefix-list POOL\n";

    static Stream<Arguments> cases() {
        return Stream.of(
                // special-use ranges and their neighbours (RFC 1918, ULA and documentation ranges are not special)
                Arguments.of("", "0.0.0.0/8", "martian"),
                Arguments.of("", "1.0.0.0/8", "announced"),
                Arguments.of("", "127.0.0.0/8", "martian"),
                Arguments.of("", "127.255.255.255/32", "martian"),
                Arguments.of("", "126.0.0.0/8", "announced"),
                Arguments.of("", "128.0.0.0/8", "announced"),
                Arguments.of("", "169.254.0.0/16", "martian"),
                Arguments.of("", "169.254.1.0/24", "martian"),
                Arguments.of("", "169.253.0.0/16", "announced"),
                Arguments.of("", "169.255.0.0/16", "announced"),
                Arguments.of("", "224.1.0.0/16", "martian"),
                Arguments.of("", "223.255.255.0/24", "announced"),
                Arguments.of("", "239.255.255.255/32", "martian"),
                Arguments.of("", "240.0.0.1/32", "martian"),
                Arguments.of("", "255.255.255.255/32", "martian"),
                Arguments.of("", "172.16.0.0/12", "announced"),
                Arguments.of("", "192.168.0.0/16", "announced"),
                Arguments.of("", "192.0.2.128/25", "announced"),
                Arguments.of("", "198.51.100.128/25", "announced"),
                Arguments.of("", "203.0.113.0/24", "announced"),
                Arguments.of("", "fe80::/10", "martian"),
                Arguments.of("", "fe80::1/128", "martian"),
                Arguments.of("", "febf:ffff::/32", "martian"),
                Arguments.of("", "fec0::/16", "announced"),
                Arguments.of("", "fe7f::/16", "announced"),
                Arguments.of("", "ff02::1/128", "martian"),
                Arguments.of("", "feff::/16", "announced"),
                // ::1/128 never gets this far: the source refuses it (inside ::/96, IPv4-compatible)
                Arguments.of("", "::/16", "martian"),
                Arguments.of("", "1::/16", "announced"),
                Arguments.of("", "fd00:81::/32", "announced"),
                Arguments.of("", "2001:db8::/32", "announced"),
                // covering a special-use range is refused too (shorter prefixes allowed for the test)
                Arguments.of("rri guard min-length ipv4 1\n", "64.0.0.0/2", "martian"),
                Arguments.of("rri guard min-length ipv4 1\n", "128.0.0.0/2", "martian"),
                Arguments.of("rri guard min-length ipv4 1\n", "0.0.0.0/3", "martian"),
                Arguments.of("rri guard min-length ipv4 1\n", "32.0.0.0/3", "announced"),
                Arguments.of("no rri guard martians\n", "127.0.0.0/8", "announced"),
                Arguments.of("no rri guard martians\n", "fe80::/16", "announced"),
                // minimum length, default and configured
                Arguments.of("", "10.0.0.0/7", "min-length"),
                Arguments.of("", "11.0.0.0/8", "announced"),
                Arguments.of("", "2000::/15", "min-length"),
                Arguments.of("", "2001::/16", "announced"),
                Arguments.of("", "fc00::/7", "min-length"),
                Arguments.of("rri guard min-length ipv4 16\n", "11.0.0.0/15", "min-length"),
                Arguments.of("rri guard min-length ipv4 16\n", "11.1.0.0/16", "announced"),
                Arguments.of("rri guard min-length ipv6 48\n", "2001:db8::/47", "min-length"),
                Arguments.of("rri guard min-length ipv6 48\n", "2001:db8::/48", "announced"),
                // the SA's own local selector 10.80.0.0/16: equal, covering, inside; neighbours
                Arguments.of("", "10.80.0.0/16", "local-selector"),
                Arguments.of("", "10.0.0.0/8", "local-selector"),
                Arguments.of("", "10.80.1.0/24", "local-selector"),
                Arguments.of("", "10.81.0.0/16", "announced"),
                Arguments.of("", "10.79.255.0/24", "announced"),
                // inside a local selector is fine where a pool says what peers may claim
                Arguments.of("ip prefix-list P permit 10.80.1.0/24\nrri guard pool prefix-list P\n", "10.80.1.0/24",
                        "announced"),
                Arguments.of("ip prefix-list P permit 10.80.0.0/16 le 32\nrri guard pool prefix-list P\n", "10.80.0.0/16",
                        "local-selector"),
                // the concentrator's own prefixes and its outer address
                Arguments.of("rri guard own 10.99.0.0/16\n", "10.99.1.0/24", "own-address"),
                Arguments.of("rri guard own 10.99.0.0/16\n", "10.96.0.0/14", "own-address"),
                Arguments.of("rri guard own 10.99.0.0/16\n", "10.98.0.0/16", "announced"),
                Arguments.of("rri guard own 10.99.0.0/16\n", "10.100.0.0/16", "announced"),
                Arguments.of("rri guard own 203.0.113.9\n", "203.0.113.0/24", "own-address"),
                Arguments.of("rri guard own 203.0.113.9\n", "203.0.113.16/28", "announced"),
                Arguments.of("", "192.0.2.0/24", "own-address"),
                Arguments.of("", "192.0.3.0/24", "announced"),
                // the peer's own outer address
                Arguments.of("", "198.51.100.0/29", "peer-address"),
                Arguments.of("", "198.51.100.8/29", "announced"),
                // allowed pools, global and per entry
                Arguments.of(POOL, "10.81.2.0/29", "announced"),
                Arguments.of(POOL, "10.81.0.0/16", "announced"),
                Arguments.of(POOL, "10.82.0.0/24", "pool"),
                Arguments.of(POOL, "fd00:81::/64", "pool"),
                Arguments.of("crypto dynamic-map DYN 10\n set reverse-route pool prefix-list P\n"
                        + "ip prefix-list P permit 10.81.0.0/16 le 32\n", "10.81.2.0/29", "announced"),
                Arguments.of("crypto dynamic-map DYN 10\n set reverse-route pool prefix-list P\n"
                        + "ip prefix-list P permit 10.81.0.0/16 le 32\n", "10.82.0.0/24", "pool"));
    }

    @ParameterizedTest(name = "[{0}] {1}: {2}")
    @MethodSource("cases")
    void eachRuleRefusesItsSideOfTheBoundaryAndAnnouncesTheOther(String extra, String selector, String expected)
            throws Exception {
        assertEquals(expected, new GuardFixture(extra).verdict(sa(1, "198.51.100.7", selector)));
    }

    @Test
    void selectorsThatTogetherCoverAFamilyAreAllRefused() throws Exception {
        GuardFixture f = new GuardFixture("no rri guard martians\nrri guard min-length ipv4 1\n");
        ChildSa halves = sa("c", 1, "198.51.100.7", List.of(), "0.0.0.0/1", "128.0.0.0/1", "fd00:81::/64");
        assertEquals(List.of("fd00:81::/64"), f.up(halves), "the other family is not affected");
        assertEquals(List.of("0.0.0.0/1 whole-family", "128.0.0.0/1 whole-family"), f.refusals(halves));
    }

    @Test
    void aDefaultRouteSelectorMakesTheOtherSelectorsOfItsFamilyRefusedToo() throws Exception {
        GuardFixture f = new GuardFixture("");
        ChildSa all = sa(1, "198.51.100.7", "0.0.0.0/0", "10.81.1.0/29");
        assertEquals(List.of(), f.up(all));
        assertEquals(List.of("10.81.1.0/29 whole-family"), f.refusals(all));
    }

    @Test
    void familyCoverageBoundaries() {
        assertTrue(SelectorRules.coversHalfFamily(prefixes("0.0.0.1/32", "0.0.0.2/31", "1.0.0.0/8", "128.0.0.0/1"), true));
        assertTrue(SelectorRules.coversHalfFamily(prefixes("128.0.0.0/1"), true), "exactly half");
        assertFalse(SelectorRules.coversHalfFamily(prefixes("128.0.0.0/2", "128.0.0.0/3", "64.0.0.0/3"), true),
                "overlaps are counted once: a quarter plus an eighth");
        assertFalse(SelectorRules.coversHalfFamily(prefixes("10.0.0.0/8", "fd00::/8"), true));
        assertTrue(SelectorRules.coversHalfFamily(prefixes("::/2", "4000::/2"), false));
        assertTrue(SelectorRules.coversFamily(prefixes("0.0.0.0/1", "128.0.0.0/1"), true));
        assertFalse(SelectorRules.coversFamily(prefixes("0.0.0.0/1", "128.0.0.0/2"), true));
        assertTrue(SelectorRules.coversFamily(prefixes("128.0.0.0/2", "0.0.0.0/1", "192.0.0.0/2"), true));
        assertTrue(SelectorRules.coversFamily(prefixes("0.0.0.0/0"), true));
        assertFalse(SelectorRules.coversFamily(prefixes("0.0.0.0/0"), false));
        assertTrue(SelectorRules.coversFamily(prefixes("::/1", "8000::/1"), false));
        List<Prefix> all8 = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            all8.add(Prefix.parse(i + ".0.0.0/8"));
        }
        assertTrue(SelectorRules.coversFamily(all8, true));
        assertFalse(SelectorRules.coversFamily(all8.subList(0, 255), true), "one /8 missing at the top");
        assertFalse(SelectorRules.coversFamily(all8.subList(1, 256), true), "one /8 missing at the bottom");
    }

    @Test
    void aFullTunnelLocalSelectorNamesNoNetworkOfOurs() throws Exception {
        GuardFixture f = new GuardFixture("");
        ChildSa roadWarrior = sa("c", 1, "198.51.100.7", List.of("0.0.0.0/0"), "10.80.1.7/32");
        assertEquals(List.of("10.80.1.7/32"), f.up(roadWarrior));
    }

    @Test
    void aCryptoAclIsThePoolOfItsEntry() throws Exception {
        GuardFixture f = GuardFixture.of("""
                rri withdraw-delay 0
                crypto dynamic-map DYN 10
                 match ipsec-connection other
                 reverse-route
                access-list 101 deny ip 10.80.0.0 0.0.255.255 10.82.9.0 0.0.0.255
                access-list 101 permit ip 10.80.0.0 0.0.255.255 10.82.0.0 0.0.255.255
                crypto map SMAP 5 ipsec-isakmp
                 match ipsec-connection site82
                 set peer 198.51.100.7
                 match address 101
                 reverse-route
                crypto map SMAP 10 ipsec-isakmp dynamic DYN
                """);
        assertEquals("announced", f.verdict(sa("site82", 1, "198.51.100.7", List.of("10.80.0.0/16"), "10.82.3.0/24")));
        assertEquals("announced", f.verdict(sa("site82", 2, "198.51.100.7", List.of("10.80.0.0/16"), "10.82.0.0/16")));
        assertEquals("crypto-acl", f.verdict(sa("site82", 3, "198.51.100.7", List.of("10.80.0.0/16"), "10.82.0.0/15")));
        assertEquals("crypto-acl", f.verdict(sa("site82", 4, "198.51.100.7", List.of("10.80.0.0/16"), "10.83.0.0/24")));
        assertEquals("crypto-acl", f.verdict(sa("site82", 5, "198.51.100.7", List.of("10.80.0.0/16"), "10.82.9.0/24")));
        // the same selector on the dynamic map (no crypto ACL) is only judged by the other rules
        assertEquals("announced", f.verdict(sa("other", 6, "198.51.100.9", List.of("10.80.0.0/16"), "10.83.0.0/24")));
    }

    @Test
    void eachRefusalIsReportedOnceWithWhoWhatAndWhy() throws Exception {
        GuardFixture f = new GuardFixture("");
        ChildSa s = sa(4, "198.51.100.7", "127.0.0.0/8", "10.81.2.0/29");
        assertEquals(List.of("10.81.2.0/29"), f.up(s));
        f.up(s); // the same SA again (a snapshot): nothing new to report
        assertEquals(1, f.refused.size());
        assertEquals("connection=c child=lan[4] ike=4 peer=198.51.100.7 prefix=127.0.0.0/8 rule=martian: inside the "
                + "special-use range 127.0.0.0/8", f.refused.get(0).message());
    }

    /** The example of docs/configuration.md ("Prefix guard"), as printed there. */
    @Test
    void theDocumentedExampleDoesWhatItSays() throws Exception {
        GuardFixture f = GuardFixture.of("""
                ip prefix-list SPOKES permit 10.81.0.0/16 ge 24
                ipv6 prefix-list SPOKES permit fd00:81::/32 ge 48
                ip prefix-list PARTNER-A permit 172.20.0.0/16 le 24
                rri guard own 10.80.0.0/16
                rri guard own 192.0.2.10
                rri guard max-routes-per-peer 50
                !
                crypto dynamic-map DYN 10
                 match ipsec-connection spokes
                 set reverse-route pool prefix-list SPOKES
                 reverse-route
                crypto dynamic-map DYN 20
                 match ipsec-connection partner-a
                 set reverse-route pool prefix-list PARTNER-A
                 reverse-route
                crypto map VPN 10 ipsec-isakmp dynamic DYN
                """);
        List<String> none = List.of();
        assertEquals("announced", f.verdict(sa("spokes", 1, "198.51.100.7", none, "10.81.2.0/24")));
        assertEquals("announced", f.verdict(sa("spokes", 2, "198.51.100.7", none, "fd00:81:2::/48")));
        assertEquals("pool", f.verdict(sa("spokes", 3, "198.51.100.7", none, "10.81.0.0/16")));
        assertEquals("pool", f.verdict(sa("spokes", 4, "198.51.100.7", none, "172.20.1.0/24")));
        assertEquals("own-address", f.verdict(sa("spokes", 5, "198.51.100.7", none, "10.80.1.0/24")));
        assertEquals("announced", f.verdict(sa("partner-a", 6, "198.51.100.8", none, "172.20.1.0/24")));
        assertEquals("pool", f.verdict(sa("partner-a", 7, "198.51.100.8", none, "fd00:81:3::/48")));
    }

    private static List<Prefix> prefixes(String... p) {
        return Stream.of(p).map(Prefix::parse).toList();
    }
}
