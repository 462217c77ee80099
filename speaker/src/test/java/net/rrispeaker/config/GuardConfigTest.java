package net.rrispeaker.config;

import static net.rrispeaker.config.ConfigParserTest.errors;
import static net.rrispeaker.config.ConfigParserTest.notes;
import static net.rrispeaker.config.ConfigParserTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.rrispeaker.model.Prefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The prefix guard's configuration lines: values, defaults, and every error with file:line and range. */
class GuardConfigTest {

    @Test
    void withoutGuardLinesTheDefaultsHold() throws Exception {
        GuardSettings g = parse("crypto dynamic-map dm 1\n reverse-route\n").guard();
        assertEquals(GuardSettings.defaults(), g);
        assertTrue(g.martians());
        assertEquals(8, g.minLengthIpv4());
        assertEquals(16, g.minLengthIpv6());
        assertEquals(1_000, g.maxRoutesPerPeer());
        assertEquals(250_000, g.maxRoutes());
        assertFalse(g.overlapPermit());
        assertNull(g.pool());
        assertEquals(List.of(), g.own());
    }

    @Test
    void everyGlobalLineIsRead() throws Exception {
        Config c = parse("""
                ip prefix-list SPOKES permit 10.81.0.0/16 le 32
                ipv6 prefix-list SPOKES permit fd00:81::/32 le 64
                rri guard min-length ipv4 12
                rri guard min-length ipv6 32
                rri guard own 10.80.0.0/16
                rri guard own 192.0.2.0 255.255.255.0
                rri guard own 203.0.113.9
                rri guard own 2001:db8:80::/48
                rri guard pool prefix-list SPOKES
                rri guard max-routes 5000
                rri guard max-routes-per-peer 20
                rri guard overlap permit
                no rri guard martians
                """);
        GuardSettings g = c.guard();
        assertFalse(g.martians());
        assertEquals(12, g.minLengthIpv4());
        assertEquals(32, g.minLengthIpv6());
        assertEquals(Stream.of("10.80.0.0/16", "192.0.2.0/24", "203.0.113.9/32", "2001:db8:80::/48")
                .map(Prefix::parse).toList(), g.own());
        assertEquals("SPOKES", g.pool());
        assertEquals(5000, g.maxRoutes());
        assertEquals(20, g.maxRoutesPerPeer());
        assertTrue(g.overlapPermit());
        assertTrue(notes(c).contains("rri.conf:13: warning: no rri guard martians: selectors in special-use ranges "
                + "(loopback, link-local, multicast, ...) are announced; this is discouraged"), notes(c).toString());
    }

    @Test
    void theLastLineWinsAndMartiansCanBeTurnedBackOn() throws Exception {
        GuardSettings g = parse("""
                no rri guard martians
                rri guard martians
                rri guard overlap permit
                rri guard overlap refuse
                rri guard max-routes 10
                rri guard max-routes 11
                """).guard();
        assertTrue(g.martians());
        assertFalse(g.overlapPermit());
        assertEquals(11, g.maxRoutes());
    }

    @Test
    void entryPoolsAreKeptPerCryptoMapEntryDynamicMapEntryAndProfile() throws Exception {
        GuardSettings g = parse("""
                ip prefix-list P1 permit 10.81.0.0/16 le 32
                ip prefix-list P2 permit 10.82.0.0/16 le 32
                ipv6 prefix-list P3 permit fd00::/8 le 64
                access-list 101 permit ip 10.80.0.0 0.0.255.255 10.82.0.0 0.0.255.255
                crypto dynamic-map DYN 10
                 set reverse-route pool prefix-list P1
                 reverse-route
                crypto map VPN 5 ipsec-isakmp
                 match address 101
                 set reverse-route pool prefix-list P2
                 reverse-route
                crypto map VPN 10 ipsec-isakmp dynamic DYN
                crypto ipsec profile VTI
                 set reverse-route pool prefix-list P3
                """).guard();
        assertEquals(Map.of("dynamic-map DYN 10", "P1", "crypto map VPN 5", "P2", "profile VTI", "P3"), g.entryPools());
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("rri guard", "rri.conf:1: error: missing rri guard setting (expected: min-length ipv4|ipv6 N, own "
                        + "PREFIX, pool prefix-list NAME, max-routes N, max-routes-per-peer N, overlap refuse|permit, martians)"),
                Arguments.of("rri guard min-lenght ipv4 8", "rri.conf:1: error: unknown rri guard setting 'min-lenght' (expected: "
                        + "min-length ipv4|ipv6 N, own PREFIX, pool prefix-list NAME, max-routes N, max-routes-per-peer N, "
                        + "overlap refuse|permit, martians)"),
                Arguments.of("rri guard min-length ipv4 33", "rri.conf:1: error: min-length ipv4: 33 (expected: 0..32)"),
                Arguments.of("rri guard min-length ipv6 129", "rri.conf:1: error: min-length ipv6: 129 (expected: 0..128)"),
                Arguments.of("rri guard min-length ipv4 -1", "rri.conf:1: error: min-length ipv4 '-1' is not a number (expected: 0..32)"),
                Arguments.of("rri guard min-length ipv4", "rri.conf:1: error: missing min-length ipv4 (expected: 0..32)"),
                Arguments.of("rri guard min-length ip 8", "rri.conf:1: error: rri guard min-length 'ip' (expected: ipv4 N, ipv6 N)"),
                Arguments.of("rri guard min-length ipv4 8 9", "rri.conf:1: error: unexpected '9' after rri guard min-length ipv4 N"),
                Arguments.of("rri guard own", "rri.conf:1: error: missing prefix after rri guard own (expected: PREFIX/LENGTH, "
                        + "ADDRESS or ADDRESS MASK)"),
                Arguments.of("rri guard own 10.80.0.1/16", "rri.conf:1: error: own prefix '10.80.0.1/16' has host bits set "
                        + "(expected: 10.80.0.0/16)"),
                Arguments.of("rri guard own 10.80.0.1 255.255.0.0", "rri.conf:1: error: own prefix '10.80.0.1 255.255.0.0' has "
                        + "host bits set (expected: 10.80.0.0 255.255.0.0)"),
                Arguments.of("rri guard own 10.80.0.0/33", "rri.conf:1: error: own prefix '10.80.0.0/33' is not a prefix (expected: "
                        + "PREFIX/LENGTH, ADDRESS or ADDRESS MASK)"),
                Arguments.of("rri guard own lan", "rri.conf:1: error: own prefix 'lan' is not a prefix (expected: PREFIX/LENGTH, "
                        + "ADDRESS or ADDRESS MASK)"),
                Arguments.of("rri guard own 10.80.0.0 255.0.255.0", "rri.conf:1: error: own prefix '10.80.0.0 255.0.255.0' is not a "
                        + "prefix (expected: PREFIX/LENGTH, ADDRESS or ADDRESS MASK)"),
                Arguments.of("rri guard own 10.80.0.0/16 lan", "rri.conf:1: error: unexpected 'lan' after rri guard own PREFIX"),
                Arguments.of("rri guard pool SPOKES", "rri.conf:1: error: unexpected 'SPOKES' (expected: rri guard pool prefix-list NAME)"),
                Arguments.of("rri guard pool prefix-list", "rri.conf:1: error: missing prefix-list name (expected: rri guard pool "
                        + "prefix-list NAME)"),
                Arguments.of("rri guard pool prefix-list NOPE", "rri.conf:1: error: rri guard pool: prefix-list 'NOPE' is not defined "
                        + "(expected: ip prefix-list NOPE and/or ipv6 prefix-list NOPE)"),
                Arguments.of("rri guard max-routes 0", "rri.conf:1: error: max-routes: 0 (expected: 1..100000000)"),
                Arguments.of("rri guard max-routes 100000001", "rri.conf:1: error: max-routes: 100000001 (expected: 1..100000000)"),
                Arguments.of("rri guard max-routes lots", "rri.conf:1: error: max-routes 'lots' is not a number (expected: 1..100000000)"),
                Arguments.of("rri guard max-routes-per-peer 0", "rri.conf:1: error: max-routes-per-peer: 0 (expected: 1..100000000)"),
                Arguments.of("rri guard max-routes-per-peer", "rri.conf:1: error: missing max-routes-per-peer (expected: 1..100000000)"),
                Arguments.of("rri guard overlap allow", "rri.conf:1: error: rri guard overlap 'allow' (expected: refuse, permit)"),
                Arguments.of("rri guard overlap", "rri.conf:1: error: missing value after rri guard overlap (expected: refuse, permit)"),
                Arguments.of("rri guard martians now", "rri.conf:1: error: unexpected 'now' after rri guard martians"),
                Arguments.of("no rri guard own 10.0.0.0/8", "rri.conf:1: error: unknown command 'no rri guard own' (expected: no rri "
                        + "guard martians)"),
                Arguments.of("crypto dynamic-map DYN 10\n set reverse-route pool prefix-list NOPE", "rri.conf:2: error: "
                        + "dynamic-map DYN 10: set reverse-route pool: prefix-list 'NOPE' is not defined (expected: ip "
                        + "prefix-list NOPE and/or ipv6 prefix-list NOPE)"),
                Arguments.of("crypto dynamic-map DYN 10\n set reverse-route pool P", "rri.conf:2: error: unexpected 'P' (expected: "
                        + "set reverse-route pool prefix-list NAME)"),
                Arguments.of("crypto dynamic-map DYN 10\n set reverse-route pools prefix-list P", "rri.conf:2: error: unknown keyword "
                        + "'pools' in set reverse-route (expected: tag, distance, pool)"),
                Arguments.of("crypto dynamic-map DYN 10\ncrypto map VPN 10 ipsec-isakmp dynamic DYN\n set reverse-route pool "
                        + "prefix-list P", "rri.conf:3: error: 'set reverse-route' in crypto map VPN 10: configure it in the "
                        + "dynamic-map (a dynamic parent entry only takes match ipsec-connection)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeIsAnErrorNamingFileLineAndWhatIsExpected(String text, String error) {
        assertEquals(List.of(error), errors(text));
    }

    @Test
    void aPoolWithOnlyOneFamilyIsAWarningThatTheOtherFamilyIsRefused() throws Exception {
        Config c = parse("ip prefix-list SPOKES permit 10.81.0.0/16 le 32\nrri guard pool prefix-list SPOKES\n");
        assertEquals(List.of("rri.conf:2: warning: rri guard pool: there is no ipv6 prefix-list SPOKES, so every IPv6 "
                + "selector is refused"), notes(c));
    }
}
