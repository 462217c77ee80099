package net.rrispeaker.policy;

import java.net.Inet4Address;
import java.net.InetAddress;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;

/**
 * One route as the compiled clauses read it: the network address as two longs (IPv4 in the top
 * 32 bits of {@code hi}), the prefix length, and a small per-evaluation memo for prefix-list
 * results (a route-map often tests the same list in several entries). Built once per evaluation.
 */
final class RouteFacts {
    final Route route;
    final boolean v6;
    final long hi;
    final long lo;
    final int len;
    /**
     * Prefix-list results of this evaluation for route-maps with at most 64 list slots: bit s of
     * {@code known} says slot s was looked up, bit s of {@code permitted} holds the answer. Larger
     * maps use {@code memo} instead (0 unknown, 1 permit, 2 deny/no match). Bits avoid an array
     * allocation per evaluation.
     */
    private long known;
    private long permitted;
    private final byte[] memo;

    RouteFacts(Route route, int memoSlots) {
        this(route, route.prefix(), memoSlots);
    }

    /** Facts about a bare prefix (prefix-list tests outside a route-map); {@code route} is null. */
    RouteFacts(Prefix prefix) {
        this(null, prefix, 0);
    }

    private RouteFacts(Route route, Prefix prefix, int memoSlots) {
        this.route = route;
        InetAddress a = prefix.network();
        this.v6 = !(a instanceof Inet4Address);
        this.len = prefix.length();
        long h = 0;
        long l = 0;
        if (!v6) {
            // Inet4Address.hashCode() is its address as an int (OpenJDK since 1.0); it saves the
            // array getAddress() copies on every call. Covered by every prefix-list test.
            h = (long) a.hashCode() << 32;
        } else {
            byte[] b = a.getAddress();
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (b[i] & 0xFF);
                l = (l << 8) | (b[i + 8] & 0xFF);
            }
        }
        this.hi = h;
        this.lo = l;
        this.memo = memoSlots <= Long.SIZE ? null : new byte[memoSlots];
    }

    /** The memoised result of prefix-list slot {@code slot}: 0 unknown, 1 permit, 2 deny/no match. */
    byte memo(int slot) {
        if (memo != null) {
            return memo[slot];
        }
        long bit = 1L << slot;
        return (known & bit) == 0 ? 0 : (permitted & bit) != 0 ? (byte) 1 : (byte) 2;
    }

    /** Records the result of prefix-list slot {@code slot}. */
    void memo(int slot, boolean permits) {
        if (memo != null) {
            memo[slot] = permits ? (byte) 1 : (byte) 2;
            return;
        }
        long bit = 1L << slot;
        known |= bit;
        if (permits) {
            permitted |= bit;
        }
    }

    /** The contiguous netmask of {@code length} bits, high half. */
    static long maskHi(int length) {
        return length <= 0 ? 0L : length >= 64 ? -1L : -1L << (64 - length);
    }

    /** The contiguous netmask of {@code length} bits, low half (IPv6 only). */
    static long maskLo(int length) {
        return length <= 64 ? 0L : length >= 128 ? -1L : -1L << (128 - length);
    }

    /** Bit {@code i} (0 = most significant) of an address given as two longs. */
    static int bit(long hi, long lo, int i) {
        return (int) (i < 64 ? (hi >>> (63 - i)) & 1 : (lo >>> (127 - i)) & 1);
    }
}
