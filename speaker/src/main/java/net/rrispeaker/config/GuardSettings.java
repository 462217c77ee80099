package net.rrispeaker.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.rrispeaker.model.Prefix;

/**
 * The prefix guard ({@code rri guard ...} lines and {@code set reverse-route pool prefix-list NAME}):
 * what the speaker refuses to announce from the traffic selectors a remote peer negotiated. Routes
 * the operator wrote ({@code ip route}, {@code reverse-route static}) are not guarded. Every field
 * has a default (see docs/configuration.md); {@link #defaults()} is a configuration without any
 * {@code rri guard} line.
 *
 * @param martians         {@code [no] rri guard martians}: refuse special-use ranges and anything covering them (default on)
 * @param minLengthIpv4    {@code rri guard min-length ipv4 N}: shortest IPv4 prefix announced from an SA (default 8)
 * @param minLengthIpv6    {@code rri guard min-length ipv6 N}: shortest IPv6 prefix announced from an SA (default 16)
 * @param own              {@code rri guard own PREFIX}: the concentrator's own networks; a selector
 *                         overlapping one is refused (none by default)
 * @param pool             {@code rri guard pool prefix-list NAME}: the {@code ip}/{@code ipv6 prefix-list}
 *                         every selector must be permitted by, or {@code null} for none
 * @param maxRoutes        {@code rri guard max-routes N}: prefixes held from SAs, all peers together (default 250,000)
 * @param maxRoutesPerPeer {@code rri guard max-routes-per-peer N}: prefixes held per remote outer address (default 1,000)
 * @param overlapPermit    {@code rri guard overlap refuse|permit}: whether a prefix that overlaps another
 *                         peer's held prefix is announced with a warning ({@code permit}) or refused (default)
 * @param entryPools       {@code set reverse-route pool prefix-list NAME} per crypto map entry or IPsec
 *                         profile, keyed by the binding's origin text ({@code crypto map VPN 10},
 *                         {@code dynamic-map DYN 10}, {@code profile vti})
 */
public record GuardSettings(boolean martians, int minLengthIpv4, int minLengthIpv6, List<Prefix> own, String pool,
                            long maxRoutes, long maxRoutesPerPeer, boolean overlapPermit,
                            Map<String, String> entryPools) {

    public static final int DEFAULT_MIN_LENGTH_IPV4 = 8;
    public static final int DEFAULT_MIN_LENGTH_IPV6 = 16;
    public static final long DEFAULT_MAX_ROUTES = 250_000;
    public static final long DEFAULT_MAX_ROUTES_PER_PEER = 1_000;

    public GuardSettings {
        own = List.copyOf(own);
        entryPools = Map.copyOf(entryPools);
        if (minLengthIpv4 < 0 || minLengthIpv4 > 32 || minLengthIpv6 < 0 || minLengthIpv6 > 128) {
            throw new IllegalArgumentException("min-length " + minLengthIpv4 + "/" + minLengthIpv6);
        }
        if (maxRoutes < 1 || maxRoutesPerPeer < 1) {
            throw new IllegalArgumentException("max-routes " + maxRoutes + "/" + maxRoutesPerPeer);
        }
    }

    public static GuardSettings defaults() {
        return new GuardSettings(true, DEFAULT_MIN_LENGTH_IPV4, DEFAULT_MIN_LENGTH_IPV6, List.of(), null,
                DEFAULT_MAX_ROUTES, DEFAULT_MAX_ROUTES_PER_PEER, false, Map.of());
    }

    /** The minimum length for a prefix of this family. */
    public int minLength(Prefix p) {
        return p.isIpv4() ? minLengthIpv4 : minLengthIpv6;
    }

    /** The pool of one binding ({@code set reverse-route pool prefix-list}), or {@code null}. */
    public String entryPool(String origin) {
        return entryPools.get(Objects.requireNonNull(origin, "origin"));
    }
}
