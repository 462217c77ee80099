package net.rrispeaker.redistribution;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.rrispeaker.config.BgpConfig;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.policy.PathAttributes;
import net.rrispeaker.policy.PolicyDecision;
import net.rrispeaker.policy.PolicySet;
import net.rrispeaker.policy.RouteMap;

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
 * load by {@link BgpConfig#checkRouteMaps}).
 */
public final class Redistributor {
    private final BgpConfig bgp;
    private final PolicySet policies;
    private final boolean nextHopSelf;
    /** The global-table families, looked up without building a key per route. */
    private final BgpConfig.RedistributeStatic globalV4;
    private final BgpConfig.RedistributeStatic globalV6;
    /**
     * Direct-mapped cache of the defaults (and the decisions built on them) per family settings,
     * tag, distance and next hop: RRI routes share a few (tag, distance) pairs, so most routes
     * need no new attributes. Slots hold immutable objects and are replaced whole, so a race
     * between threads only costs a recomputation.
     */
    private final Slot[] cache = new Slot[CACHE_SLOTS];
    private static final int CACHE_SLOTS = 256;

    /** One cached defaults object, the decision without route-map, and the route-map's permit memo. */
    private record Slot(BgpConfig.RedistributeStatic rs, long tag, int distance, InetAddress nextHop,
                        boolean v6, PathAttributes defaults, PolicyDecision noMap, RouteMap map,
                        PolicyDecision[] permits) {
    }

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

    /** The path a permitting decision gives for this route, or empty for a deny. */
    public static Optional<BgpPath> path(Route route, PolicyDecision d) {
        return d.permitted() ? Optional.of(toPath(route, d.attributes())) : Optional.empty();
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
        RouteMap map = rs.routeMap() == null ? null : policies.routeMaps().get(rs.routeMap());
        if (map == null && rs.routeMap() != null) {
            return new PolicyDecision(rs.routeMap(), PolicyDecision.Verdict.DENY, null, -1,
                    PolicyDecision.Reason.UNDEFINED_ROUTE_MAP);
        }
        Slot slot = slot(route, rs, map);
        if (map == null) {
            return slot.noMap();
        }
        return map.evaluate(route, slot.defaults(), slot.permits());
    }

    private Slot slot(Route route, BgpConfig.RedistributeStatic rs, RouteMap map) {
        long tag = route.tag();
        int distance = route.distance();
        InetAddress nextHop = nextHopSelf ? null : route.nextHop();
        boolean v6 = route.prefix().isIpv6();
        int h = (int) (tag * 31 + distance) * 31 + (nextHop == null ? 0 : nextHop.hashCode());
        int i = (h ^ (h >>> 8)) & (CACHE_SLOTS - 1);
        Slot s = cache[i];
        if (s != null && s.rs() == rs && s.tag() == tag && s.distance() == distance && s.v6() == v6
                && s.map() == map && Objects.equals(s.nextHop(), nextHop)) {
            return s;
        }
        PathAttributes d = defaults(route, rs);
        s = new Slot(rs, tag, distance, nextHop, v6, d,
                new PolicyDecision(null, PolicyDecision.Verdict.PERMIT, d, -1, PolicyDecision.Reason.NO_ROUTE_MAP),
                map, map == null ? null : new PolicyDecision[map.size()]);
        cache[i] = s;
        return s;
    }

    /** The attributes a route has before any route-map set clause. */
    public PathAttributes defaults(Route route, BgpConfig.RedistributeStatic rs) {
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
