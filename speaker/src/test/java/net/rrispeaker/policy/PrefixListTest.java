package net.rrispeaker.policy;

import static net.rrispeaker.policy.Fixture.policies;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.rrispeaker.model.Prefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code ip|ipv6 prefix-list}: exact, ge, le edges, first match by sequence, implicit deny, trie vs. definition. */
class PrefixListTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("10.0.0.0/8", "10.0.0.0/8", true),
                Arguments.of("10.0.0.0/8", "10.1.0.0/16", false),
                Arguments.of("10.0.0.0/8 le 32", "10.1.2.3/32", true),
                Arguments.of("10.0.0.0/8 le 32", "10.0.0.0/8", true),
                Arguments.of("10.0.0.0/8 le 32", "11.0.0.0/8", false),
                Arguments.of("10.0.0.0/8 le 16", "10.1.0.0/16", true),
                Arguments.of("10.0.0.0/8 le 16", "10.1.1.0/24", false),
                Arguments.of("10.0.0.0/8 ge 24", "10.1.1.0/24", true),
                Arguments.of("10.0.0.0/8 ge 24", "10.1.1.1/32", true),
                Arguments.of("10.0.0.0/8 ge 24", "10.1.0.0/23", false),
                Arguments.of("10.0.0.0/8 ge 24", "10.0.0.0/8", false),
                Arguments.of("10.0.0.0/8 ge 24 le 24", "10.1.1.0/24", true),
                Arguments.of("10.0.0.0/8 ge 24 le 24", "10.1.1.0/25", false),
                Arguments.of("10.0.0.0/8 le 24 ge 20", "10.1.16.0/20", true),
                Arguments.of("10.0.0.0/8 le 24 ge 20", "10.1.0.0/19", false),
                Arguments.of("0.0.0.0/0", "0.0.0.0/0", true),
                Arguments.of("0.0.0.0/0", "10.0.0.0/8", false),
                Arguments.of("0.0.0.0/0 le 32", "10.0.0.0/8", true),
                Arguments.of("0.0.0.0/0 le 32", "0.0.0.0/0", true),
                Arguments.of("0.0.0.0/0 ge 32", "192.0.2.1/32", true),
                Arguments.of("0.0.0.0/0 ge 32", "192.0.2.0/31", false));
    }

    @ParameterizedTest(name = "permit {0} vs {1} -> {2}")
    @MethodSource("rows")
    void ipv4Bounds(String entry, String route, boolean expected) {
        PrefixList pl = policies("ip prefix-list L permit " + entry).prefixLists().get("L");
        assertEquals(expected, pl.permits(Prefix.parse(route)));
    }

    static Stream<Arguments> v6Rows() {
        return Stream.of(
                Arguments.of("2001:db8::/32", "2001:db8::/32", true),
                Arguments.of("2001:db8::/32", "2001:db8:1::/48", false),
                Arguments.of("2001:db8::/32 ge 48 le 64", "2001:db8:1::/48", true),
                Arguments.of("2001:db8::/32 ge 48 le 64", "2001:db8:1:2::/64", true),
                Arguments.of("2001:db8::/32 ge 48 le 64", "2001:db8:1:2::/65", false),
                Arguments.of("2001:db8::/32 le 128", "2001:db8::1/128", true),
                Arguments.of("2001:db8::/32 le 128", "2001:db9::/32", false),
                Arguments.of("::/0 ge 128", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/128", true));
    }

    @ParameterizedTest(name = "permit {0} vs {1} -> {2}")
    @MethodSource("v6Rows")
    void ipv6Bounds(String entry, String route, boolean expected) {
        PrefixList pl = policies("ipv6 prefix-list L permit " + entry).ipv6PrefixLists().get("L");
        assertEquals(expected, pl.permits(Prefix.parse(route)));
    }

    @Test
    void firstMatchBySequenceDecidesNotConfigurationOrder() {
        PrefixList pl = policies("""
                ip prefix-list L seq 20 permit 10.0.0.0/8 le 32
                ip prefix-list L seq 10 deny 10.1.0.0/16 le 32
                """).prefixLists().get("L");
        assertEquals(false, pl.permits(Prefix.parse("10.1.2.0/24")), "deny at seq 10 decides");
        assertEquals(true, pl.permits(Prefix.parse("10.2.2.0/24")));
        assertEquals(false, pl.permits(Prefix.parse("11.0.0.0/8")), "implicit deny");
    }

    @Test
    void automaticSequencesGoInStepsOfFive() {
        PrefixList pl = policies("""
                ip prefix-list L permit 10.0.0.0/8
                ip prefix-list L permit 11.0.0.0/8
                ip prefix-list L seq 12 permit 12.0.0.0/8
                ip prefix-list L permit 13.0.0.0/8
                """).prefixLists().get("L");
        assertEquals(List.of(5, 10, 12, 15), pl.entries().stream().map(PrefixListEntry::sequence).toList());
    }

    @Test
    void ipv4AndIpv6ListsHaveSeparateNamesAndNeverMatchTheOtherFamily() {
        PolicySet p = policies("""
                ip prefix-list L permit 0.0.0.0/0 le 32
                ipv6 prefix-list L permit ::/0 le 128
                """);
        assertEquals(false, p.prefixLists().get("L").permits(Prefix.parse("2001:db8::/32")));
        assertEquals(true, p.ipv6PrefixLists().get("L").permits(Prefix.parse("2001:db8::/32")));
    }

    /** The trie must give exactly what the definition (linear scan by sequence) gives. */
    @Test
    void trieAgreesWithLinearScanOnRandomLists() {
        Random rnd = new Random(42);
        for (int round = 0; round < 24; round++) {
            // small lists walk from the root; lists of 1,024 entries or more use the 16-bit jump table
            int size = round % 3 == 0 ? 3000 : 300;
            List<PrefixListEntry> es = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int len = rnd.nextInt(4) == 0 ? rnd.nextInt(17) : 16 + rnd.nextInt(9);
                Prefix p = new Prefix(v4(rnd.nextInt() & 0x0F0F0000 | 0x0A000000), len);
                int ge = rnd.nextInt(3) == 0 ? Math.min(32, len + 1 + rnd.nextInt(8)) : 0;
                int le = rnd.nextInt(3) == 0 ? Math.max(Math.max(ge, len + 1), Math.min(32, len + 1 + rnd.nextInt(10))) : 0;
                es.add(new PrefixListEntry((i + 1) * 5, rnd.nextBoolean(), p, ge, Math.min(32, le), i));
            }
            PrefixList pl = new PrefixList("R", false, "", es);
            for (int q = 0; q < 2000; q++) {
                Prefix route = new Prefix(v4(rnd.nextInt() & 0x0F0FFFFF | 0x0A000000), rnd.nextInt(33));
                PrefixListEntry expected = es.stream().filter(e -> e.matches(route)).findFirst().orElse(null);
                assertEquals(expected, pl.firstMatch(route), () -> "route " + route);
            }
        }
    }

    private static java.net.InetAddress v4(int a) {
        try {
            return java.net.InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
