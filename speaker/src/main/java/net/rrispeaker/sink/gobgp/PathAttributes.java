package net.rrispeaker.sink.gobgp;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.rrispeaker.policy.BgpPath;

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
        communities = List.copyOf(new TreeSet<>(communities));
        largeCommunities = List.copyOf(new TreeSet<>(largeCommunities));
        routeTargets = List.copyOf(new TreeSet<>(routeTargets));
        asPath = List.copyOf(asPath);
    }

    /**
     * What gobgpd will hold for {@code path}: for a VRF path it adds the VRF's export route targets
     * to the path's own (gobgpd appends them on AddPath).
     */
    static PathAttributes of(BgpPath path, List<String> vrfExportTargets) {
        String nh = path.nextHop() != null ? net.rrispeaker.engine.Addresses.format(path.nextHop())
                : path.prefix().isIpv4() ? SELF_V4 : SELF_V6;
        TreeSet<String> rts = path.routeTargets().stream().map(ExtCommunities::canonical)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!path.vrf().isEmpty()) {
            vrfExportTargets.stream().map(ExtCommunities::canonical).forEach(rts::add);
        }
        return new PathAttributes(path.origin(), nh, path.med(), path.localPref(), path.communities(),
                path.largeCommunities().stream().map(BgpPath.LargeCommunity::toString).toList(),
                List.copyOf(rts), path.asPathPrepend());
    }
}
