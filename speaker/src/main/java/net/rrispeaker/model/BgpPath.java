package net.rrispeaker.model;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A BGP path the speaker wants announced: the result of redistributing one route through a
 * route-map. Pure data; the GoBGP sink turns it into API messages.
 *
 * @param vrf        VRF name, {@code ""} for the global table
 * @param prefix     the NLRI
 * @param nextHop    next hop, or {@code null} for "self" (gobgpd's own address toward each peer)
 * @param origin     ORIGIN: 0 IGP, 1 EGP, 2 INCOMPLETE (IOS default for redistributed statics)
 * @param med        MULTI_EXIT_DISC, or {@code null} for none
 * @param localPref  LOCAL_PREF, or {@code null} for none
 * @param communities standard communities, each {@code high16 << 16 | low16}, in order, no duplicates
 * @param largeCommunities large communities (RFC 8092)
 * @param routeTargets extended-community route targets, {@code ASN:NN} or {@code A.B.C.D:NN}
 * @param asPathPrepend ASNs to put in the AS_PATH, left-most first
 */
public record BgpPath(String vrf, Prefix prefix, InetAddress nextHop, int origin, Long med, Long localPref,
                      List<Long> communities, List<LargeCommunity> largeCommunities, List<String> routeTargets,
                      List<Long> asPathPrepend) {

    public static final int ORIGIN_IGP = 0;
    public static final int ORIGIN_EGP = 1;
    public static final int ORIGIN_INCOMPLETE = 2;

    public BgpPath {
        Objects.requireNonNull(vrf, "vrf");
        Objects.requireNonNull(prefix, "prefix");
        if (origin < 0 || origin > 2) {
            throw new IllegalArgumentException("origin: " + origin + " (expected: 0..2)");
        }
        communities = List.copyOf(communities);
        largeCommunities = List.copyOf(largeCommunities);
        routeTargets = List.copyOf(routeTargets);
        asPathPrepend = List.copyOf(asPathPrepend);
    }

    /** A path's identity toward gobgpd: one path per (VRF, prefix) from this speaker. */
    public record Key(String vrf, Prefix prefix) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = vrf.compareTo(o.vrf);
            return c != 0 ? c : prefix.compareTo(o.prefix);
        }

        @Override
        public String toString() {
            return vrf.isEmpty() ? prefix.toString() : vrf + ":" + prefix;
        }
    }

    public Key key() {
        return new Key(vrf, prefix);
    }

    /** A large community {@code global:local1:local2}, each 0..4294967295. */
    public record LargeCommunity(long global, long local1, long local2) {
        @Override
        public String toString() {
            return global + ":" + local1 + ":" + local2;
        }
    }

    /** Formats a standard community value as {@code AA:NN} or its well-known name. */
    public static String communityText(long c) {
        if (c == 0xFFFFFF01L) {
            return "no-export";
        }
        if (c == 0xFFFFFF02L) {
            return "no-advertise";
        }
        if (c == 0xFFFFFF03L) {
            return "local-AS";
        }
        return (c >>> 16) + ":" + (c & 0xFFFF);
    }
}
