package net.rrispeaker.policy;

import java.util.Map;
import java.util.Optional;

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
}
