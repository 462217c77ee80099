package net.rrispeaker.config;

import java.net.InetAddress;
import net.rrispeaker.model.Prefix;

/**
 * {@code ip route [vrf V] PREFIX MASK {NEXTHOP | IFACE [NEXTHOP]} [DISTANCE] [tag T] [name N] [permanent]}
 * or {@code ipv6 route [vrf V] PREFIX/LEN ...}: a manually configured static route.
 *
 * @param vrf       the VRF, {@code ""} for the global table
 * @param prefix    the destination
 * @param nextHop   next hop, or {@code null}
 * @param iface     outgoing interface, or {@code null}
 * @param distance  administrative distance, default 1
 * @param tag       tag, default 0
 * @param name      {@code name N}, or {@code null}
 * @param permanent the {@code permanent} keyword (kept; the speaker's routes never depend on interface state)
 * @param file      the file
 * @param line      the line
 */
public record StaticRoute(String vrf, Prefix prefix, InetAddress nextHop, String iface, int distance, long tag,
                          String name, boolean permanent, String file, int line) {
}
