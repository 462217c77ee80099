package net.rrispeaker.paths;

import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.model.BgpPath;

/**
 * What redundancy allows for a route: announce it as redistributed ({@link #ACTIVE}: no group, or a
 * group whose box is active), not at all ({@link #WITHDRAW}: standby), or with worse attributes
 * (standby announce: the upstream has this box's path ready and fails over on the active box's
 * withdraw alone).
 *
 * @param active    the route's group is active (or it has none)
 * @param announce  announce a path at all
 * @param localPref LOCAL_PREF replacing the route-map's, or {@code null}
 * @param med       MULTI_EXIT_DISC replacing the route-map's, or {@code null}
 * @param prepend   ASNs put in front of the AS_PATH (before the route-map's prepends)
 */
public record Standing(boolean active, boolean announce, Long localPref, Long med, List<Long> prepend) {
    public static final Standing ACTIVE = new Standing(true, true, null, null, List.of());
    public static final Standing WITHDRAW = new Standing(false, false, null, null, List.of());

    public Standing {
        prepend = List.copyOf(prepend);
    }

    /** A standby that keeps announcing with these attributes. */
    public static Standing announceWorse(Long localPref, Long med, List<Long> prepend) {
        return new Standing(false, true, localPref, med, prepend);
    }

    /** The path as this standing announces it (only for {@code announce}). */
    BgpPath applyTo(BgpPath p) {
        if (active || (localPref == null && med == null && prepend.isEmpty())) {
            return p;
        }
        List<Long> asPath = prepend.isEmpty() ? p.asPathPrepend() : new ArrayList<>(prepend);
        if (!prepend.isEmpty()) {
            asPath.addAll(p.asPathPrepend());
        }
        return new BgpPath(p.vrf(), p.prefix(), p.nextHop(), p.origin(), med != null ? med : p.med(),
                localPref != null ? localPref : p.localPref(), p.communities(), p.largeCommunities(), p.routeTargets(),
                asPath);
    }
}
