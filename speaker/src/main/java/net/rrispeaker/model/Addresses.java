package net.rrispeaker.model;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;

/** Literal IP address parsing and canonical formatting; never does a DNS lookup. */
public final class Addresses {
    private Addresses() {
    }

    /**
     * Parses an IPv4 or IPv6 literal; throws {@link IllegalArgumentException} naming the text
     * otherwise. Blank text (which the address library would read as the loopback address),
     * prefixes, wildcards and ranges are refused. For configuration text; input from a daemon or
     * a peer goes through {@link #parseStrict}.
     */
    public static InetAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("invalid IP address '" + text + "' (expected: an IPv4 or IPv6 literal)");
        }
        IPAddress a = new IPAddressString(text.trim()).getAddress();
        if (a == null || a.getNetworkPrefixLength() != null || a.isMultiple()) {
            throw new IllegalArgumentException("invalid IP address '" + text + "'");
        }
        return a.toInetAddress();
    }

    /** True if {@code text} is an IPv4 or IPv6 literal. */
    public static boolean isLiteral(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        IPAddress a = new IPAddressString(text.trim()).getAddress();
        return a != null && a.getNetworkPrefixLength() == null && !a.isMultiple();
    }

    /**
     * Parses exactly the address forms {@code inet_ntop} and strongSwan print, nothing looser: a
     * dotted quad of four decimal octets without leading zeros, or RFC 4291 IPv6 text (1 to 4 hex
     * digits per group, at most one {@code ::}, an optional dotted-quad tail). No surrounding
     * space, zone ({@code %eth0}), brackets, prefix, wildcard, or the inet_aton short forms
     * ({@code 10.1}, {@code 0x0a.0.0.1}, {@code 010.0.0.1}) that other parsers accept. Sixteen bytes
     * always give an {@link Inet6Address}, also for an IPv4-mapped address (Java's
     * {@code InetAddress.getByAddress} would silently turn that into an IPv4 address).
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static InetAddress parseStrict(String text) {
        byte[] b = strictBytes(text);
        if (b == null) {
            throw new IllegalArgumentException("invalid IP address '" + text + "' (expected: a dotted quad or IPv6 text)");
        }
        return fromBytes(b);
    }

    /** Longest strict literal text: a full IPv6 address with a dotted-quad tail. */
    private static final int MAX_STRICT_TEXT = 45;

    /** The address bytes of strict literal text (see {@link #parseStrict}); null if it is not one. */
    public static byte[] strictBytes(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_STRICT_TEXT) {
            return null;
        }
        byte[] ascii = new byte[text.length()];
        for (int i = 0; i < ascii.length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return null;   // strict text is ASCII
            }
            ascii[i] = (byte) c;
        }
        byte[] out = new byte[16];
        int n = strictBytes(ascii, 0, ascii.length, out);
        return n == 0 ? null : n == 4 ? Arrays.copyOf(out, 4) : out;
    }

    /**
     * The same strict forms as {@link #parseStrict}, read from the bytes {@code text[from, to)} (text
     * as it arrives on the wire, e.g. from VICI) without building a string: writes the address into
     * {@code out} (at least 16 bytes) and returns how many bytes it has, 4 or 16; 0 if the text is
     * not a strict literal (what {@code out} then holds is undefined).
     */
    public static int strictBytes(byte[] text, int from, int to, byte[] out) {
        int n = to - from;
        if (n <= 0 || n > MAX_STRICT_TEXT) {
            return 0;
        }
        for (int i = from; i < to; i++) {
            if (text[i] == ':') {
                return ipv6(text, from, to, out) ? 16 : 0;
            }
        }
        return dottedQuad(text, from, to, out, 0) ? 4 : 0;
    }

    /** An address of the family its length says: 4 bytes IPv4, 16 bytes IPv6 (never unmapped to IPv4). */
    public static InetAddress fromBytes(byte[] b) {
        try {
            if (b.length == 16) {
                return Inet6Address.getByAddress(null, b, -1);
            }
            if (b.length == 4) {
                return InetAddress.getByAddress(b);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException("address of " + b.length + " bytes (expected: 4 or 16)");
    }

    /** True while {@code Inet4Address.hashCode()} is the address itself (checked once, see {@link #ipv4Bits}). */
    private static final boolean HASH_IS_ADDRESS = fromBytes(new byte[] {(byte) 192, 0, 2, 1}).hashCode() == 0xC0000201;

    /**
     * The 32 bits of an IPv4 address, without the copy {@code getAddress()} makes: OpenJDK's
     * {@code Inet4Address.hashCode()} is the address (checked at class load; otherwise the copy).
     */
    public static int ipv4Bits(java.net.Inet4Address a) {
        if (HASH_IS_ADDRESS) {
            return a.hashCode();
        }
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    /** The IPv4 address of these 32 bits. */
    public static InetAddress ipv4(int bits) {
        return fromBytes(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
    }

    /** True for an IPv6 address inside {@code ::ffff:0:0/96} (IPv4-mapped). */
    public static boolean isIpv4Mapped(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /**
     * True for an IPv6 address inside {@code ::/96}, the deprecated IPv4-compatible block (RFC 4291
     * 2.5.5.1); this includes {@code ::} and {@code ::1}.
     */
    public static boolean isIpv4Compatible(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Canonical text: dotted quad, or RFC 5952 compressed IPv6. */
    public static String format(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 ? new IPv4Address(b).toCanonicalString() : new IPv6Address(b).toCanonicalString();
    }

    /**
     * Writes the four octets of {@code text[from, to)} into {@code out} at {@code at}; false if it is
     * not a strict dotted quad (1 to 3 decimal digits per octet, at most 255, no leading zero).
     */
    private static boolean dottedQuad(byte[] text, int from, int to, byte[] out, int at) {
        int pos = from;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (pos >= to || text[pos] != '.') {
                    return false;
                }
                pos++;
            }
            int start = pos;
            int value = 0;
            while (pos < to && pos - start < 4 && text[pos] >= '0' && text[pos] <= '9') {
                value = value * 10 + (text[pos] - '0');
                pos++;
            }
            int digits = pos - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text[start] == '0')) {
                return false;
            }
            out[at + octet] = (byte) value;
        }
        return pos == to;
    }

    /**
     * RFC 4291 text in {@code text[from, to)} into {@code out[0..16)}, in one pass: groups of 1 to 4
     * hex digits separated by single colons, at most one {@code ::} standing for one or more zero
     * groups, and optionally a dotted quad as the last 32 bits.
     */
    private static boolean ipv6(byte[] text, int from, int to, byte[] out) {
        int pos = from;
        int words = 0;    // 16-bit groups written to out so far
        int gap = -1;     // the group index where "::" stands, if any
        if (text[pos] == ':') {
            if (to - pos < 2 || text[pos + 1] != ':') {
                return false;   // a single leading colon
            }
            gap = 0;
            pos += 2;
        }
        while (pos < to) {
            int start = pos;
            int value = 0;
            while (pos < to && pos - start <= 4 && hexDigit(text[pos]) >= 0) {
                value = value * 16 + hexDigit(text[pos]);
                pos++;
            }
            if (pos < to && text[pos] == '.') {
                // a dotted-quad tail: the rest of the text is the last two groups
                if (words > 6 || !dottedQuad(text, start, to, out, 2 * words)) {
                    return false;
                }
                words += 2;
                break;
            }
            int digits = pos - start;
            if (digits == 0 || digits > 4 || words == 8) {
                return false;
            }
            out[2 * words] = (byte) (value >> 8);
            out[2 * words + 1] = (byte) value;
            words++;
            if (pos == to) {
                break;
            }
            if (text[pos] != ':') {
                return false;
            }
            pos++;
            if (pos < to && text[pos] == ':') {
                if (gap >= 0) {
                    return false;   // a second "::"
                }
                gap = words;
                pos++;
            } else if (pos == to) {
                return false;       // a single trailing colon
            }
        }
        if (gap < 0) {
            return words == 8;
        }
        if (words > 7) {
            return false;           // "::" must stand for at least one group
        }
        int tail = words - gap;     // groups after the "::" move to the end
        System.arraycopy(out, 2 * gap, out, 16 - 2 * tail, 2 * tail);
        Arrays.fill(out, 2 * gap, 16 - 2 * tail, (byte) 0);
        return true;
    }

    private static int hexDigit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
