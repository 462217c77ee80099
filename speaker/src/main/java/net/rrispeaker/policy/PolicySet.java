package net.rrispeaker.policy;

import java.util.Map;
import java.util.Optional;
import net.rrispeaker.config.BgpConfig;
import net.rrispeaker.config.Problems;

/**
 * The compiled policy objects of one configuration: access lists (used by crypto maps and by
 * route-maps), IPv4 and IPv6 prefix-lists, and route-maps. Immutable; names are case-sensitive as
 * in IOS; IPv4 and IPv6 prefix-lists have separate name spaces.
 */
public record PolicySet(Map<String, AccessList> accessLists, Map<String, PrefixList> prefixLists,
                        Map<String, PrefixList> ipv6PrefixLists, Map<String, RouteMap> routeMaps) {

    public PolicySet {
        accessLists = Map.copyOf(accessLists);
        prefixLists = Map.copyOf(prefixLists);
        ipv6PrefixLists = Map.copyOf(ipv6PrefixLists);
        routeMaps = Map.copyOf(routeMaps);
    }

    /** Access lists only (no prefix-lists, no route-maps). */
    public PolicySet(Map<String, AccessList> accessLists) {
        this(accessLists, Map.of(), Map.of(), Map.of());
    }

    public static PolicySet empty() {
        return new PolicySet(Map.of());
    }

    /** True if a route-map of this name is defined. */
    public boolean hasRouteMap(String name) {
        return routeMaps.containsKey(name);
    }

    public Optional<RouteMap> routeMap(String name) {
        return Optional.ofNullable(routeMaps.get(name));
    }

    /**
     * Reports a WARNING for every {@code redistribute static route-map X} whose X is not defined:
     * the configuration is accepted, and, as on IOS, that address family then redistributes
     * nothing until the route-map is defined (a reload picks it up).
     */
    public void checkRedistribution(BgpConfig bgp, Problems problems) {
        if (bgp == null) {
            return;
        }
        bgp.redistribute().forEach((af, rs) -> {
            if (rs.routeMap() != null && !hasRouteMap(rs.routeMap())) {
                problems.warning(rs.file(), rs.line(), "redistribute static route-map " + rs.routeMap() + " (" + af
                        + "): route-map " + rs.routeMap() + " is not defined, nothing is redistributed (IOS)");
            }
        });
    }
}
