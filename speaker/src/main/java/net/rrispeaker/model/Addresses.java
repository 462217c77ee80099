package net.rrispeaker.model;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
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

    /** The address bytes of strict literal text (see {@link #parseStrict}); null if it is not one. */
    public static byte[] strictBytes(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            byte[] v4 = new byte[4];
            return dottedQuad(text, v4, 0) ? v4 : null;
        }
        return ipv6(text);
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

    /** Writes the four octets of {@code text} into {@code out} at {@code at}; false if it is not a strict dotted quad. */
    private static boolean dottedQuad(String text, byte[] out, int at) {
        int octet = 0;
        int pos = 0;
        int n = text.length();
        while (octet < 4) {
            int start = pos;
            int value = 0;
            while (pos < n && pos - start < 4 && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                value = value * 10 + (text.charAt(pos) - '0');
                pos++;
            }
            int digits = pos - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return false;
            }
            out[at + octet] = (byte) value;
            octet++;
            if (octet < 4) {
                if (pos >= n || text.charAt(pos) != '.') {
                    return false;
                }
                pos++;
            }
        }
        return pos == n;
    }

    private static byte[] ipv6(String text) {
        byte[] out = new byte[16];
        int words = 8;
        String hex = text;
        if (text.indexOf('.') >= 0) {
            int lastColon = text.lastIndexOf(':');
            if (!dottedQuad(text.substring(lastColon + 1), out, 12)) {
                return null;
            }
            words = 6;
            hex = text.substring(0, lastColon + 1);
            if (!hex.endsWith("::")) {
                hex = hex.substring(0, hex.length() - 1);   // the ':' before the quad
                if (hex.isEmpty()) {
                    return null;
                }
            }
        }
        int doubleColon = hex.indexOf("::");
        if (doubleColon >= 0 && hex.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        int[] head = hexGroups(doubleColon >= 0 ? hex.substring(0, doubleColon) : hex);
        int[] tail = hexGroups(doubleColon >= 0 ? hex.substring(doubleColon + 2) : "");
        if (head == null || tail == null) {
            return null;
        }
        if (doubleColon < 0 ? head.length != words : head.length + tail.length > words - 1) {
            return null;
        }
        fill(out, 0, head);
        fill(out, (words - tail.length) * 2, tail);
        return out;
    }

    /** The groups of a colon-separated run of 1 to 4 hex digits each; empty text has none; null if malformed. */
    private static int[] hexGroups(String part) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] g = part.split(":", -1);
        int[] out = new int[g.length];
        for (int i = 0; i < g.length; i++) {
            String s = g[i];
            if (s.isEmpty() || s.length() > 4) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < s.length(); k++) {
                int d = hexDigit(s.charAt(k));
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            out[i] = v;
        }
        return out;
    }

    private static int hexDigit(char c) {
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

    private static void fill(byte[] out, int at, int[] groups) {
        for (int i = 0; i < groups.length; i++) {
            out[at + 2 * i] = (byte) (groups[i] >> 8);
            out[at + 2 * i + 1] = (byte) groups[i];
        }
    }
}
