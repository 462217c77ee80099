package net.rrispeaker.config;

import java.util.List;
import java.util.Map;
import net.rrispeaker.model.VrfDefinition;

/**
 * Crypto maps, dynamic maps, IPsec profiles, VRFs, interfaces and manual statics: everything RRI
 * needs from the configuration, compiled (references resolved, match order fixed).
 *
 * @param cryptoMaps     static and dynamic-parent entries, per map set in order of first appearance, by sequence
 * @param dynamicMaps    dynamic-map entries, per set in order of first appearance, by sequence
 * @param ipsecProfiles  {@code crypto ipsec profile} by name, in order of appearance
 * @param isakmpProfiles {@code crypto isakmp profile} by name
 * @param interfaces     {@code interface} by name, in order of appearance
 * @param vrfs           {@code vrf definition} / {@code ip vrf} by name
 * @param staticRoutes   {@code ip route} / {@code ipv6 route}, in order
 * @param igpRedistribution {@code redistribute static} lines of {@code router ospf|eigrp|rip|isis}
 * @param bindings       where an SA can belong, in match order (see {@link SaBinding})
 */
public record CryptoConfig(List<MapEntry> cryptoMaps, Map<String, List<MapEntry>> dynamicMaps,
                           Map<String, IpsecProfile> ipsecProfiles, Map<String, IsakmpProfile> isakmpProfiles,
                           Map<String, InterfaceConfig> interfaces, Map<String, VrfDefinition> vrfs,
                           List<StaticRoute> staticRoutes, List<IgpRedistribution> igpRedistribution,
                           List<SaBinding> bindings) {

    public CryptoConfig {
        cryptoMaps = List.copyOf(cryptoMaps);
        dynamicMaps = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dynamicMaps));
        ipsecProfiles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ipsecProfiles));
        isakmpProfiles = Map.copyOf(isakmpProfiles);
        interfaces = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(interfaces));
        vrfs = Map.copyOf(vrfs);
        staticRoutes = List.copyOf(staticRoutes);
        igpRedistribution = List.copyOf(igpRedistribution);
        bindings = List.copyOf(bindings);
    }

    /** A configuration with no crypto at all. */
    public static CryptoConfig empty() {
        return new CryptoConfig(List.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of(), List.of(),
                List.of());
    }
}
