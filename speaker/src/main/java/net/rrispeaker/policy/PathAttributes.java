package net.rrispeaker.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.model.BgpPath;

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

    /**
     * Mutable copy that set clauses edit; only used inside one evaluation. Lists are copied on the
     * first edit, so a permit that leaves them alone allocates nothing for them.
     */
    static final class Builder {
        int origin;
        Long med;
        Long localPref;
        private final PathAttributes from;
        private List<Long> communities;
        private List<BgpPath.LargeCommunity> largeCommunities;
        private List<String> routeTargets;
        private List<Long> asPathPrepend;
        InetAddress nextHop;
        long tag;
        String metricType;

        private Builder(PathAttributes a) {
            from = a;
            origin = a.origin;
            med = a.med;
            localPref = a.localPref;
            nextHop = a.nextHop;
            tag = a.tag;
            metricType = a.metricType;
        }

        List<Long> communities() {
            if (communities == null) {
                communities = new ArrayList<>(from.communities);
            }
            return communities;
        }

        List<BgpPath.LargeCommunity> largeCommunities() {
            if (largeCommunities == null) {
                largeCommunities = new ArrayList<>(from.largeCommunities);
            }
            return largeCommunities;
        }

        List<String> routeTargets() {
            if (routeTargets == null) {
                routeTargets = new ArrayList<>(from.routeTargets);
            }
            return routeTargets;
        }

        List<Long> asPathPrepend() {
            if (asPathPrepend == null) {
                asPathPrepend = new ArrayList<>(from.asPathPrepend);
            }
            return asPathPrepend;
        }

        PathAttributes build() {
            return new PathAttributes(origin, med, localPref,
                    communities == null ? from.communities : communities,
                    largeCommunities == null ? from.largeCommunities : largeCommunities,
                    routeTargets == null ? from.routeTargets : routeTargets,
                    asPathPrepend == null ? from.asPathPrepend : asPathPrepend, nextHop, tag, metricType);
        }
    }
}
