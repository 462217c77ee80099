package net.rrispeaker.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What a permitted route carries after redistribution: the BGP attributes plus the two values only
 * an IGP uses ({@code set tag}, {@code set metric-type}), kept for the FRR/IGP path.
 *
 * @param origin          ORIGIN 0 IGP, 1 EGP, 2 INCOMPLETE
 * @param med             MULTI_EXIT_DISC or {@code null}
 * @param localPref       LOCAL_PREF or {@code null}
 * @param communities     standard communities in order, no duplicates
 * @param largeCommunities large communities in order, no duplicates
 * @param routeTargets    route targets added to the VRF's export RTs
 * @param asPathPrepend   ASNs to prepend, left-most first
 * @param nextHop         BGP next hop, {@code null} = self
 * @param tag             route tag toward an IGP ({@code set tag}); the route's own tag by default
 * @param metricType      {@code type-1|type-2|internal|external} or {@code null}
 */
public record PathAttributes(int origin, Long med, Long localPref, List<Long> communities,
                             List<BgpPath.LargeCommunity> largeCommunities, List<String> routeTargets,
                             List<Long> asPathPrepend, InetAddress nextHop, long tag, String metricType) {

    public PathAttributes {
        communities = List.copyOf(communities);
        largeCommunities = List.copyOf(largeCommunities);
        routeTargets = List.copyOf(routeTargets);
        asPathPrepend = List.copyOf(asPathPrepend);
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable copy that set clauses edit; only used inside one evaluation. */
    static final class Builder {
        int origin;
        Long med;
        Long localPref;
        final List<Long> communities;
        final List<BgpPath.LargeCommunity> largeCommunities;
        final List<String> routeTargets;
        final List<Long> asPathPrepend;
        InetAddress nextHop;
        long tag;
        String metricType;

        private Builder(PathAttributes a) {
            origin = a.origin;
            med = a.med;
            localPref = a.localPref;
            communities = new ArrayList<>(a.communities);
            largeCommunities = new ArrayList<>(a.largeCommunities);
            routeTargets = new ArrayList<>(a.routeTargets);
            asPathPrepend = new ArrayList<>(a.asPathPrepend);
            nextHop = a.nextHop;
            tag = a.tag;
            metricType = a.metricType;
        }

        PathAttributes build() {
            return new PathAttributes(origin, med, localPref, communities, largeCommunities, routeTargets,
                    asPathPrepend, nextHop, tag, metricType);
        }
    }
}
