package net.rrispeaker.policy;

import java.util.List;

/**
 * An {@link AccessList} compiled for matching routes (route-map {@code match ip address ACL}) with
 * IOS redistribution semantics: a standard entry tests the route's network address against
 * address/wildcard; an extended entry's source tests the network address and its destination the
 * route's subnet mask (so {@code permit ip 10.0.0.0 0.255.255.255 255.255.255.0 0.0.0.0} means
 * "the /24s inside 10/8"); the protocol and ports of an extended entry are ignored. An IPv6 entry
 * matches when its source prefix contains the route. First matching entry decides; implicit deny.
 * Addresses are two longs, so a test is a few XOR/AND operations and allocates nothing.
 */
final class AclMatcher {
    private final AccessList list;
    private final boolean ipv6;
    private final boolean[] permit;
    private final long[] srcHi;
    private final long[] srcLo;
    private final long[] srcCareHi;
    private final long[] srcCareLo;
    private final int[] srcLen;
    private final long[] dstHi;
    private final long[] dstCareHi;
    private final boolean[] sameFamily;

    AclMatcher(AccessList list) {
        this.list = list;
        this.ipv6 = list.kind() == AccessList.Kind.IPV6;
        List<AclEntry> es = list.entries();
        int n = es.size();
        permit = new boolean[n];
        srcHi = new long[n];
        srcLo = new long[n];
        srcCareHi = new long[n];
        srcCareLo = new long[n];
        srcLen = new int[n];
        dstHi = new long[n];
        dstCareHi = new long[n];
        sameFamily = new boolean[n];
        for (int i = 0; i < n; i++) {
            AclEntry e = es.get(i);
            permit[i] = e.permit();
            sameFamily[i] = e.source().isIpv4() != ipv6;
            long[] a = longs(e.source().address().getAddress());
            long[] w = longs(e.source().wildcard());
            srcHi[i] = a[0];
            srcLo[i] = a[1];
            srcCareHi[i] = ~w[0];
            srcCareLo[i] = ipv6 ? ~w[1] : 0L;
            srcLen[i] = ipv6 ? Long.bitCount(~w[0]) + Long.bitCount(~w[1]) : 0;
            if (list.kind() == AccessList.Kind.EXTENDED && e.destination() != null) {
                dstHi[i] = longs(e.destination().address().getAddress())[0];
                dstCareHi[i] = ~longs(e.destination().wildcard())[0];
            }
        }
    }

    AccessList list() {
        return list;
    }

    boolean isIpv6() {
        return ipv6;
    }

    boolean permits(RouteFacts r) {
        if (r.v6 != ipv6) {
            return false;
        }
        long mask = RouteFacts.maskHi(r.len);
        for (int i = 0; i < permit.length; i++) {
            if (!sameFamily[i]) {
                continue;
            }
            boolean hit;
            if (ipv6) {
                hit = r.len >= srcLen[i] && ((r.hi ^ srcHi[i]) & srcCareHi[i]) == 0
                        && ((r.lo ^ srcLo[i]) & srcCareLo[i]) == 0;
            } else {
                hit = ((r.hi ^ srcHi[i]) & srcCareHi[i]) == 0;
                if (hit && list.kind() == AccessList.Kind.EXTENDED) {
                    hit = ((mask ^ dstHi[i]) & dstCareHi[i]) == 0;
                }
            }
            if (hit) {
                return permit[i];
            }
        }
        return false;
    }

    /** An address or wildcard as two longs; IPv4 in the top 32 bits of the first (low 32 bits cared about as 0). */
    private static long[] longs(byte[] b) {
        long h = 0;
        long l = 0;
        if (b.length == 16) {
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (b[i] & 0xFF);
                l = (l << 8) | (b[i + 8] & 0xFF);
            }
        } else {
            for (int i = 0; i < 4; i++) {
                h = (h << 8) | (b[i] & 0xFF);
            }
            // the low 32 bits are "don't care" for a wildcard, zero for an address
            h = h << 32;
        }
        return new long[] {h, l};
    }
}
