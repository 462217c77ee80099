package net.rrispeaker.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.rrispeaker.policy.AccessList;
import net.rrispeaker.policy.AclEntry;
import net.rrispeaker.policy.PolicySet;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.model.VrfDefinition;

/**
 * Turns what the crypto, interface, VRF and route sections read into a {@link CryptoConfig}:
 * resolves every reference (dynamic-maps, ACLs, profiles, VRFs, interfaces) and fixes the SA match
 * order. Every dangling reference is an error on the line that makes it.
 *
 * <p>Match order ({@link CryptoConfig#bindings()}): crypto map sets in order of first appearance,
 * entries by sequence; a {@code dynamic} parent entry expands in place into its dynamic-map's
 * entries by sequence; then dynamic-maps no crypto map references (still active, with a warning);
 * then IPsec profiles in order of appearance.
 *
 * <p>Connection names: an entry's own {@code match ipsec-connection} wins; a dynamic-map entry
 * without one takes its parent entry's, else the dynamic-map name; a static entry without one uses
 * the crypto map name; a profile its name.
 */
final class CryptoCompiler {
    private final String file;
    private final Problems problems;
    private final Map<String, VrfDefinition> vrfs;
    private final Map<String, InterfaceConfig> interfaces;
    private final Map<String, IsakmpProfile> isakmp;
    private final PolicySet policies;
    /** Each dynamic parent entry expands into its dynamic-map's entries: bounded, or a 9,000-line file makes 9M. */
    static final int MAX_BINDINGS = 100_000;
    private Map<String, InterfaceConfig> firstInterfaceOf;

    CryptoCompiler(String file, Map<String, VrfDefinition> vrfs, Map<String, InterfaceConfig> interfaces,
                   Map<String, IsakmpProfile> isakmp, PolicySet policies, Problems problems) {
        this.file = file;
        this.vrfs = vrfs;
        this.interfaces = interfaces;
        this.isakmp = isakmp;
        this.policies = policies;
        this.problems = problems;
    }

    CryptoConfig compile(CryptoSection crypto, StaticRouteSection routes, IgpSection igp) {
        for (IsakmpProfile p : isakmp.values()) {
            vrf(p.vrf(), p.line(), "crypto isakmp profile " + p.name());
        }
        checkInterfaces(crypto);
        List<MapEntry> maps = new ArrayList<>();
        Map<String, List<MapEntry>> dynamics = new LinkedHashMap<>();
        crypto.dynamicMaps.forEach((name, set) -> dynamics.put(name, sorted(set)));
        List<SaBinding> bindings = new ArrayList<>();
        Set<String> referenced = new HashSet<>();
        for (Map.Entry<String, Map<Integer, EntryDraft>> set : crypto.cryptoMaps.entrySet()) {
            InterfaceConfig applied = appliedTo(set.getKey());
            if (applied == null) {
                EntryDraft first = set.getValue().values().iterator().next();
                problems.warning(file, first.line, "crypto map " + set.getKey() + " is applied to no interface: "
                        + "its entries are active anyway (on Linux the IKE connection name binds SAs to entries)");
            }
            for (MapEntry e : sorted(set.getValue())) {
                maps.add(e);
                if (e.type() == MapEntry.Type.DYNAMIC_PARENT) {
                    List<MapEntry> children = dynamics.get(e.dynamicMap());
                    if (children == null) {
                        problems.error(file, e.line(), "crypto map " + e.map() + " " + e.seq() + ": dynamic-map '"
                                + e.dynamicMap() + "' is not defined");
                        continue;
                    }
                    referenced.add(e.dynamicMap());
                    if (bindings.size() + children.size() > MAX_BINDINGS) {
                        problems.error(file, e.line(), "crypto map " + e.map() + " " + e.seq() + ": dynamic-map '"
                                + e.dynamicMap() + "' (" + children.size() + " entries) makes more than " + MAX_BINDINGS
                                + " SA bindings in all (expected: fewer crypto map entries referencing it)");
                        continue;
                    }
                    for (MapEntry d : children) {
                        String conn = d.connection() != null ? d.connection()
                                : e.connection() != null ? e.connection() : d.map();
                        bindings.add(mapBinding(d, conn, applied));
                    }
                } else {
                    checkStatic(e);
                    bindings.add(mapBinding(e, e.connection() != null ? e.connection() : e.map(), applied));
                }
            }
        }
        for (Map.Entry<String, List<MapEntry>> d : dynamics.entrySet()) {
            if (!referenced.contains(d.getKey())) {
                problems.warning(file, d.getValue().get(0).line(), "dynamic-map " + d.getKey()
                        + " is referenced by no crypto map: its entries are active on their own");
                for (MapEntry e : d.getValue()) {
                    bindings.add(mapBinding(e, e.connection() != null ? e.connection() : e.map(), null));
                }
            }
        }
        Map<String, IpsecProfile> profiles = new LinkedHashMap<>();
        for (EntryDraft p : crypto.ipsecProfiles.values()) {
            IpsecProfile profile = p.toProfile();
            profiles.put(profile.name(), profile);
            bindings.add(profileBinding(profile));
        }
        for (StaticRoute r : routes.routes) {
            vrf(r.vrf(), r.line(), r.prefix().isIpv6() ? "ipv6 route" : "ip route");
        }
        return new CryptoConfig(maps, dynamics, profiles, isakmp, interfaces, vrfs, routes.routes,
                igp.redistribution, bindings);
    }

    private static List<MapEntry> sorted(Map<Integer, EntryDraft> set) {
        return set.values().stream().sorted(Comparator.comparingInt(d -> d.seq)).map(EntryDraft::toEntry).toList();
    }

    private void checkInterfaces(CryptoSection crypto) {
        for (InterfaceConfig i : interfaces.values()) {
            vrf(i.vrf(), i.line(), "interface " + i.name());
            if (i.cryptoMap() != null && !crypto.cryptoMaps.containsKey(i.cryptoMap())) {
                problems.error(file, i.line(), "interface " + i.name() + ": crypto map '" + i.cryptoMap()
                        + "' is not defined");
            }
            if (i.tunnelProfile() != null && !crypto.ipsecProfiles.containsKey(i.tunnelProfile())) {
                problems.error(file, i.line(), "interface " + i.name() + ": ipsec profile '" + i.tunnelProfile()
                        + "' is not defined");
            }
        }
    }

    private InterfaceConfig appliedTo(String map) {
        if (firstInterfaceOf == null) { // one pass, not one per map set: 50,000 interfaces and maps stay linear
            firstInterfaceOf = new HashMap<>();
            interfaces.values().stream().filter(i -> i.cryptoMap() != null)
                    .forEach(i -> firstInterfaceOf.putIfAbsent(i.cryptoMap(), i));
        }
        return firstInterfaceOf.get(map);
    }

    private SaBinding mapBinding(MapEntry e, String connection, InterfaceConfig applied) {
        String transport = applied == null ? "" : applied.vrf();
        String vrf = transport;
        if (e.isakmpProfile() != null) {
            IsakmpProfile p = isakmp.get(e.isakmpProfile());
            if (p == null) {
                problems.error(file, e.line(), e.owner() + ": isakmp profile '" + e.isakmpProfile() + "' is not defined");
            } else if (!p.vrf().isEmpty()) {
                vrf = p.vrf();
            }
        }
        ReverseRoute rr = e.reverseRoute();
        if (rr != null && rr.peerViaInterface() && applied == null) {
            problems.error(file, rr.line(), e.owner() + ": reverse-route remote-peer routes the peer via the interface "
                    + "the crypto map is applied to, and this map is applied to none (add 'crypto map NAME' under an "
                    + "interface, or use 'reverse-route remote-peer IP gateway')");
        }
        // With a dynamic peer any remote host may belong here (its address moves); otherwise only
        // the peers' addresses (names resolved later, by whoever runs the engine: PeerAddresses).
        boolean anyDynamic = e.peers().stream().anyMatch(CryptoPeer::dynamic);
        List<CryptoPeer> filter = anyDynamic ? List.of() : e.peers();
        return new SaBinding(new ConnectionGlob(connection), filter, e.owner(), e, null, vrf, transport,
                applied == null ? null : applied.name());
    }

    private SaBinding profileBinding(IpsecProfile p) {
        InterfaceConfig tunnel = interfaces.values().stream().filter(i -> p.name().equals(i.tunnelProfile()))
                .findFirst().orElse(null);
        String vrf = tunnel == null ? "" : tunnel.vrf();
        if (p.isakmpProfile() != null) {
            IsakmpProfile ip = isakmp.get(p.isakmpProfile());
            if (ip == null) {
                problems.error(file, p.line(), "crypto ipsec profile " + p.name() + ": isakmp profile '"
                        + p.isakmpProfile() + "' is not defined");
            } else if (!ip.vrf().isEmpty()) {
                vrf = ip.vrf();
            }
        }
        return new SaBinding(new ConnectionGlob(p.connection() != null ? p.connection() : p.name()), List.of(),
                "profile " + p.name(), null, p, vrf, vrf, tunnel == null ? null : tunnel.name());
    }

    private void checkStatic(MapEntry e) {
        AccessList acl = null;
        if (e.matchAddress() != null) {
            acl = policies.accessLists().get(e.matchAddress());
            if (acl == null) {
                problems.error(file, e.line(), e.owner() + ": access list '" + e.matchAddress() + "' is not defined");
            }
        }
        ReverseRoute rr = e.reverseRoute();
        if (rr == null) {
            return;
        }
        if (!rr.staticRoutes()) {
            if (acl != null && acl.entries().stream().anyMatch(en -> en.permit() && en.destination() != null
                    && en.destination().isAny())) {
                problems.warning(file, rr.line(), e.owner() + ": access list " + acl.name() + " has 'any' as a "
                        + "destination, which IOS does not support in crypto ACLs used for RRI; routes follow the SAs' selectors");
            }
            return;
        }
        if (e.matchAddress() == null) {
            problems.error(file, rr.line(), e.owner() + ": reverse-route static takes its routes from the crypto ACL "
                    + "(expected: match address ACL)");
        }
        if (e.peers().isEmpty()) {
            problems.error(file, rr.line(), e.owner() + ": reverse-route static routes via the first peer "
                    + "(expected: set peer ADDRESS)");
        }
        if (acl != null) {
            try {
                acl.remoteProxies();
            } catch (IllegalArgumentException ex) {
                int at = acl.entries().stream().filter(en -> ex.getMessage().contains("'" + en.text() + "'"))
                        .mapToInt(AclEntry::line).findFirst().orElse(rr.line());
                problems.error(file, at, e.owner() + " (reverse-route static): " + ex.getMessage());
            }
        }
    }

    private void vrf(String vrf, int line, String where) {
        if (vrf != null && !vrf.isEmpty() && !vrfs.containsKey(vrf)) {
            problems.error(file, line, where + ": vrf '" + vrf + "' is not defined (expected: vrf definition "
                    + vrf + " or ip vrf " + vrf + ")");
        }
    }
}
