package net.rrispeaker.source.vici;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.Test;

/**
 * Seeded random selectors: random text, valid selectors of both families in every form, and
 * mutations of those. Each one must be either a list of valid prefixes that an independent parser
 * (the IPAddress library) agrees with, or a refusal with a reason that is counted once; and going
 * through the whole event conversion, the SA must keep its other, valid selector. Reproduce a
 * failure with {@code -Drri.fuzz.seed=N} (the failure message prints the seed and the case).
 */
class TrafficSelectorsFuzzTest {
    private static final long SEED = Long.getLong("rri.fuzz.seed", 20_260_501L);
    private static final int CASES = 20_000;
    private static final String ALPHABET = "0123456789abcdefABCDEF:./-[]%xyz ,\t\n\u0000\uff10\u0660\u202e";
    private static final Prefix OTHER = Prefix.parse("10.99.0.0/16");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<SaEvent> delivered = new ArrayList<>();
    private final ViciDelivery delivery = new ViciDelivery(delivered::add, registry);
    private final Map<TrafficSelectors.Refusal, Integer> outcomes = new EnumMap<>(TrafficSelectors.Refusal.class);
    private int routable;

    private final ch.qos.logback.classic.Logger deliveryLog =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ViciDelivery.class);
    private ch.qos.logback.classic.Level level;

    @org.junit.jupiter.api.BeforeEach
    void quiet() {
        level = deliveryLog.getLevel();
        deliveryLog.setLevel(ch.qos.logback.classic.Level.ERROR);   // thousands of refusals, one line each
    }

    @org.junit.jupiter.api.AfterEach
    void loud() {
        deliveryLog.setLevel(level);
    }

    @Test
    void everySelectorIsEitherValidPrefixesOrACountedRefusal() {
        Random rnd = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            String text;
            boolean generatedValid = false;
            switch (i % 4) {
                case 0 -> text = randomText(rnd);
                case 1, 2 -> text = mutate(validSelector(rnd), rnd);
                default -> {
                    text = validSelector(rnd);
                    generatedValid = true;
                }
            }
            try {
                check(text, generatedValid);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("selector fuzz failed: seed=" + SEED + " case=" + i + " selector=\""
                        + LogText.safe(text) + "\": " + e, e);
            }
        }
        // the generator reaches every outcome, so the properties above were really exercised
        assertTrue(routable > CASES / 10, "routable: " + routable);
        for (TrafficSelectors.Refusal r : TrafficSelectors.Refusal.values()) {
            assertTrue(outcomes.getOrDefault(r, 0) > 0, "no case refused as " + r + ": " + outcomes);
        }
    }

    private void check(String text, boolean generatedValid) {
        TrafficSelectors.Result result = TrafficSelectors.parseOne(text);
        assertNotNull(result);
        if (result instanceof TrafficSelectors.Routable ok) {
            routable++;
            checkPrefixes(text, ok.prefixes());
        } else if (result instanceof TrafficSelectors.Refused no) {
            outcomes.merge(no.reason(), 1, Integer::sum);
            assertFalse(no.detail().isEmpty());
            if (generatedValid) {
                assertTrue(no.reason() == TrafficSelectors.Refusal.IPV4_MAPPED || no.reason() == TrafficSelectors.Refusal.IPV4_COMPATIBLE
                        || no.reason() == TrafficSelectors.Refusal.RANGE_TOO_WIDE, "a well-formed selector refused: " + no);
            }
        } else {
            assertEquals(new TrafficSelectors.Unroutable("dynamic"), result);
        }
        checkThroughTheEventConversion(text, result);
    }

    /** Every prefix is a well-formed network, and the prefixes are exactly what the text says. */
    private static void checkPrefixes(String text, List<Prefix> prefixes) {
        assertFalse(prefixes.isEmpty());
        assertTrue(prefixes.size() <= TrafficSelectors.MAX_RANGE_PREFIXES);
        for (Prefix p : prefixes) {
            int bytes = p.network().getAddress().length;
            assertEquals(p.isIpv4() ? 4 : 16, bytes, "family and address length agree");
            assertTrue(p.length() >= 0 && p.length() <= bytes * 8);
            assertEquals(p, new Prefix(p.network(), p.length()), "no host bits");
            assertFalse(p.embedsIpv4(), "no IPv4 network written as IPv6: " + p);
        }
        String address = text.indexOf('[') >= 0 ? text.substring(0, text.indexOf('[')) : text;
        int sep = address.indexOf("..");
        int sepLen = 2;
        if (sep < 0) {
            sep = address.indexOf('-');
            sepLen = 1;
        }
        if (sep < 0) {
            assertEquals(1, prefixes.size());
            IPAddress lib = new IPAddressString(address).getAddress();
            assertNotNull(lib, "the library reads what we accepted");
            assertEquals(Prefix.parse(address), prefixes.get(0), "the library's reading");
            assertArrayEquals(lib.withoutPrefixLength().getBytes(), prefixes.get(0).network().getAddress(),
                    "the text names the network itself, no host bits");
            return;
        }
        BigInteger from = library(address.substring(0, sep));
        BigInteger to = library(address.substring(sep + sepLen));
        BigInteger next = from;
        for (Prefix p : prefixes) {
            BigInteger network = new BigInteger(1, p.network().getAddress());
            assertEquals(next, network, "blocks are contiguous from the range start: " + prefixes);
            next = network.add(BigInteger.ONE.shiftLeft(p.maxLength() - p.length()));
        }
        assertEquals(to.add(BigInteger.ONE), next, "blocks end exactly at the range end: " + prefixes);
    }

    private static BigInteger library(String address) {
        IPAddress a = new IPAddressString(address).getAddress();
        assertNotNull(a, "the library reads the range end we accepted: " + address);
        return new BigInteger(1, a.getBytes());
    }

    /** Through a real child-updown conversion: the other selector survives, a refusal is counted exactly once. */
    private void checkThroughTheEventConversion(String text, TrafficSelectors.Result result) {
        double before = refusedCount();
        delivered.clear();
        ViciMessage child = ViciMessage.builder().add("name", "lan").add("uniqueid", "5").add("reqid", "1")
                .list("local-ts", List.of("10.80.0.0/16")).list("remote-ts", List.of(text, OTHER.toString())).build();
        ViciMessage ike = ViciMessage.builder().add("uniqueid", "4").add("remote-host", "192.0.2.2")
                .section("child-sas", ViciMessage.builder().section("lan-5", child).build()).build();
        delivery.event(ViciPacket.event("child-updown", ViciMessage.builder().add("up", "yes").section("spokes", ike).build()));
        ChildSa sa = assertInstanceOf(SaEvent.ChildUp.class, delivered.get(0), "a selector never costs the SA").sa();
        assertTrue(sa.remoteTs().contains(OTHER), "the valid selector survives");
        if (result instanceof TrafficSelectors.Refused) {
            assertEquals(before + 1, refusedCount(), "counted once");
            assertEquals(List.of(OTHER), sa.remoteTs());
        } else {
            assertEquals(before, refusedCount());
            if (result instanceof TrafficSelectors.Routable ok) {
                assertTrue(sa.remoteTs().containsAll(ok.prefixes()));
            }
        }
    }

    private double refusedCount() {
        return registry.find(Meters.SELECTORS_REFUSED).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static String randomText(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(40);
        for (int i = 0; i < n; i++) {
            sb.append(rnd.nextInt(50) == 0 ? (char) rnd.nextInt(0x3000) : ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** A selector as strongSwan (or swanctl.conf) writes one: CIDR, address or range, either family, maybe a port suffix. */
    static String validSelector(Random rnd) {
        boolean v6 = rnd.nextBoolean();
        byte[] a = address(rnd, v6);
        String out;
        switch (rnd.nextInt(4)) {
            case 0 -> {
                int len = rnd.nextInt(v6 ? 129 : 33);
                Prefix p = new Prefix(Addresses.fromBytes(a), len);
                out = text(p.network().getAddress(), rnd) + "/" + len;
            }
            case 1 -> out = text(a, rnd);
            default -> {
                BigInteger from = new BigInteger(1, a);
                BigInteger span = rnd.nextInt(4) == 0 ? new BigInteger(v6 ? 128 : 32, rnd) : BigInteger.valueOf(rnd.nextInt(5000));
                BigInteger max = BigInteger.ONE.shiftLeft(v6 ? 128 : 32).subtract(BigInteger.ONE);
                BigInteger to = from.add(span).min(max);
                out = text(bytes(from, a.length), rnd) + (rnd.nextBoolean() ? ".." : "-") + text(bytes(to, a.length), rnd);
            }
        }
        if (rnd.nextInt(5) == 0) {
            out += List.of("[tcp/443]", "[udp]", "[0/1000-2000]", "[ipv6-icmp/128]", "[tcp/OPAQUE]").get(rnd.nextInt(5));
        }
        return out;
    }

    private static byte[] address(Random rnd, boolean v6) {
        byte[] b = new byte[v6 ? 16 : 4];
        rnd.nextBytes(b);
        if (v6) {
            switch (rnd.nextInt(5)) {
                case 0 -> Arrays.fill(b, 0, 12, (byte) 0);                         // ::/96, IPv4-compatible
                case 1 -> {                                                        // ::ffff:0:0/96, IPv4-mapped
                    Arrays.fill(b, 0, 10, (byte) 0);
                    b[10] = (byte) 0xff;
                    b[11] = (byte) 0xff;
                }
                case 2 -> Arrays.fill(b, 4, 16, (byte) 0);                         // long zero runs
                default -> {
                }
            }
        }
        return b;
    }

    /** Address text in one of the forms a daemon may print: canonical, uncompressed, or with a dotted-quad tail. */
    private static String text(byte[] b, Random rnd) {
        if (b.length == 4 || rnd.nextInt(3) != 0) {
            return Addresses.format(Addresses.fromBytes(b));
        }
        StringBuilder sb = new StringBuilder();
        boolean quad = rnd.nextBoolean();
        int groups = quad ? 6 : 8;
        for (int i = 0; i < groups; i++) {
            sb.append(i == 0 ? "" : ":").append(Integer.toHexString(((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff)));
        }
        if (quad) {
            sb.append(':').append(b[12] & 0xff).append('.').append(b[13] & 0xff).append('.').append(b[14] & 0xff)
                    .append('.').append(b[15] & 0xff);
        }
        return sb.toString();
    }

    private static byte[] bytes(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    static String mutate(String s, Random rnd) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = sb.length() == 0 ? 0 : rnd.nextInt(sb.length());
            char c = ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
            switch (rnd.nextInt(6)) {
                case 0 -> sb.insert(at, c);
                case 1 -> {
                    if (sb.length() > 0) {
                        sb.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (sb.length() > 0) {
                        sb.setCharAt(at, c);
                    }
                }
                case 3 -> sb.setLength(at);
                case 4 -> sb.insert(at, sb.substring(at, Math.min(sb.length(), at + 1 + rnd.nextInt(6))));
                default -> sb.insert(at, List.of("..", "/", "::", "-", "[", "]", ".0", "/128", "/32", "ffff:").get(rnd.nextInt(10)));
            }
        }
        return sb.toString();
    }
}
