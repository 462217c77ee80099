package net.rrispeaker.policy;

import net.rrispeaker.engine.Prefix;
import net.rrispeaker.engine.Route;

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
    /** Per prefix-list slot of the route-map being evaluated: 0 unknown, 1 permit, 2 deny/no match. */
    final byte[] memo;

    RouteFacts(Route route, int memoSlots) {
        this(route, route.prefix(), memoSlots);
    }

    /** Facts about a bare prefix (prefix-list tests outside a route-map); {@code route} is null. */
    RouteFacts(Prefix prefix) {
        this(null, prefix, 0);
    }

    private RouteFacts(Route route, Prefix prefix, int memoSlots) {
        this.route = route;
        byte[] b = prefix.network().getAddress();
        this.v6 = b.length == 16;
        this.len = prefix.length();
        long h = 0;
        long l = 0;
        if (v6) {
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (b[i] & 0xFF);
                l = (l << 8) | (b[i + 8] & 0xFF);
            }
        } else {
            for (int i = 0; i < 4; i++) {
                h = (h << 8) | (b[i] & 0xFF);
            }
            h <<= 32;
        }
        this.hi = h;
        this.lo = l;
        this.memo = memoSlots == 0 ? NO_MEMO : new byte[memoSlots];
    }

    private static final byte[] NO_MEMO = new byte[0];

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
