package net.rrispeaker.sink.gobgp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import net.rrispeaker.model.BgpPath;

/**
 * The attributes of one path in a normalised form, so that a path read back from gobgpd compares
 * equal to the path we meant to announce: communities, large communities and route targets as
 * sorted sets, the "self" next hop as the unspecified address ({@code 0.0.0.0} / {@code ::}),
 * every address in canonical text.
 *
 * @param nextHop canonical next hop text
 * @param med MULTI_EXIT_DISC or {@code null}
 * @param localPref LOCAL_PREF or {@code null}
 * @param communities sorted distinct standard communities
 * @param largeCommunities sorted distinct large communities ({@code g:l1:l2})
 * @param routeTargets sorted distinct route targets in canonical text
 * @param asPath AS_PATH numbers in order (all segments flattened)
 */
record PathAttributes(int origin, String nextHop, Long med, Long localPref, List<Long> communities,
                      List<String> largeCommunities, List<String> routeTargets, List<Long> asPath) {

    static final String SELF_V4 = "0.0.0.0";
    static final String SELF_V6 = "::";

    PathAttributes {
        Objects.requireNonNull(nextHop, "nextHop");
        communities = sortedDistinct(communities);
        largeCommunities = sortedDistinct(largeCommunities);
        routeTargets = sortedDistinct(routeTargets);
        asPath = List.copyOf(asPath);
    }

    /** Sorted, no duplicates; lists of 0 or 1 element (nearly every RRI path) skip the TreeSet. */
    private static <T extends Comparable<T>> List<T> sortedDistinct(List<T> values) {
        return values.size() <= 1 ? List.copyOf(values) : List.copyOf(new TreeSet<>(values));
    }

    /**
     * What gobgpd will hold for {@code path}: for a VRF path it adds the VRF's export route targets
     * to the path's own (gobgpd appends them on AddPath).
     */
    static PathAttributes of(BgpPath path, List<String> vrfExportTargets) {
        String nh = path.nextHop() != null ? net.rrispeaker.model.Addresses.format(path.nextHop())
                : path.prefix().isIpv4() ? SELF_V4 : SELF_V6;
        List<String> rts = new ArrayList<>(path.routeTargets().size());
        path.routeTargets().forEach(rt -> rts.add(ExtCommunities.canonical(rt)));
        if (!path.vrf().isEmpty()) {
            vrfExportTargets.forEach(rt -> rts.add(ExtCommunities.canonical(rt)));
        }
        List<String> large = path.largeCommunities().isEmpty() ? List.of()
                : path.largeCommunities().stream().map(BgpPath.LargeCommunity::toString).toList();
        return new PathAttributes(path.origin(), nh, path.med(), path.localPref(), path.communities(), large,
                rts, path.asPathPrepend());
    }
}
