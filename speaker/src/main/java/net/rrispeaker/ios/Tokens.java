package net.rrispeaker.ios;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;

/**
 * Number, address and keyword parsing shared by the parsers; failures are
 * {@link IllegalArgumentException}s whose message names what was read, the token and what is
 * allowed. Everything is checked by shape before it reaches {@code Long.parseLong} or the address
 * library, so no token, however long or strange, escapes as another exception or is silently read
 * as a different value (the library, for one, takes prefix lengths modulo 2^32).
 */
public final class Tokens {
    public static final long U32 = 0xFFFFFFFFL;
    /** Tokens longer than this are abbreviated in messages. */
    private static final int SHOWN = 40;
    /** Longest IPv6 literal text (eight groups with an embedded dotted quad). */
    private static final int MAX_ADDRESS_CHARS = 45;

    private Tokens() {
    }

    /**
     * Parses a decimal in {@code min..max} (ASCII digits only, no sign); the message names
     * {@code what}, the token and the range.
     */
    public static long number(String token, long min, long max, String what) {
        if (!isDigits(token)) {
            throw new IllegalArgumentException(what + " '" + shown(token) + "' (expected: " + min + "-" + max + ")");
        }
        long v = value(token);
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + shown(token) + " (expected: " + min + "-" + max + ")");
        }
        return v;
    }

    /** True if {@code t} is one or more ASCII digits. */
    public static boolean isDigits(String t) {
        if (t == null || t.isEmpty()) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The value of a string of ASCII digits, or {@link Long#MAX_VALUE} if it does not fit (any leading zeros). */
    public static long value(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.length() - i > 18 ? Long.MAX_VALUE : Long.parseLong(digits, i, digits.length(), 10);
    }

    /** The token as a message shows it: abbreviated past {@value #SHOWN} characters. */
    public static String shown(String token) {
        if (token == null) {
            return "";
        }
        return token.length() <= SHOWN ? token : token.substring(0, SHOWN - 8) + "... (" + token.length() + " characters)";
    }

    public static boolean is(String token, String keyword) {
        return token != null && token.equalsIgnoreCase(keyword);
    }

    public static String lower(String token) {
        return token.toLowerCase(Locale.ROOT);
    }

    /**
     * An IPv4 dotted quad ({@code 10.0.0.1}) or an IPv6 literal ({@code 2001:db8::1}, also with an
     * embedded dotted quad), or {@code null}. Not taken: inet_aton forms ({@code 10.1}, {@code 250}:
     * in IOS syntax a bare number is a distance or a tag), prefix lengths, zones, wildcards and ranges.
     */
    public static InetAddress address(String t) {
        if (t == null || t.isEmpty() || t.length() > MAX_ADDRESS_CHARS) {
            return null;
        }
        if (t.indexOf(':') < 0) {
            if (!isDottedQuad(t, true)) {
                return null;
            }
            String[] parts = t.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) Integer.parseInt(parts[i]);
            }
            try {
                return InetAddress.getByAddress(b); // no lookup: the bytes are the address
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        } else {
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                    return null;
                }
            }
        }
        try {
            return Addresses.parse(t);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * True for four dot-separated decimal octets 0..255; with {@code leadingZeros} false, an octet
     * of more than one digit may not start with 0 (Java's resolver refuses {@code 010.0.0.1} as
     * an address and would look it up as a host name).
     */
    public static boolean isDottedQuad(String t, boolean leadingZeros) {
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (!isDigits(p) || p.length() > 3 || Integer.parseInt(p) > 255
                    || (!leadingZeros && p.length() > 1 && p.charAt(0) == '0')) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code ADDRESS/LENGTH} with the length checked against the family ({@code 0..32} or
     * {@code 0..128}); host bits are cleared. {@code what} names the thing in messages (e.g. "prefix").
     */
    public static Prefix prefix(String t, String what) {
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(what + " '" + shown(t) + "' (expected: ADDRESS/LENGTH)");
        }
        InetAddress a = address(t.substring(0, slash));
        if (a == null) {
            throw new IllegalArgumentException(what + " '" + shown(t) + "': '" + shown(t.substring(0, slash))
                    + "' is not an IP address");
        }
        int max = a instanceof Inet4Address ? 32 : 128;
        String len = t.substring(slash + 1);
        if (!isDigits(len)) {
            throw new IllegalArgumentException(what + " length '" + shown(len) + "' in '" + shown(t)
                    + "' (expected: 0.." + max + ")");
        }
        long v = value(len);
        if (v > max) {
            throw new IllegalArgumentException(what + " length " + shown(len) + " in '" + shown(t)
                    + "' (expected: 0.." + max + ")");
        }
        return new Prefix(a, (int) v);
    }

    /** IOS {@code ADDRESS MASK} (IPv4, contiguous mask) as a prefix. */
    public static Prefix prefixFromMask(String address, String mask) {
        InetAddress a = address(address);
        if (!(a instanceof Inet4Address)) {
            throw new IllegalArgumentException("address '" + shown(address) + "' (expected: an IPv4 address)");
        }
        InetAddress m = address(mask);
        if (!(m instanceof Inet4Address)) {
            throw new IllegalArgumentException("mask '" + shown(mask) + "' (expected: a dotted IPv4 mask)");
        }
        return Prefix.fromMask(address, mask);
    }

    /**
     * A route distinguisher or route target as gobgpd's API takes it, in canonical text:
     * {@code ASN:NN} (ASN 0..4294967295; NN 0..4294967295 after a 2-byte ASN, else 0..65535),
     * {@code X.Y:NN} asdot (read as the 4-byte ASN X*65536+Y) or {@code A.B.C.D:NN} (NN 0..65535).
     */
    public static String routeTarget(String text, String what) {
        String expected = " (expected: ASN:NN or A.B.C.D:NN)";
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(what + " '" + shown(text) + "'" + expected);
        }
        String admin = text.substring(0, colon);
        String local = text.substring(colon + 1);
        if (!isDigits(local)) {
            throw new IllegalArgumentException(what + " '" + shown(text) + "'" + expected);
        }
        long nn = value(local);
        String[] dots = admin.split("\\.", -1);
        String adminText;
        boolean wide;
        if (dots.length == 4) {
            if (!isDottedQuad(admin, true)) {
                throw new IllegalArgumentException(what + " '" + shown(text) + "': '" + shown(admin)
                        + "' is not an IPv4 address" + expected);
            }
            adminText = Addresses.format(address(admin));
            wide = true;
        } else if (dots.length == 2 && isDigits(dots[0]) && isDigits(dots[1])) {
            long hi = value(dots[0]);
            long lo = value(dots[1]);
            if (hi > 65535 || lo > 65535) {
                throw new IllegalArgumentException(what + " '" + shown(text) + "': asdot ASN '" + shown(admin)
                        + "' (expected: 0.0 to 65535.65535)");
            }
            adminText = Long.toString(hi << 16 | lo);
            wide = true;
        } else if (isDigits(admin)) {
            long asn = value(admin);
            if (asn > U32) {
                throw new IllegalArgumentException(what + " '" + shown(text) + "': ASN " + shown(admin)
                        + " (expected: 0-" + U32 + ")");
            }
            adminText = Long.toString(asn);
            wide = asn > 65535;
        } else {
            throw new IllegalArgumentException(what + " '" + shown(text) + "'" + expected);
        }
        long max = wide ? 65535 : U32;
        if (nn > max) {
            throw new IllegalArgumentException(what + " '" + shown(text) + "': assigned number " + shown(local)
                    + " (expected: 0-" + max + (wide ? " after a 4-byte ASN or an IPv4 address)" : ")"));
        }
        return adminText + ":" + nn;
    }
}
