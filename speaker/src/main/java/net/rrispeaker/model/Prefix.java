package net.rrispeaker.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/**
 * An IPv4 or IPv6 network prefix, host bits cleared. Value type: equal when address family,
 * network bits and length are equal. Parsing configuration text and formatting go through the
 * IPAddress library; the VICI source builds prefixes from wire bytes itself.
 *
 * <p>The family is the family of the address given and never changes: an IPv6 network inside
 * {@code ::ffff:0:0/96} stays IPv6 (Java's {@code InetAddress.getByAddress} would turn its bytes
 * into an IPv4 address, leaving a "0.0.0.0/96" that no IPv4 table can hold). Whether such a
 * prefix is acceptable is the caller's decision; see {@link #embedsIpv4()}.
 */
public record Prefix(InetAddress network, int length) implements Comparable<Prefix> {

    public Prefix {
        if (network == null) {
            throw new IllegalArgumentException("prefix network must not be null");
        }
        int max = network instanceof Inet4Address ? 32 : 128;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length: " + length + " (expected: 0.." + max + ")");
        }
        network = mask(network, length);
    }

    /** Parses {@code 10.1.0.0/16}, {@code 2001:db8::/48} or a bare address (host prefix). */
    public static Prefix parse(String text) {
        if (text == null || text.isBlank()) {
            // the address library reads blank text as the loopback address
            throw new IllegalArgumentException("invalid prefix '" + text + "' (expected: ADDRESS/LENGTH or an address)");
        }
        IPAddressString s = new IPAddressString(text.trim());
        IPAddress a;
        try {
            a = s.toAddress();
        } catch (AddressStringException e) {
            throw new IllegalArgumentException("invalid prefix '" + text + "': " + e.getMessage());
        }
        if (a == null || (a.getNetworkPrefixLength() == null && a.isMultiple())) {
            throw new IllegalArgumentException("invalid prefix '" + text + "'");
        }
        Integer len = a.getNetworkPrefixLength();
        int l = len == null ? a.getBitCount() : len;
        return new Prefix(a.getLower().withoutPrefixLength().toInetAddress(), l);
    }

    /** A host route for one address: /32 or /128. */
    public static Prefix host(InetAddress address) {
        return new Prefix(address, address instanceof Inet4Address ? 32 : 128);
    }

    /** IOS-style address + dotted mask ({@code 10.0.0.0 255.255.0.0}); IPv4 only. */
    public static Prefix fromMask(String address, String mask) {
        InetAddress a = Addresses.parse(address);
        InetAddress m = Addresses.parse(mask);
        if (!(a instanceof Inet4Address) || !(m instanceof Inet4Address)) {
            throw new IllegalArgumentException("address/mask '" + address + " " + mask + "' (expected: IPv4)");
        }
        int bits = maskLength(m.getAddress());
        if (bits < 0) {
            throw new IllegalArgumentException("mask '" + mask + "' is not contiguous");
        }
        return new Prefix(a, bits);
    }

    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    public boolean isIpv6() {
        return network instanceof Inet6Address;
    }

    public int maxLength() {
        return isIpv4() ? 32 : 128;
    }

    /**
     * True for an IPv6 prefix of length 96 or more inside {@code ::ffff:0:0/96} (IPv4-mapped) or
     * {@code ::/96} (IPv4-compatible, deprecated): an IPv4 network written as IPv6, which routing
     * daemons may file in the wrong table. A shorter prefix such as {@code ::/0} is an ordinary
     * IPv6 network.
     */
    public boolean embedsIpv4() {
        return isIpv6() && length >= 96 && (Addresses.isIpv4Mapped(network) || Addresses.isIpv4Compatible(network));
    }

    /** True if {@code other} lies inside this prefix (same family, at least as long). */
    public boolean contains(Prefix other) {
        if (isIpv4() != other.isIpv4() || other.length < length) {
            return false;
        }
        return mask(other.network, length).equals(network);
    }

    public boolean contains(InetAddress address) {
        return contains(host(address));
    }

    /** Network address text, e.g. {@code 10.1.0.0} or {@code 2001:db8::}. */
    public String address() {
        return Addresses.format(network);
    }

    /** Dotted mask for IPv4 ({@code 255.255.0.0}); {@code /len} for IPv6. */
    public String maskText() {
        if (!isIpv4()) {
            return "/" + length;
        }
        long m = length == 0 ? 0 : (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
        return ((m >> 24) & 255) + "." + ((m >> 16) & 255) + "." + ((m >> 8) & 255) + "." + (m & 255);
    }

    @Override
    public String toString() {
        return address() + "/" + length;
    }

    @Override
    public int compareTo(Prefix o) {
        if (isIpv4() != o.isIpv4()) {
            return isIpv4() ? -1 : 1;
        }
        int c = Arrays.compareUnsigned(network.getAddress(), o.network.getAddress());
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    /**
     * The address with the bits after {@code len} cleared: the same object when they are clear
     * already (a selector or a parsed prefix usually names its network exactly), so that building a
     * prefix costs no copy of the address.
     */
    private static InetAddress mask(InetAddress a, int len) {
        if (a instanceof Inet4Address v4) {
            int bits = Addresses.ipv4Bits(v4);
            int masked = len == 0 ? 0 : bits & (-1 << (32 - len));
            return masked == bits ? a : Addresses.ipv4(masked);
        }
        byte[] b = a.getAddress();
        boolean changed = false;
        for (int i = len / 8; i < b.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, len - i * 8));
            byte m = (byte) (b[i] & (0xFF << (8 - bitsHere)));
            changed |= m != b[i];
            b[i] = m;
        }
        Inet6Address v6 = (Inet6Address) a;
        boolean scoped = v6.getScopeId() != 0 || v6.getScopedInterface() != null;
        return changed || scoped ? Addresses.fromBytes(b) : a;
    }

    private static int maskLength(byte[] m) {
        int bits = 0;
        boolean zeroSeen = false;
        for (byte x : m) {
            for (int i = 7; i >= 0; i--) {
                boolean one = ((x >> i) & 1) == 1;
                if (one && zeroSeen) {
                    return -1;
                }
                if (one) {
                    bits++;
                } else {
                    zeroSeen = true;
                }
            }
        }
        return bits;
    }
}
