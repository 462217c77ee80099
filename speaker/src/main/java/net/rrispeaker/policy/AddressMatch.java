package net.rrispeaker.policy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import net.rrispeaker.model.Prefix;

/**
 * One address operand of an access-list entry: an address and a wildcard (1-bits = don't care),
 * as IOS writes {@code 10.0.0.0 0.0.255.255}, {@code host A} ({@code A 0.0.0.0}) or {@code any}.
 * IPv6 entries are written as prefixes and stored with the equivalent contiguous wildcard.
 * A value X matches iff {@code (X & ~W) == (A & ~W)}; non-contiguous wildcards are legal.
 */
public record AddressMatch(InetAddress address, byte[] wildcard) {

    public AddressMatch {
        if (address.getAddress().length != wildcard.length) {
            throw new IllegalArgumentException("address and wildcard families differ");
        }
        wildcard = wildcard.clone();
    }

    public static AddressMatch any(boolean ipv6) {
        byte[] w = new byte[ipv6 ? 16 : 4];
        Arrays.fill(w, (byte) 0xFF);
        return new AddressMatch(ipv6 ? zero(16) : zero(4), w);
    }

    public static AddressMatch host(InetAddress a) {
        return new AddressMatch(a, new byte[a.getAddress().length]);
    }

    public static AddressMatch prefix(Prefix p) {
        byte[] w = new byte[p.isIpv4() ? 4 : 16];
        for (int bit = p.length(); bit < w.length * 8; bit++) {
            w[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return new AddressMatch(p.network(), w);
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    public boolean isAny() {
        for (byte b : wildcard) {
            if (b != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** True if the wildcard is contiguous (0...01...1), i.e. the operand is a prefix. */
    public boolean isPrefix() {
        return prefixLength() >= 0;
    }

    /** The operand as a prefix, for contiguous wildcards; throws otherwise. */
    public Prefix toPrefix() {
        int len = prefixLength();
        if (len < 0) {
            throw new IllegalStateException("wildcard is not contiguous");
        }
        return new Prefix(address, len);
    }

    public boolean matches(InetAddress x) {
        byte[] a = address.getAddress();
        byte[] v = x.getAddress();
        if (v.length != a.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (((v[i] ^ a[i]) & ~wildcard[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    private int prefixLength() {
        int len = 0;
        boolean ones = false;
        for (byte b : wildcard) {
            for (int i = 7; i >= 0; i--) {
                boolean one = ((b >> i) & 1) == 1;
                if (!one && ones) {
                    return -1;
                }
                if (one) {
                    ones = true;
                } else {
                    len++;
                }
            }
        }
        return len;
    }

    private static InetAddress zero(int n) {
        try {
            return InetAddress.getByAddress(new byte[n]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressMatch m && address.equals(m.address) && Arrays.equals(wildcard, m.wildcard);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + Arrays.hashCode(wildcard);
    }

    @Override
    public String toString() {
        if (isAny()) {
            return "any";
        }
        if (!isIpv4() && isPrefix()) {
            return toPrefix().toString();
        }
        boolean host = true;
        for (byte b : wildcard) {
            host &= b == 0;
        }
        String a = net.rrispeaker.model.Addresses.format(address);
        if (host) {
            return "host " + a;
        }
        try {
            return a + " " + net.rrispeaker.model.Addresses.format(InetAddress.getByAddress(wildcard));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
