package net.rrispeaker.source.vici;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
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
 */
final class TrafficSelectors {
    /** Prefixes one range may expand to; a wider range is refused whole (it is not a subnet an operator would configure). */
    static final int MAX_RANGE_PREFIXES = 32;
    /** Longest selector text read: an IPv6 range with a port suffix is well under it. */
    static final int MAX_TEXT = 200;
    private static final int MAX_SUFFIX = 64;

    /** Why a selector was refused; {@link #tag} is the counter's {@code reason}. */
    enum Refusal {
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
    }

    /** What one selector text is. */
    sealed interface Result permits Routable, Unroutable, Refused {
    }

    /** Routes these prefixes (one for a subnet, the exact split for a range). */
    record Routable(List<Prefix> prefixes) implements Result {
        Routable {
            prefixes = List.copyOf(prefixes);
        }
    }

    /** Well-formed but names no network ({@code dynamic}). */
    record Unroutable(String text) implements Result {
    }

    /** Refused: {@code detail} says what was wrong, in words ("prefix length 33 (expected: 0..32)"). */
    record Refused(Refusal reason, String detail) implements Result {
    }

    /** A refused selector with its raw text. */
    record Rejected(String raw, Refused why) {
    }

    /** Prefixes in selector order (duplicates removed), the unroutable texts, and the refused ones. */
    record Parsed(List<Prefix> prefixes, List<String> unroutable, List<Rejected> refused) {
        Parsed {
            prefixes = List.copyOf(prefixes);
            unroutable = List.copyOf(unroutable);
            refused = List.copyOf(refused);
        }
    }

    private TrafficSelectors() {
    }

    static Parsed parse(List<String> selectors) {
        List<Prefix> prefixes = new ArrayList<>();
        List<String> unroutable = new ArrayList<>();
        List<Rejected> refused = new ArrayList<>();
        if (selectors != null) {
            for (String ts : selectors) {
                Result r = parseOne(ts);
                if (r instanceof Routable ok) {
                    for (Prefix x : ok.prefixes()) {
                        if (!prefixes.contains(x)) {
                            prefixes.add(x);
                        }
                    }
                } else if (r instanceof Unroutable u) {
                    unroutable.add(u.text());
                } else if (r instanceof Refused no) {
                    refused.add(new Rejected(ts, no));
                }
            }
        }
        return new Parsed(prefixes, unroutable, refused);
    }

    /** What one selector text is; never throws. */
    static Result parseOne(String text) {
        if (text == null || text.isEmpty()) {
            return syntax("empty selector");
        }
        if (text.length() > MAX_TEXT) {
            return syntax("selector of " + text.length() + " characters (expected: at most " + MAX_TEXT + ")");
        }
        if (text.equals("dynamic")) {
            return new Unroutable(text);
        }
        String address = text;
        int open = text.indexOf('[');
        if (open >= 0) {
            if (!validSuffix(text, open)) {
                return syntax("port suffix (expected: one [PROTO/PORT] at the end, letters, digits and /_.+- only)");
            }
            address = text.substring(0, open);
        } else if (text.indexOf(']') >= 0) {
            return syntax("']' without '['");
        }
        if (address.isEmpty()) {
            return syntax("no address before the port suffix");
        }
        int dots = address.indexOf("..");
        if (dots >= 0) {
            return range(address.substring(0, dots), address.substring(dots + 2));
        }
        int dash = address.indexOf('-');
        if (dash >= 0) {
            return range(address.substring(0, dash), address.substring(dash + 1));
        }
        int slash = address.indexOf('/');
        String host = slash >= 0 ? address.substring(0, slash) : address;
        byte[] bytes = Addresses.strictBytes(host);
        if (bytes == null) {
            return syntax("address '" + host + "' (expected: a dotted quad or IPv6 text)");
        }
        int max = bytes.length * 8;
        int length = max;
        if (slash >= 0) {
            String lengthText = address.substring(slash + 1);
            length = decimal(lengthText);
            if (length < 0) {
                return syntax("prefix length '" + lengthText + "' (expected: a decimal number without leading zeros)");
            }
            if (length > max) {
                return new Refused(Refusal.PREFIX_LENGTH, "prefix length " + length + " (expected: 0.." + max + ")");
            }
        }
        Prefix p = new Prefix(Addresses.fromBytes(bytes), length);
        if (!java.util.Arrays.equals(p.network().getAddress(), bytes)) {
            return new Refused(Refusal.HOST_BITS, "host bits set (expected: " + p + ")");
        }
        Refused embedded = embedded(p);
        return embedded != null ? embedded : new Routable(List.of(p));
    }

    private static Result range(String fromText, String toText) {
        byte[] from = Addresses.strictBytes(fromText);
        byte[] to = Addresses.strictBytes(toText);
        if (from == null || to == null) {
            return syntax("range end '" + (from == null ? fromText : toText) + "' (expected: an address)");
        }
        if (from.length != to.length) {
            return new Refused(Refusal.FAMILY_MISMATCH, "range from an IPv" + (from.length == 4 ? 4 : 6)
                    + " to an IPv" + (to.length == 4 ? 4 : 6) + " address");
        }
        BigInteger lo = new BigInteger(1, from);
        BigInteger hi = new BigInteger(1, to);
        if (lo.compareTo(hi) > 0) {
            return new Refused(Refusal.RANGE_ORDER, "range start above its end");
        }
        int bits = from.length * 8;
        List<Prefix> out = new ArrayList<>();
        while (lo.compareTo(hi) <= 0) {
            if (out.size() == MAX_RANGE_PREFIXES) {
                return new Refused(Refusal.RANGE_TOO_WIDE, "range needs more than " + MAX_RANGE_PREFIXES
                        + " prefixes (expected: at most " + MAX_RANGE_PREFIXES + ")");
            }
            // the largest block aligned at lo that does not run past hi
            int size = lo.signum() == 0 ? bits : Math.min(bits, lo.getLowestSetBit());
            while (size > 0 && lo.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(hi) > 0) {
                size--;
            }
            Prefix p = new Prefix(Addresses.fromBytes(bytes(lo, from.length)), bits - size);
            Refused embedded = embedded(p);
            if (embedded != null) {
                return new Refused(embedded.reason(), "range covers " + p + ": " + embedded.detail());
            }
            out.add(p);
            lo = lo.add(BigInteger.ONE.shiftLeft(size));
        }
        return new Routable(out);
    }

    private static Refused embedded(Prefix p) {
        if (!p.embedsIpv4()) {
            return null;
        }
        if (Addresses.isIpv4Mapped(p.network())) {
            return new Refused(Refusal.IPV4_MAPPED, p + " lies in ::ffff:0:0/96 (an IPv4-mapped IPv6 network)");
        }
        return new Refused(Refusal.IPV4_COMPATIBLE, p + " lies in ::/96 (IPv4-compatible IPv6, deprecated; also :: and ::1)");
    }

    /** {@code [CONTENT]} from {@code open} to the end: one pair of brackets, 1..64 characters of a small set. */
    private static boolean validSuffix(String text, int open) {
        int close = text.length() - 1;
        if (close - open - 1 < 1 || close - open - 1 > MAX_SUFFIX || text.charAt(close) != ']') {
            return false;
        }
        for (int i = open + 1; i < close; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' || c == '_' || c == '.' || c == '+' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A decimal of 1 to 3 digits without leading zeros; -1 otherwise. */
    private static int decimal(String s) {
        if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static byte[] bytes(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    private static Refused syntax(String detail) {
        return new Refused(Refusal.SYNTAX, detail);
    }
}
