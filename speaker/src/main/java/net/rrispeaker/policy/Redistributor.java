package net.rrispeaker.policy;

import java.util.List;
import java.util.Optional;
import net.rrispeaker.config.BgpConfig;
import net.rrispeaker.engine.Route;

/**
 * {@code redistribute static [metric N] [route-map NAME]} per address family: turns one RRI/static
 * route into the BGP path it becomes, or nothing. Pure; built once per configuration.
 *
 * <p>Defaults, before any set clause: ORIGIN incomplete; next hop self ({@code null}), or the
 * route's next hop when {@code nextHopSelf} is false; tag T becomes community {@code ASN:T} and
 * distance D becomes LOCAL_PREF (both per {@link BgpConfig.AttributeMapping}); MED from
 * {@code metric N} (none without it); the IGP tag is the route's tag.
 *
 * <p>Which routes: an address family (IPv4/IPv6, global or VRF) without {@code redistribute static}
 * redistributes nothing; without a route-map every route; with a route-map only the routes it
 * permits; with a route-map that is not defined nothing at all (IOS; reported as a warning at
 * load by {@link PolicySet#checkRedistribution}).
 */
public final class Redistributor {
    private final BgpConfig bgp;
    private final PolicySet policies;
    private final boolean nextHopSelf;
    /** The global-table families, looked up without building a key per route. */
    private final BgpConfig.RedistributeStatic globalV4;
    private final BgpConfig.RedistributeStatic globalV6;

    public Redistributor(BgpConfig bgp, PolicySet policies, boolean nextHopSelf) {
        this.bgp = bgp;
        this.policies = policies == null ? PolicySet.empty() : policies;
        this.nextHopSelf = nextHopSelf;
        this.globalV4 = bgp == null ? null : bgp.redistribute().get(BgpConfig.AddressFamily.IPV4);
        this.globalV6 = bgp == null ? null : bgp.redistribute().get(BgpConfig.AddressFamily.IPV6);
    }

    /** The path this route becomes, or empty if it is not redistributed. */
    public Optional<BgpPath> apply(Route route) {
        PolicyDecision d = decide(route);
        if (!d.permitted()) {
            return Optional.empty();
        }
        return Optional.of(toPath(route, d.attributes()));
    }

    /** The full decision for this route (the caller counts it per map and sequence). */
    public PolicyDecision decide(Route route) {
        BgpConfig.RedistributeStatic rs;
        if (bgp == null) {
            rs = null;
        } else if (route.vrf().isEmpty()) {
            rs = route.prefix().isIpv6() ? globalV6 : globalV4;
        } else {
            rs = bgp.redistribute().get(new BgpConfig.AddressFamily(route.prefix().isIpv6(), route.vrf()));
        }
        if (rs == null) {
            return new PolicyDecision(null, PolicyDecision.Verdict.DENY, null, -1,
                    PolicyDecision.Reason.NOT_REDISTRIBUTED);
        }
        if (rs.routeMap() == null) {
            return new PolicyDecision(null, PolicyDecision.Verdict.PERMIT, defaults(route, rs), -1,
                    PolicyDecision.Reason.NO_ROUTE_MAP);
        }
        RouteMap map = policies.routeMaps().get(rs.routeMap());
        if (map == null) {
            return new PolicyDecision(rs.routeMap(), PolicyDecision.Verdict.DENY, null, -1,
                    PolicyDecision.Reason.UNDEFINED_ROUTE_MAP);
        }
        return map.evaluate(route, defaults(route, rs));
    }

    /** The attributes a route has before any route-map set clause. */
    PathAttributes defaults(Route route, BgpConfig.RedistributeStatic rs) {
        Long c = bgp.mapping() == null ? null : bgp.mapping().community(route.tag());
        List<Long> communities = c == null ? List.of() : List.of(c);
        Long localPref = bgp.mapping() == null ? null : bgp.mapping().localPref(route.distance());
        return new PathAttributes(BgpPath.ORIGIN_INCOMPLETE, rs.metric(), localPref, communities, List.of(),
                List.of(), List.of(), nextHopSelf ? null : route.nextHop(), route.tag(), null);
    }

    private static BgpPath toPath(Route route, PathAttributes a) {
        return new BgpPath(route.vrf(), route.prefix(), a.nextHop(), a.origin(), a.med(), a.localPref(),
                a.communities(), a.largeCommunities(), a.routeTargets(), a.asPathPrepend());
    }
}
