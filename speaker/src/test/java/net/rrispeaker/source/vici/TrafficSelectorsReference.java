package net.rrispeaker.source.vici;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.StrictAddressReference;

/**
 * The string-based selector parser the speaker used before it read selectors straight from wire
 * bytes (BigInteger ranges, the string address parser), kept unchanged as the reference that
 * {@link TrafficSelectorsDifferentialTest} checks the byte parser against: same prefixes, same
 * refusal reasons, same words.
 */
final class TrafficSelectorsReference {
    private static final int MAX_SUFFIX = 64;

    private TrafficSelectorsReference() {
    }

    static TrafficSelectors.Parsed parse(List<String> selectors) {
        List<Prefix> prefixes = new ArrayList<>();
        List<String> unroutable = new ArrayList<>();
        List<TrafficSelectors.Rejected> refused = new ArrayList<>();
        if (selectors != null) {
            for (String ts : selectors) {
                TrafficSelectors.Result r = parseOne(ts);
                if (r instanceof TrafficSelectors.Routable ok) {
                    for (Prefix x : ok.prefixes()) {
                        if (!prefixes.contains(x)) {
                            prefixes.add(x);
                        }
                    }
                } else if (r instanceof TrafficSelectors.Unroutable u) {
                    unroutable.add(u.text());
                } else if (r instanceof TrafficSelectors.Refused no) {
                    refused.add(new TrafficSelectors.Rejected(ts, no));
                }
            }
        }
        return new TrafficSelectors.Parsed(prefixes, unroutable, refused);
    }

    /** What one selector text is; never throws. */
    static TrafficSelectors.Result parseOne(String text) {
        if (text == null || text.isEmpty()) {
            return syntax("empty selector");
        }
        if (text.length() > TrafficSelectors.MAX_TEXT) {
            return syntax("selector of " + text.length() + " characters (expected: at most " + TrafficSelectors.MAX_TEXT + ")");
        }
        if (text.equals("dynamic")) {
            return new TrafficSelectors.Unroutable(text);
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
        byte[] bytes = StrictAddressReference.strictBytes(host);
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
                return new TrafficSelectors.Refused(TrafficSelectors.Refusal.PREFIX_LENGTH, "prefix length " + length + " (expected: 0.." + max + ")");
            }
        }
        Prefix p = new Prefix(Addresses.fromBytes(bytes), length);
        if (!java.util.Arrays.equals(p.network().getAddress(), bytes)) {
            return new TrafficSelectors.Refused(TrafficSelectors.Refusal.HOST_BITS, "host bits set (expected: " + p + ")");
        }
        TrafficSelectors.Refused embedded = embedded(p);
        return embedded != null ? embedded : new TrafficSelectors.Routable(List.of(p));
    }

    private static TrafficSelectors.Result range(String fromText, String toText) {
        byte[] from = StrictAddressReference.strictBytes(fromText);
        byte[] to = StrictAddressReference.strictBytes(toText);
        if (from == null || to == null) {
            return syntax("range end '" + (from == null ? fromText : toText) + "' (expected: an address)");
        }
        if (from.length != to.length) {
            return new TrafficSelectors.Refused(TrafficSelectors.Refusal.FAMILY_MISMATCH, "range from an IPv" + (from.length == 4 ? 4 : 6)
                    + " to an IPv" + (to.length == 4 ? 4 : 6) + " address");
        }
        BigInteger lo = new BigInteger(1, from);
        BigInteger hi = new BigInteger(1, to);
        if (lo.compareTo(hi) > 0) {
            return new TrafficSelectors.Refused(TrafficSelectors.Refusal.RANGE_ORDER, "range start above its end");
        }
        int bits = from.length * 8;
        List<Prefix> out = new ArrayList<>();
        while (lo.compareTo(hi) <= 0) {
            if (out.size() == TrafficSelectors.MAX_RANGE_PREFIXES) {
                return new TrafficSelectors.Refused(TrafficSelectors.Refusal.RANGE_TOO_WIDE, "range needs more than " + TrafficSelectors.MAX_RANGE_PREFIXES
                        + " prefixes (expected: at most " + TrafficSelectors.MAX_RANGE_PREFIXES + ")");
            }
            // the largest block aligned at lo that does not run past hi
            int size = lo.signum() == 0 ? bits : Math.min(bits, lo.getLowestSetBit());
            while (size > 0 && lo.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(hi) > 0) {
                size--;
            }
            Prefix p = new Prefix(Addresses.fromBytes(bytes(lo, from.length)), bits - size);
            TrafficSelectors.Refused embedded = embedded(p);
            if (embedded != null) {
                return new TrafficSelectors.Refused(embedded.reason(), "range covers " + p + ": " + embedded.detail());
            }
            out.add(p);
            lo = lo.add(BigInteger.ONE.shiftLeft(size));
        }
        return new TrafficSelectors.Routable(out);
    }

    private static TrafficSelectors.Refused embedded(Prefix p) {
        if (!p.embedsIpv4()) {
            return null;
        }
        if (Addresses.isIpv4Mapped(p.network())) {
            return new TrafficSelectors.Refused(TrafficSelectors.Refusal.IPV4_MAPPED, p + " lies in ::ffff:0:0/96 (an IPv4-mapped IPv6 network)");
        }
        return new TrafficSelectors.Refused(TrafficSelectors.Refusal.IPV4_COMPATIBLE, p + " lies in ::/96 (IPv4-compatible IPv6, deprecated; also :: and ::1)");
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

    private static TrafficSelectors.Refused syntax(String detail) {
        return new TrafficSelectors.Refused(TrafficSelectors.Refusal.SYNTAX, detail);
    }
}
