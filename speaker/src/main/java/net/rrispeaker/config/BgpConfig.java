package net.rrispeaker.config;

import java.util.Map;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.policy.PolicySet;

/**
 * {@code router bgp ASN} as far as the speaker needs it: which address families redistribute
 * static (RRI) routes, through which route-map, and how RRI tags and distances become BGP
 * attributes.
 *
 * @param asn           the local AS
 * @param redistribute  per address family: {@code redistribute static [metric N] [route-map NAME]};
 *                      a family absent here redistributes nothing (IOS)
 * @param mapping       tag-to-community and distance-to-LOCAL_PREF defaults
 * @param line          the {@code router bgp} line
 */
public record BgpConfig(long asn, Map<AddressFamily, RedistributeStatic> redistribute, AttributeMapping mapping,
                        int line) {

    public BgpConfig {
        redistribute = Map.copyOf(redistribute);
    }

    /** An address family: IPv4 or IPv6 unicast, in the global table ({@code vrf == ""}) or a VRF. */
    public record AddressFamily(boolean ipv6, String vrf) {
        public static final AddressFamily IPV4 = new AddressFamily(false, "");
        public static final AddressFamily IPV6 = new AddressFamily(true, "");

        @Override
        public String toString() {
            return (ipv6 ? "ipv6" : "ipv4") + (vrf.isEmpty() ? "" : " vrf " + vrf);
        }
    }

    /**
     * {@code redistribute static [metric N] [route-map NAME]}.
     *
     * @param metric   MED for redistributed routes, or {@code null}
     * @param routeMap route-map name, or {@code null} for "every static route"
     * @param file     where it was configured
     * @param line     the line
     */
    public record RedistributeStatic(Long metric, String routeMap, String file, int line) {
    }

    /**
     * How RRI attributes become BGP attributes unless a route-map sets them.
     *
     * @param communityAsn       tag T (1..65535) becomes community {@code communityAsn:T}; {@code null}
     *                           disables the mapping ({@code rri bgp tag-community none})
     * @param localPrefAtDistance1 LOCAL_PREF at distance 1, one lower per unit of distance above it,
     *                           never below 0; {@code null} disables ({@code rri bgp distance-local-pref none})
     */
    public record AttributeMapping(Long communityAsn, Long localPrefAtDistance1) {
        /** LOCAL_PREF for a distance, or {@code null} when the mapping is off. */
        public Long localPref(int distance) {
            if (localPrefAtDistance1 == null) {
                return null;
            }
            return Math.max(0L, localPrefAtDistance1 - (distance - 1));
        }

        /** Community for a tag, or {@code null} when the mapping is off or the tag is 0 or above 65535. */
        public Long community(long tag) {
            if (communityAsn == null || tag <= 0 || tag > 0xFFFF) {
                return null;
            }
            return (communityAsn << 16) | tag;
        }
    }

    /**
     * Reports a WARNING for every {@code redistribute static route-map X} whose X is not defined:
     * the configuration is accepted, and, as on IOS, that address family then redistributes
     * nothing until the route-map is defined (a reload picks it up).
     */
    public void checkRouteMaps(PolicySet policies, Problems problems) {
        redistribute().forEach((af, rs) -> {
            if (rs.routeMap() != null && !policies.hasRouteMap(rs.routeMap())) {
                problems.warning(rs.file(), rs.line(), "redistribute static route-map " + rs.routeMap() + " (" + af
                        + "): route-map " + rs.routeMap() + " is not defined, nothing is redistributed (IOS)");
            }
        });
    }
}
