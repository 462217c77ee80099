package net.rrispeaker.source.vici;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;

/**
 * Turns strongSwan's traffic-selector text into routable prefixes, and refuses everything else.
 * The selectors are what the remote peer negotiated, so this is the boundary where untrusted text
 * becomes routes: only the exact forms below pass, each one is checked whole, and a refusal says
 * why (see docs/security.md).
 *
 * <ul>
 *   <li>{@code 10.1.0.0/16}, {@code 2001:db8::/48}: one prefix; length 0..32 or 0..128, host bits
 *       clear. A bare address is a host prefix.</li>
 *   <li>{@code FROM..TO} (strongSwan's form for a range that is not one subnet) or {@code FROM-TO}
 *       (swanctl.conf's form): split into the exact set of prefixes that covers it, so every
 *       address the SA protects is routed and nothing more. Both ends of one family, in order, and
 *       at most {@link #MAX_RANGE_PREFIXES} prefixes, or the range is refused as a whole.</li>
 *   <li>A {@code [proto/port]} suffix is dropped and the address part still routes: a route has
 *       no ports, and Cisco's reverse-route likewise routes the crypto ACL's address part. The
 *       restricted traffic must reach this box, so the prefix has to be announced.</li>
 *   <li>{@code dynamic} (not yet resolved): well-formed but no network; kept aside as unroutable.</li>
 *   <li>IPv6 prefixes of length 96 or more inside {@code ::ffff:0:0/96} (IPv4-mapped) or
 *       {@code ::/96} (IPv4-compatible, deprecated by RFC 4291): refused. They are IPv4 networks
 *       written as IPv6; a daemon may file them in its IPv4 table with a nonsense length.</li>
 *   <li>Anything else: refused. Addresses must be the text {@code inet_ntop} prints
 *       ({@link Addresses#parseStrict}); no spaces, zones, masks, wildcards or short forms.</li>
 * </ul>
 *
 * <p>The text is read as the bytes it arrives in ({@link Collector}): no string, no regular
 * expression and no general address library between the wire and the {@link Prefix}; a string is
 * built only to say what a refused selector was. {@link #parseOne(String)} reads a string the same
 * way, through its UTF-8 bytes.
 *
 * <p>Public for the other event sources (the control API's publishers): whatever sends selectors,
 * they are read by this one parser.
 */
public final class TrafficSelectors {
    /** Prefixes one range may expand to; a wider range is refused whole (it is not a subnet an operator would configure). */
    static final int MAX_RANGE_PREFIXES = 32;
    /** Longest selector text read: an IPv6 range with a port suffix is well under it. */
    static final int MAX_TEXT = 200;
    private static final int MAX_SUFFIX = 64;

    /** Why a selector was refused; {@link #tag} is the counter's {@code reason}. */
    public enum Refusal {
        SYNTAX("syntax"),
        PREFIX_LENGTH("prefix-length"),
        HOST_BITS("host-bits"),
        FAMILY_MISMATCH("family-mismatch"),
        RANGE_ORDER("range-order"),
        RANGE_TOO_WIDE("range-too-wide"),
        IPV4_MAPPED("ipv4-mapped"),
        IPV4_COMPATIBLE("ipv4-compatible");

        final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }

        /** The counter's {@code reason} tag. */
        public String tag() {
            return tag;
        }
    }

    /** What one selector text is. */
    public sealed interface Result permits Routable, Unroutable, Refused {
    }

    /** Routes these prefixes (one for a subnet, the exact split for a range). */
    public record Routable(List<Prefix> prefixes) implements Result {
        public Routable {
            prefixes = List.copyOf(prefixes);
        }
    }

    /** Well-formed but names no network ({@code dynamic}). */
    public record Unroutable(String text) implements Result {
    }

    /** Refused: {@code detail} says what was wrong, in words ("prefix length 33 (expected: 0..32)"). */
    public record Refused(Refusal reason, String detail) implements Result {
    }

    /** A refused selector with its raw text. */
    public record Rejected(String raw, Refused why) {
    }

    /** Prefixes in selector order (duplicates removed), the unroutable texts, and the refused ones. */
    public record Parsed(List<Prefix> prefixes, List<String> unroutable, List<Rejected> refused) {
        public Parsed {
            prefixes = List.copyOf(prefixes);
            unroutable = List.copyOf(unroutable);
            refused = List.copyOf(refused);
        }
    }

    private TrafficSelectors() {
    }

    public static Parsed parse(List<String> selectors) {
        Collector c = new Collector();
        if (selectors != null) {
            for (String ts : selectors) {
                c.add(ts);
            }
        }
        return c.done();
    }

    /** What one selector text is; never throws. */
    static Result parseOne(String text) {
        if (text == null) {
            return syntax("empty selector");
        }
        Collector c = new Collector();
        c.add(text);
        Parsed p = c.done();
        if (!p.refused().isEmpty()) {
            return p.refused().get(0).why();
        }
        return p.unroutable().isEmpty() ? new Routable(p.prefixes()) : new Unroutable(p.unroutable().get(0));
    }

    /**
     * Reads the selectors of one list, one at a time as they arrive, into a {@link Parsed}: prefixes
     * in selector order without duplicates, unroutable texts, refusals with their raw text. Reusable
     * after {@link #done()}. Not thread-safe.
     */
    static final class Collector {
        /** Above this many prefixes, duplicates are found through a hash set instead of a scan. */
        private static final int SCAN_LIMIT = 16;

        private final byte[] from = new byte[16];
        private byte[] to;   // the end of a range, made on the first range
        private Prefix[] range;   // the blocks of a range until it has passed as a whole; made on the first range
        private Prefix first;
        private List<Prefix> prefixes;
        private Set<Prefix> seen;
        private List<String> unroutable;
        private List<Rejected> refused;

        /** One selector as text (tests, and lists that arrive as strings). */
        void add(String text) {
            Refused no = text == null ? syntax("empty selector") : read(text.getBytes(StandardCharsets.UTF_8));
            if (no != null) {
                reject(text, no);
            }
        }

        /** One selector as the bytes {@code s[start, end)} of its text. */
        void add(byte[] s, int start, int end) {
            Refused no = read(s, start, end);
            if (no != null) {
                reject(WireText.text(s, start, end - start), no);
            }
        }

        /** What was read since the last call; the collector is empty again afterwards. */
        Parsed done() {
            List<Prefix> p = prefixes != null ? prefixes : first != null ? List.of(first) : List.of();
            Parsed out = new Parsed(p, unroutable != null ? unroutable : List.of(), refused != null ? refused : List.of());
            clear();
            return out;
        }

        /** Forgets what was read since the last {@link #done()}. */
        void clear() {
            first = null;
            prefixes = null;
            seen = null;
            unroutable = null;
            refused = null;
        }

        private void reject(String raw, Refused why) {
            if (refused == null) {
                refused = new ArrayList<>(2);
            }
            refused.add(new Rejected(raw, why));
        }

        private void accept(Prefix p) {
            if (first == null) {
                first = p;
                return;
            }
            if (prefixes == null) {
                if (first.equals(p)) {
                    return;
                }
                prefixes = new ArrayList<>(4);
                prefixes.add(first);
                prefixes.add(p);
                return;
            }
            if (seen == null && prefixes.size() < SCAN_LIMIT) {
                if (!prefixes.contains(p)) {
                    prefixes.add(p);
                }
                return;
            }
            if (seen == null) {
                seen = new HashSet<>(prefixes);
            }
            if (seen.add(p)) {
                prefixes.add(p);
            }
        }

        private Refused read(byte[] b) {
            return read(b, 0, b.length);
        }

        /** Reads one selector; its prefixes (or its unroutable text) are taken on success, else the refusal is returned. */
        private Refused read(byte[] s, int start, int end) {
            if (end - start > MAX_TEXT) {
                String text = WireText.text(s, start, end - start);   // the limit counts characters
                if (text.length() > MAX_TEXT) {
                    return syntax("selector of " + text.length() + " characters (expected: at most " + MAX_TEXT + ")");
                }
            }
            if (start == end) {
                return syntax("empty selector");
            }
            if (Arrays.equals(s, start, end, DYNAMIC, 0, DYNAMIC.length)) {
                if (unroutable == null) {
                    unroutable = new ArrayList<>(1);
                }
                unroutable.add(DYNAMIC_TEXT);
                return null;
            }
            int address = end;   // end of the address part
            int open = indexOf(s, start, end, '[');
            if (open >= 0) {
                if (!validSuffix(s, open, end)) {
                    return syntax("port suffix (expected: one [PROTO/PORT] at the end, letters, digits and /_.+- only)");
                }
                address = open;
            } else if (indexOf(s, start, end, ']') >= 0) {
                return syntax("']' without '['");
            }
            if (address == start) {
                return syntax("no address before the port suffix");
            }
            int dots = indexOfDots(s, start, address);
            if (dots >= 0) {
                return range(s, start, dots, dots + 2, address);
            }
            int dash = indexOf(s, start, address, '-');
            if (dash >= 0) {
                return range(s, start, dash, dash + 1, address);
            }
            int slash = indexOf(s, start, address, '/');
            int host = slash >= 0 ? slash : address;
            int bytes = Addresses.strictBytes(s, start, host, from);
            if (bytes == 0) {
                return syntax("address '" + WireText.text(s, start, host - start)
                        + "' (expected: a dotted quad or IPv6 text)");
            }
            int max = bytes * 8;
            int length = max;
            if (slash >= 0) {
                length = decimal(s, slash + 1, address);
                if (length < 0) {
                    return syntax("prefix length '" + WireText.text(s, slash + 1, address - slash - 1)
                            + "' (expected: a decimal number without leading zeros)");
                }
                if (length > max) {
                    return new Refused(Refusal.PREFIX_LENGTH, "prefix length " + length + " (expected: 0.." + max + ")");
                }
            }
            Prefix p = new Prefix(Addresses.fromBytes(Arrays.copyOf(from, bytes)), length);
            if (hostBitsSet(from, bytes, length)) {
                return new Refused(Refusal.HOST_BITS, "host bits set (expected: " + p + ")");
            }
            Refused embedded = embedded(p);
            if (embedded != null) {
                return embedded;
            }
            accept(p);
            return null;
        }

        /**
         * {@code FROM..TO} or {@code FROM-TO}: the exact prefixes covering the range, smallest
         * address first, at most {@link #MAX_RANGE_PREFIXES}; taken only if the whole range passes.
         */
        private Refused range(byte[] s, int fromStart, int fromEnd, int toStart, int toEnd) {
            if (to == null) {
                to = new byte[16];
            }
            int fromBytes = Addresses.strictBytes(s, fromStart, fromEnd, from);
            int toBytes = Addresses.strictBytes(s, toStart, toEnd, to);
            if (fromBytes == 0 || toBytes == 0) {
                String bad = fromBytes == 0 ? WireText.text(s, fromStart, fromEnd - fromStart)
                        : WireText.text(s, toStart, toEnd - toStart);
                return syntax("range end '" + bad + "' (expected: an address)");
            }
            if (fromBytes != toBytes) {
                return new Refused(Refusal.FAMILY_MISMATCH, "range from an IPv" + (fromBytes == 4 ? 4 : 6)
                        + " to an IPv" + (toBytes == 4 ? 4 : 6) + " address");
            }
            int bits = fromBytes * 8;
            // 128-bit unsigned arithmetic in two longs; an IPv4 address is the low 32 bits of lo
            long loHigh = high(from, fromBytes);
            long lo = low(from, fromBytes);
            long hiHigh = high(to, toBytes);
            long hi = low(to, toBytes);
            if (compare(loHigh, lo, hiHigh, hi) > 0) {
                return new Refused(Refusal.RANGE_ORDER, "range start above its end");
            }
            if (range == null) {
                range = new Prefix[MAX_RANGE_PREFIXES];
            }
            int n = 0;
            while (true) {
                if (n == MAX_RANGE_PREFIXES) {
                    Arrays.fill(range, null);
                    return new Refused(Refusal.RANGE_TOO_WIDE, "range needs more than " + MAX_RANGE_PREFIXES
                            + " prefixes (expected: at most " + MAX_RANGE_PREFIXES + ")");
                }
                // the largest block aligned at lo that does not run past hi
                int size = lo != 0 ? Long.numberOfTrailingZeros(lo) : loHigh != 0 ? 64 + Long.numberOfTrailingZeros(loHigh) : bits;
                size = Math.min(size, bits);
                while (size > 0 && compare(loHigh | highMask(size), lo | lowMask(size), hiHigh, hi) > 0) {
                    size--;
                }
                Prefix p = new Prefix(address(loHigh, lo, fromBytes), bits - size);
                Refused embedded = embedded(p);
                if (embedded != null) {
                    Arrays.fill(range, 0, n, null);
                    return new Refused(embedded.reason(), "range covers " + p + ": " + embedded.detail());
                }
                range[n++] = p;
                long lastHigh = loHigh | highMask(size);
                long last = lo | lowMask(size);
                if (lastHigh == hiHigh && last == hi) {
                    break;
                }
                // the next block starts one past this one's last address (below hi, so no overflow)
                lo = last + 1;
                loHigh = lo == 0 ? lastHigh + 1 : lastHigh;
            }
            for (int i = 0; i < n; i++) {
                accept(range[i]);
                range[i] = null;
            }
            return null;
        }
    }

    private static final String DYNAMIC_TEXT = "dynamic";
    private static final byte[] DYNAMIC = DYNAMIC_TEXT.getBytes(StandardCharsets.US_ASCII);

    private static Refused embedded(Prefix p) {
        if (!p.embedsIpv4()) {
            return null;
        }
        if (Addresses.isIpv4Mapped(p.network())) {
            return new Refused(Refusal.IPV4_MAPPED, p + " lies in ::ffff:0:0/96 (an IPv4-mapped IPv6 network)");
        }
        return new Refused(Refusal.IPV4_COMPATIBLE, p + " lies in ::/96 (IPv4-compatible IPv6, deprecated; also :: and ::1)");
    }

    /** True if any bit of the first {@code bytes} bytes of {@code a} after the first {@code length} bits is set. */
    private static boolean hostBitsSet(byte[] a, int bytes, int length) {
        for (int i = length / 8; i < bytes; i++) {
            int keep = Math.max(0, Math.min(8, length - i * 8));
            if ((a[i] & (0xFF >>> keep)) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Bits 64..127 of an IPv6 address; 0 for IPv4. */
    private static long high(byte[] a, int bytes) {
        return bytes == 4 ? 0 : bigEndian(a, 0, 8);
    }

    /** Bits 0..63 of an IPv6 address, or the IPv4 address. */
    private static long low(byte[] a, int bytes) {
        return bytes == 4 ? bigEndian(a, 0, 4) : bigEndian(a, 8, 8);
    }

    private static long bigEndian(byte[] a, int at, int n) {
        long v = 0;
        for (int i = at; i < at + n; i++) {
            v = v << 8 | (a[i] & 0xFF);
        }
        return v;
    }

    private static int compare(long aHigh, long aLow, long bHigh, long bLow) {
        int c = Long.compareUnsigned(aHigh, bHigh);
        return c != 0 ? c : Long.compareUnsigned(aLow, bLow);
    }

    /** The low {@code size} bits set (of 128), low half. */
    private static long lowMask(int size) {
        return size >= 64 ? -1L : (1L << size) - 1;
    }

    /** The low {@code size} bits set (of 128), high half. */
    private static long highMask(int size) {
        return size <= 64 ? 0 : size == 128 ? -1L : (1L << (size - 64)) - 1;
    }

    private static InetAddress address(long high, long low, int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            int shift = 8 * (bytes - 1 - i);
            long half = bytes == 16 && i < 8 ? high : low;
            b[i] = (byte) (half >>> (shift % 64));
        }
        return Addresses.fromBytes(b);
    }

    private static int indexOf(byte[] s, int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (s[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** The first {@code ..} in {@code s[from, to)}; -1 if none. */
    private static int indexOfDots(byte[] s, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (s[i] == '.' && s[i + 1] == '.') {
                return i;
            }
        }
        return -1;
    }

    /** {@code [CONTENT]} from {@code open} to {@code end}: one pair of brackets, 1..64 characters of a small set. */
    private static boolean validSuffix(byte[] s, int open, int end) {
        int close = end - 1;
        if (close - open - 1 < 1 || close - open - 1 > MAX_SUFFIX || s[close] != ']') {
            return false;
        }
        for (int i = open + 1; i < close; i++) {
            byte c = s[i];
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' || c == '_' || c == '.' || c == '+' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A decimal of 1 to 3 digits without leading zeros in {@code s[from, to)}; -1 otherwise. */
    private static int decimal(byte[] s, int from, int to) {
        int n = to - from;
        if (n == 0 || n > 3 || (n > 1 && s[from] == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            byte c = s[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static Refused syntax(String detail) {
        return new Refused(Refusal.SYNTAX, detail);
    }
}
