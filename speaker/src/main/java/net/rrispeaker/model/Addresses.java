package net.rrispeaker.model;

import java.net.InetAddress;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;

/** Literal IP address parsing and canonical formatting; never does a DNS lookup. */
public final class Addresses {
    private Addresses() {
    }

    /** Parses an IPv4 or IPv6 literal; throws {@link IllegalArgumentException} naming the text otherwise. */
    public static InetAddress parse(String text) {
        IPAddress a = new IPAddressString(text.trim()).getAddress();
        if (a == null || a.getNetworkPrefixLength() != null) {
            throw new IllegalArgumentException("invalid IP address '" + text + "'");
        }
        return a.toInetAddress();
    }

    /** True if {@code text} is an IPv4 or IPv6 literal. */
    public static boolean isLiteral(String text) {
        IPAddress a = new IPAddressString(text.trim()).getAddress();
        return a != null && a.getNetworkPrefixLength() == null;
    }

    /** Canonical text: dotted quad, or RFC 5952 compressed IPv6. */
    public static String format(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 ? new IPv4Address(b).toCanonicalString() : new IPv6Address(b).toCanonicalString();
    }
}
