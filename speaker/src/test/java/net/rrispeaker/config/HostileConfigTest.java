package net.rrispeaker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.ios.ConfigProblem;
import net.rrispeaker.ios.ConfigText;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.policy.AccessList;
import net.rrispeaker.policy.AclEntry;
import net.rrispeaker.policy.PrefixList;
import net.rrispeaker.policy.PrefixListEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs from a hostile tester: each once made the parser throw something other than a
 * {@link ConfigException}, hang, or accept a value the daemon then chokes on. Each must now give
 * exactly one {@code file:line: error:} naming the keyword and what is allowed.
 */
class HostileConfigTest {

    static List<String> errors(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse("h.conf", text));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    static void refused(String text, String expected) {
        assertEquals(List.of(expected), errors(text));
    }

    // --- a huge ACL sequence number (was NumberFormatException) ---

    @Test
    void aclSequenceNumberPastTheRangeIsAnErrorNotANumberFormatException() {
        refused("ip access-list extended A\n 99999999999999999999 permit ip any any\n",
                "h.conf:2: error: sequence number 99999999999999999999 (expected: 1-2147483647) in access-list A");
        refused("ip access-list standard S\n 2147483648 permit any\n",
                "h.conf:2: error: sequence number 2147483648 (expected: 1-2147483647) in access-list S");
    }

    @Test
    void anEntryAfterTheHighestSequenceNumberSaysNoneIsLeft() {
        refused("ip access-list extended A\n 2147483647 permit ip any any\n deny ip any any\n",
                "h.conf:3: error: no sequence number left after 2147483647 (expected: give this entry a free sequence "
                        + "number 1-2147483647) in access-list A");
        refused("ip prefix-list P seq 2147483647 permit 10.0.0.0/8\nip prefix-list P permit 10.0.0.0/16\n",
                "h.conf:2: error: no sequence number left after 2147483647 (expected: seq N with a free N "
                        + "1-2147483647) in ip prefix-list P");
    }

    @Test
    void hugeNumbersElsewhereInAnAclAreRangeErrors() {
        refused("access-list 101 permit 99999999999 any any\n",
                "h.conf:1: error: protocol number 99999999999 (expected: 0-255) in access-list 101");
        refused("access-list 99999999999999999999 permit any\n",
                "h.conf:1: error: access-list number 99999999999999999999 (expected: 1-199 or 1300-2699)");
        refused("access-list 101 permit tcp any eq 65536 any\n",
                "h.conf:1: error: port 65536 (expected: 0-65535) in access-list 101");
        refused("access-list 101 permit tcp any range 443 80 any\n",
                "h.conf:1: error: port range 443 80 (expected: low <= high) in access-list 101");
        refused("access-list 101 permit tcp any any eq\n",
                "h.conf:1: error: missing port after 'eq' in access-list 101");
    }

    // --- a connection-name glob like *a*a*a*a...a (was a regex stack overflow / exponential match) ---

    @Test
    void anOverlongConnectionGlobIsRefusedWithItsLength() {
        refused("crypto dynamic-map d 10\n match ipsec-connection " + "*a".repeat(2000) + "\n reverse-route\n",
                "h.conf:2: error: match ipsec-connection: connection name pattern is 4000 characters long "
                        + "(expected: at most 255)");
    }

    @Test
    void theLongestAllowedAdversarialGlobStillMatchesAtOnce() throws Exception {
        String glob = "*a".repeat(127) + "b"; // 255 characters
        Config c = ConfigParser.parse("h.conf", "crypto dynamic-map d 10\n match ipsec-connection " + glob
                + "\n reverse-route\n");
        ConnectionGlob g = c.crypto().bindings().get(0).connection();
        assertEquals(glob, g.text());
        assertFalse(g.matches("a".repeat(100_000)));
        assertTrue(g.matches("a".repeat(100_000) + "b"));
    }

    @Test
    void aMapNameUsedAsGlobIsMatchedWithoutBacktrackingWhateverItsLength() throws Exception {
        String name = "*a".repeat(1000) + "b"; // no match ipsec-connection: the map name is the pattern
        Config c = ConfigParser.parse("h.conf", "crypto dynamic-map " + name + " 10\n reverse-route\n");
        assertFalse(c.crypto().bindings().get(0).connection().matches("a".repeat(10_000)));
    }

    @Test
    void aDynamicMapReferencedByManyEntriesCannotExpandWithoutBound() {
        // each parent entry expands into all 400 dynamic-map entries: 251 parents would make 100,400 bindings
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 400; i++) {
            b.append("crypto dynamic-map D ").append(i).append("\n reverse-route\n");
        }
        for (int i = 1; i <= 251; i++) {
            b.append("crypto map VPN ").append(i).append(" ipsec-isakmp dynamic D\n");
        }
        refused(b.toString(), "h.conf:1051: error: crypto map VPN 251: dynamic-map 'D' (400 entries) makes more than "
                + "100000 SA bindings in all (expected: fewer crypto map entries referencing it)");
    }

    // --- a 1 MB line (hung --check-config) ---

    @Test
    void aOneMegabyteLineIsRefusedWithItsLengthAndTheRestIsRead() {
        List<String> e = errors("router bgp 65000\n description " + "x".repeat(1 << 20) + "\nfrobnicate\n");
        assertEquals(List.of("h.conf:2: error: line is 1048589 characters long (expected: at most 4096)",
                "h.conf:3: error: unknown command 'frobnicate' in router bgp 65000"), e);
    }

    @Test
    void aLineOfExactlyTheLimitIsRead() throws Exception {
        String line = "ip prefix-list P description " + "d".repeat(ConfigText.MAX_LINE_CHARS - 29);
        assertEquals(ConfigText.MAX_LINE_CHARS, line.length());
        Config c = ConfigParser.parse("h.conf", line + "\n");
        assertEquals(ConfigText.MAX_LINE_CHARS - 29, c.policies().prefixLists().get("P").description().length());
    }

    @Test
    void aControlCharacterIsAnErrorWithItsColumn() {
        refused("hostname hub\nhostname a\u0000b\n",
                "h.conf:2: error: control character U+0000 at column 11 (expected: printable text)");
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedAtTheLineThatPassesIt(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("big.conf");
        Files.writeString(f, "hostname hub\n".repeat(3));
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(ConfigText.MAX_FILE_BYTES + 10L); // sparse: the rest reads as zero bytes
        }
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(f));
        assertEquals(List.of(f + ":4: error: the configuration is larger than 67108864 bytes (64 MiB, the limit) "
                + "from this line on"), e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void aFloodOfBadLinesStopsReadingAtTheThousandthError() {
        List<String> e = errors("frobnicate\n".repeat(1500));
        assertEquals(1001, e.size());
        assertEquals("h.conf:1000: error: unknown command 'frobnicate'", e.get(999));
        assertEquals("h.conf:1001: error: too many errors (1000): the rest of the file is not read", e.get(1000));
    }

    @Test
    void warningsPastAThousandAreCountedOnOneLine() throws Exception {
        Config c = ConfigParser.parse("h.conf", "ip route 10.0.0.0 255.0.0.0 192.0.2.1 track 1\n".repeat(1500));
        assertEquals(1001, c.notes().size());
        assertEquals("h.conf:1001: warning: 500 more warnings from this line on are not listed (at most 1000 are)",
                c.notes().get(1000).toString());
    }

    // --- prefix lengths past 2^31 (an exception, or silently read as a different length) ---

    @Test
    void prefixLengthsPastTheFamilyAreErrorsNotWrappedValues() {
        refused("ip prefix-list P permit 10.0.0.0/4294967304\n",
                "h.conf:1: error: prefix length 4294967304 in '10.0.0.0/4294967304' (expected: 0..32) in ip prefix-list P");
        refused("ipv6 prefix-list P6 permit 2001:db8::/2147483648\n",
                "h.conf:1: error: prefix length 2147483648 in '2001:db8::/2147483648' (expected: 0..128) "
                        + "in ipv6 prefix-list P6");
        refused("ipv6 route ::/4294967296 2001:db8::1\n",
                "h.conf:1: error: ipv6 route: prefix length 4294967296 in '::/4294967296' (expected: 0..128)");
        refused("ipv6 access-list X\n permit ipv6 2001:db8::/99999999999999999999 any\n",
                "h.conf:2: error: prefix length 99999999999999999999 in '2001:db8::/99999999999999999999' "
                        + "(expected: 0..128) in access-list X");
        refused("ip prefix-list P permit 10.0.0.0/8 le 2147483648\n",
                "h.conf:1: error: le 2147483648 (expected: 1-32) in ip prefix-list P");
    }

    @Test
    void textTheAddressLibraryThrewOnIsAnErrorToo() {
        refused("route-map R permit 10\n set ipv6 next-hop ::/11111111111\n",
                "h.conf:2: error: set ipv6 next-hop '::/11111111111' (expected: an IPv6 address) in route-map R seq 10");
        refused("ip prefix-list P permit 1::/1/1\n",
                "h.conf:1: error: prefix length '1/1' in '1::/1/1' (expected: 0..128) in ip prefix-list P");
    }

    // --- a non-ASCII rri gobgp-api address (passed --check-config, then killed the daemon) ---

    @Test
    void aNonAsciiGobgpHostIsRefusedAtParseTime() {
        refused("rri gobgp-api hé.example:50051\n",
                "h.conf:1: error: rri gobgp-api: host 'hé.example' in 'hé.example:50051' (expected: an IP address or "
                        + "a host name of ASCII letters, digits, '-' and '.', labels of 1..63 characters, at most 253 in all)");
    }

    static Stream<Arguments> badAddresses() {
        return Stream.of(
                Arguments.of("rri gobgp-api my_host:50051",
                        "rri gobgp-api: host 'my_host' in 'my_host:50051' (expected: an IP address or a host name of ASCII "
                                + "letters, digits, '-' and '.', labels of 1..63 characters, at most 253 in all)"),
                Arguments.of("rri gobgp-api 300.1.1.1:50051",
                        "rri gobgp-api: host '300.1.1.1' in '300.1.1.1:50051' (expected: an IPv4 address of four numbers "
                                + "0..255 without leading zeros, or a host name)"),
                Arguments.of("rri gobgp-api [2001:db8::g]:50051",
                        "rri gobgp-api: host '[2001:db8::g]' in '[2001:db8::g]:50051' (expected: an IPv6 address inside [ ])"),
                Arguments.of("rri gobgp-api unix://run/gobgpd.sock",
                        "rri gobgp-api: socket path 'run/gobgpd.sock' in 'unix://run/gobgpd.sock' (expected: unix:/absolute/path)"),
                Arguments.of("rri control-api 127.0.0.1:65536",
                        "rri control-api: port '65536' in '127.0.0.1:65536' (expected: 1..65535)"),
                Arguments.of("rri control-api unix:/run/" + "s".repeat(120),
                        "rri control-api: socket path '/run/sssssssssssssssssssssssssss... (125 characters)' in "
                                + "'unix:/run/ssssssssssssssssssssss... (130 characters)' is 125 characters long "
                                + "(expected: at most 107)"),
                Arguments.of("rri metrics-listen 127.0.0.1:0",
                        "rri metrics-listen: port '0' in '127.0.0.1:0' (expected: 1..65535)"),
                Arguments.of("rri metrics-listen ::1:9433",
                        "address '::1:9433' (expected: HOST:PORT, [IPv6]:PORT)"),
                Arguments.of("rri vici-socket /run/chärön.vici",
                        "rri vici-socket: socket path '/run/chärön.vici' has the character U+00E4 (expected: printable ASCII)"),
                Arguments.of("rri vici-socket run/charon.vici",
                        "rri vici-socket: socket path 'run/charon.vici' (expected: an absolute path)"));
    }

    @Test
    void aLongTokenInAGuardOrControlApiLineIsShownAbbreviated() {
        refused("rri guard own " + "x".repeat(3000) + "\n", "h.conf:1: error: own prefix '" + "x".repeat(32)
                + "... (3000 characters)' is not a prefix (expected: PREFIX/LENGTH, ADDRESS or ADDRESS MASK)");
        assertEquals("h.conf:1: error: unexpected '" + "y".repeat(32) + "... (3000 characters)' after rri control-api "
                + "unix:/run/rri/c.sock (expected: rri control-api unix:/PATH [group NAME] | rri control-api HOST:PORT "
                + "tls cert FILE key FILE client-ca FILE)",
                errors("rri control-api unix:/run/rri/c.sock " + "y".repeat(3000) + "\n").get(0));
    }

    @ParameterizedTest
    @MethodSource("badAddresses")
    void daemonAddressesAreCheckedAsTheDaemonUsesThem(String line, String expected) {
        refused(line + "\n", "h.conf:1: error: " + expected);
    }

    @Test
    void goodDaemonAddressesAreKeptAndUnixOnesCanonical() throws Exception {
        RriSettings r = ConfigParser.parse("h.conf", """
                rri gobgp-api unix:///run/gobgpd.sock
                rri control-api [2001:db8::1]:50052 tls cert /etc/rri/api.pem key /etc/rri/api.key client-ca /etc/rri/ca.pem
                rri metrics-listen metrics-1.example.net.:9433
                rri vici-socket /run/strongswan/charon.vici
                """).rri();
        assertEquals("unix:/run/gobgpd.sock", r.gobgpApi());
        assertEquals("[2001:db8::1]:50052", r.controlApi().address());
        assertEquals("metrics-1.example.net.:9433", r.metricsListen());
        assertEquals("/run/strongswan/charon.vici", r.viciSocket());
    }

    // --- a non-UTF-8 file ("Input length = 1" with no file:line) ---

    @Test
    void aNonUtf8FileIsRefusedAtTheLineAndColumnOfTheFirstBadByte(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("latin1.conf");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("router bgp 65000\n redistribute static\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("hostname caf".getBytes(StandardCharsets.US_ASCII));
        b.write(0xE9); // é in ISO-8859-1
        b.writeBytes("\nhostname b\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Files.write(f, b.toByteArray());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(f));
        assertEquals(List.of(f + ":3: error: byte 0xE9 at column 13 is not UTF-8 (expected: a UTF-8 text file; "
                + "convert it, e.g. with iconv)"), e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void aSequenceCutShortAtTheEndOfTheFileIsNamedToo() {
        byte[] bytes = "hostname hub\nhostname x\u00c3".getBytes(StandardCharsets.ISO_8859_1);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigText.decode("cut.conf", bytes));
        assertEquals("cut.conf:2: error: byte 0xC3 at column 11 is not UTF-8 (expected: a UTF-8 text file; "
                + "convert it, e.g. with iconv)", e.getMessage());
    }

    @Test
    void aUtf8FileWithAByteOrderMarkAndNonAsciiNamesIsRead(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bom.conf");
        Files.writeString(f, "\uFEFFroute-map café permit 10\n set tag 7\n");
        assertTrue(ConfigParser.parse(f).policies().hasRouteMap("café"));
    }

    // --- every numeric value is range-checked, naming the keyword and the range ---

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of("crypto dynamic-map d 10\n set reverse-route tag 4294967296",
                        "h.conf:2: error: reverse-route tag: 4294967296 (expected: 0..4294967295)"),
                Arguments.of("crypto dynamic-map d 10\n set reverse-route tag \u0661\u0662",
                        "h.conf:2: error: reverse-route tag '\u0661\u0662' is not a number (expected: 0..4294967295)"),
                Arguments.of("crypto dynamic-map d 10\n set reverse-route distance 256",
                        "h.conf:2: error: reverse-route distance: 256 (expected: 1..255)"),
                Arguments.of("crypto dynamic-map d 65536",
                        "h.conf:1: error: dynamic-map sequence number: 65536 (expected: 1..65535)"),
                Arguments.of("crypto map m 99999999999999999999 ipsec-isakmp",
                        "h.conf:1: error: crypto map sequence number: 99999999999999999999 (expected: 1..65535)"),
                Arguments.of("ip route 10.0.0.0 255.0.0.0 192.0.2.1 256",
                        "h.conf:1: error: distance: 256 (expected: 1..255)"),
                Arguments.of("ip route 10.0.0.0 255.0.0.0 192.0.2.1 tag 99999999999999999999",
                        "h.conf:1: error: tag: 99999999999999999999 (expected: 0..4294967295)"),
                Arguments.of("router bgp 4294967296",
                        "h.conf:1: error: AS number: 4294967296 (expected: 1..4294967295)"),
                Arguments.of("router bgp 65536.1",
                        "h.conf:1: error: AS number '65536.1' (expected: 1..4294967295 or X.Y asdot)"),
                Arguments.of("router bgp 65000\n redistribute static metric 4294967296",
                        "h.conf:2: error: redistribute metric: 4294967296 (expected: 0..4294967295)"),
                Arguments.of("router ospf 1\n redistribute static metric 16777215 subnets",
                        "h.conf:2: error: redistribute metric: 16777215 (expected: 0..16777214)"),
                Arguments.of("router rip\n redistribute static metric 17",
                        "h.conf:2: error: redistribute metric: 17 (expected: 0..16)"),
                Arguments.of("router eigrp 1\n redistribute static metric 10000 100 256 1 1500",
                        "h.conf:2: error: redistribute metric reliability: 256 (expected: 0..255)"),
                Arguments.of("router ospf 1\n redistribute static tag 4294967296",
                        "h.conf:2: error: redistribute tag: 4294967296 (expected: 0..4294967295)"),
                Arguments.of("rri withdraw-delay 3600001",
                        "h.conf:1: error: withdraw-delay milliseconds: 3600001 (expected: 0..3600000)"),
                Arguments.of("rri source-hold-time 86401",
                        "h.conf:1: error: source-hold-time seconds: 86401 (expected: 0..86400)"),
                Arguments.of("rri gobgp path-identifier 0",
                        "h.conf:1: error: path-identifier: 0 (expected: 1..4294967295)"),
                Arguments.of("rri bgp tag-community 65536",
                        "h.conf:1: error: tag-community ASN: 65536 (expected: 1..65535)"),
                Arguments.of("route-map R permit 65536",
                        "h.conf:1: error: route-map sequence 65536 (expected: 0-65535) in route-map R"),
                Arguments.of("route-map R permit 10\n continue 99999999999",
                        "h.conf:2: error: continue sequence 99999999999 (expected: 0-65535) in route-map R seq 10"),
                Arguments.of("route-map R permit 10\n set metric +4294967296",
                        "h.conf:2: error: metric 4294967296 (expected: 0-4294967295) in route-map R seq 10"),
                Arguments.of("route-map R permit 10\n set tag -1",
                        "h.conf:2: error: tag '-1' (expected: 0-4294967295) in route-map R seq 10"),
                Arguments.of("route-map R permit 10\n match tag 4294967296",
                        "h.conf:2: error: tag 4294967296 (expected: 0-4294967295) in route-map R seq 10"),
                Arguments.of("route-map R permit 10\n set as-path prepend 65000 4294967296",
                        "h.conf:2: error: as-path prepend ASN 4294967296 (expected: 1-4294967295) in route-map R seq 10"),
                Arguments.of("route-map R permit 10\n set local-preference 4294967296",
                        "h.conf:2: error: local-preference 4294967296 (expected: 0-4294967295) in route-map R seq 10"),
                Arguments.of("route-map R permit 10\n set extcommunity rt 4200000000:65536",
                        "h.conf:2: error: route-target '4200000000:65536': assigned number 65536 (expected: 0-65535 "
                                + "after a 4-byte ASN or an IPv4 address) in route-map R seq 10"),
                Arguments.of("ip prefix-list P seq 2147483648 permit 10.0.0.0/8",
                        "h.conf:1: error: seq 2147483648 (expected: 1-2147483647) in ip prefix-list P"),
                Arguments.of("vrf definition V\n rd 1.2.3.4:65536",
                        "h.conf:2: error: route distinguisher '1.2.3.4:65536': assigned number 65536 (expected: "
                                + "0-65535 after a 4-byte ASN or an IPv4 address)"),
                Arguments.of("vrf definition V\n route-target export 4294967296:1",
                        "h.conf:2: error: route target '4294967296:1': ASN 4294967296 (expected: 0-4294967295)"),
                Arguments.of("vrf definition V\n rd 1.2:3",
                        null)); // asdot is a 4-byte ASN: accepted (see the next test)
    }

    @ParameterizedTest
    @MethodSource("outOfRange")
    void numbersOutsideTheirRangeNameTheKeywordAndTheRange(String config, String expected) throws Exception {
        if (expected == null) {
            ConfigParser.parse("h.conf", config + "\n");
        } else {
            refused(config + "\n", expected);
        }
    }

    @Test
    void routeDistinguishersAndTargetsAreKeptAsGobgpTakesThem() throws Exception {
        Config c = ConfigParser.parse("h.conf", "vrf definition V\n rd 1.2:3\n route-target both 010.0.0.1:07\n"
                + " route-target import 65000:4294967295\n");
        var v = c.crypto().vrfs().get("V");
        assertEquals("65538:3", v.rd());
        assertEquals(List.of("10.0.0.1:7", "65000:4294967295"), v.importTargets());
        assertEquals(List.of("10.0.0.1:7"), v.exportTargets());
    }

    // --- a 50,000-line ACL took over 5 s (remove + sort per line); functional check, speed is in the benchmark ---

    @Test
    void aFiftyThousandLineAclIsReadWholeAndInSequenceOrder() throws Exception {
        int n = 50_000;
        StringBuilder b = new StringBuilder("ip access-list extended BIG\n");
        // explicit sequences written backwards, then one without: it goes after the highest
        for (int i = n - 1; i >= 1; i--) {
            b.append(' ').append(i * 10).append(" permit ip 10.").append(i >> 8 & 255).append('.').append(i & 255)
                    .append(".0 0.0.0.255 any\n");
        }
        b.append(" deny ip any any\n");
        AccessList acl = ConfigParser.parse("h.conf", b.toString()).policies().accessLists().get("BIG");
        List<AclEntry> e = acl.entries();
        assertEquals(n, e.size());
        assertTrue(IntStream.range(1, n).allMatch(i -> e.get(i - 1).sequence() < e.get(i).sequence()));
        assertEquals(10, e.get(0).sequence());
        assertEquals(n * 10, e.get(n - 1).sequence());
        assertFalse(e.get(n - 1).permit());
        assertTrue(acl.permits(Prefix.parse("10.0.1.0/24")));
    }

    @Test
    void aFiftyThousandLinePrefixListIsReadWhole() throws Exception {
        int n = 50_000;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("ip prefix-list BIG permit 10.").append(i >> 8 & 255).append('.').append(i & 255).append(".0/24 le 32\n");
        }
        PrefixList p = ConfigParser.parse("h.conf", b.toString()).policies().prefixLists().get("BIG");
        List<PrefixListEntry> e = p.entries();
        assertEquals(n, e.size());
        assertEquals(5, e.get(0).sequence());
        assertEquals(n * 5, e.get(n - 1).sequence());
        assertTrue(p.permits(Prefix.parse("10.195.79.128/25")));
        assertFalse(p.permits(Prefix.parse("10.196.80.0/24")));
    }

    @Test
    void fiftyThousandRouteMapsAreReadWhole() throws Exception {
        int n = 50_000;
        StringBuilder b = new StringBuilder("ip prefix-list P permit 10.0.0.0/8 le 32\n");
        for (int i = 0; i < n; i++) {
            b.append("route-map M").append(i).append(" permit 10\n match ip address prefix-list P\n set tag ")
                    .append(i).append('\n');
        }
        assertEquals(n, ConfigParser.parse("h.conf", b.toString()).policies().routeMaps().size());
    }
}
