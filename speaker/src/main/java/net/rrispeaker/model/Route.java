package net.rrispeaker.model;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One route the speaker created, as it would stand in a Cisco router's RIB: a prefix in a table
 * (VRF, {@code ""} for the global table) via a next hop and/or an interface, with an
 * administrative distance and a tag.
 *
 * <p>Identity is {@link #key()}: (vrf, prefix, next hop, interface). Distance, tag and kind are
 * attributes; when several owners justify the same key the route table picks one deterministically.
 *
 * @param vrf       VRF name, {@code ""} for the global table
 * @param prefix    the destination
 * @param nextHop   next-hop address, or {@code null} for a route via an interface only
 * @param iface     outgoing interface name, or {@code null}
 * @param distance  administrative distance, 1..255 (IOS static default 1)
 * @param tag       route tag, 0..4294967295 (0 = untagged)
 * @param kind      how the route was made
 * @param origin    human-readable owner description for show output, e.g. {@code "mymap 10"}
 */
public record Route(String vrf, Prefix prefix, InetAddress nextHop, String iface, int distance, long tag,
                    RouteKind kind, String origin) {

    public Route {
        Objects.requireNonNull(vrf, "vrf");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(kind, "kind");
        origin = origin == null ? "" : origin;
        if (nextHop == null && iface == null) {
            throw new IllegalArgumentException("route " + prefix + ": needs a next hop or an interface");
        }
        if (distance < 1 || distance > 255) {
            throw new IllegalArgumentException("distance: " + distance + " (expected: 1..255)");
        }
        if (tag < 0 || tag > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("tag: " + tag + " (expected: 0..4294967295)");
        }
    }

    /** The identity of a route: table, destination, next hop, interface. */
    public record Key(String vrf, Prefix prefix, InetAddress nextHop, String iface) {
    }

    public Key key() {
        return new Key(vrf, prefix, nextHop, iface);
    }
}
