package net.rrispeaker.engine;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.MapEntry;
import net.rrispeaker.config.PeerAddresses;
import net.rrispeaker.config.ReverseRoute;
import net.rrispeaker.config.SaBinding;
import net.rrispeaker.config.StaticRoute;
import net.rrispeaker.policy.AccessList;
import net.rrispeaker.policy.AclEntry;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.RouteKind;

/**
 * The RRI rules of Cisco IOS (docs/references.md): which routes an SA, or the configuration alone, justifies. Pure.
 *
 * <p>An SA belongs to the first {@link SaBinding} of {@code config.crypto().bindings()} that matches
 * its connection name (and, for entries with {@code set peer}, its remote host). Then:
 * <ul>
 *   <li>map entry without {@code reverse-route}: no route;</li>
 *   <li>{@code reverse-route} (dynamic map, or static map without {@code static}): one route per
 *       remote traffic selector via the SA's remote host, kind {@link RouteKind#RRI}, in the entry's VRF;</li>
 *   <li>{@code remote-peer}: plus the peer /32 via the interface the crypto map is applied to;</li>
 *   <li>{@code remote-peer IP}: the selectors via {@code IP} instead;</li>
 *   <li>{@code remote-peer IP gateway}: selectors via the peer, plus the peer /32 via {@code IP};
 *       peer host routes go into the transport table (the VRF of the map's interface, else global);</li>
 *   <li>{@code reverse-route static} on a static map: nothing per SA; {@link #configRoutes} makes
 *       the ACL's destinations via the first {@code set peer}, kind {@link RouteKind#RRI_STATIC};</li>
 *   <li>IPsec profile: one route per remote selector via the tunnel interface, kind {@link RouteKind#VTI}.</li>
 * </ul>
 * A remote selector of length 0 ({@code 0.0.0.0/0}, {@code ::/0}) never becomes a route: it would be
 * a default route via one spoke.
 *
 * <p>Peer host names ({@code set peer NAME}) stay names in the {@link Config}; their addresses come
 * from the {@link PeerAddresses} the caller passes. A name without an address there has no routes
 * via it (no {@code reverse-route static} routes, no SA from it matches a peer-filtered entry). The
 * overloads without {@link PeerAddresses} are for configurations whose peers are all address literals.
 */
public final class RriEngine {
    private RriEngine() {
    }

    /** Routes one installed CHILD_SA justifies under this configuration (empty if no map covers it). */
    public static List<Route> routesFor(Config config, ChildSa sa) {
        return routesFor(config, PeerAddresses.NONE, sa);
    }

    /** {@link #routesFor(Config, ChildSa)}, peer host names resolved by {@code peers}. */
    public static List<Route> routesFor(Config config, PeerAddresses peers, ChildSa sa) {
        SaBinding b = bindingFor(config, peers, sa).orElse(null);
        if (b == null) {
            return List.of();
        }
        if (b.profile() != null) {
            return profileRoutes(b, sa);
        }
        MapEntry e = b.entry();
        ReverseRoute rr = e.reverseRoute();
        if (rr == null || (rr.staticRoutes() && e.type() == MapEntry.Type.STATIC)) {
            return List.of();
        }
        Set<Route> out = new LinkedHashSet<>();
        for (Prefix p : sa.remoteTs()) {
            if (p.length() > 0) {
                out.add(new Route(b.vrf(), p, proxyNextHop(rr, sa.remoteHost()), null, e.distance(), e.tag(),
                        RouteKind.RRI, b.origin()));
            }
        }
        if (!out.isEmpty()) {
            peerRoute(b, rr, sa.remoteHost(), e, RouteKind.RRI).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /** The binding an SA belongs to, or empty if no crypto map entry or profile covers its connection. */
    public static Optional<SaBinding> bindingFor(Config config, ChildSa sa) {
        return bindingFor(config, PeerAddresses.NONE, sa);
    }

    /** {@link #bindingFor(Config, ChildSa)}, peer host names resolved by {@code peers}. */
    public static Optional<SaBinding> bindingFor(Config config, PeerAddresses peers, ChildSa sa) {
        for (SaBinding b : config.crypto().bindings()) {
            if (b.matches(sa.connection(), sa.remoteHost(), peers)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** Routes the configuration alone justifies: {@code reverse-route static} maps and {@code ip route}. */
    public static List<Route> configRoutes(Config config) {
        return configRoutes(config, PeerAddresses.NONE);
    }

    /** {@link #configRoutes(Config)}, peer host names resolved by {@code peers}. */
    public static List<Route> configRoutes(Config config, PeerAddresses peers) {
        Set<Route> out = new LinkedHashSet<>();
        for (SaBinding b : config.crypto().bindings()) {
            MapEntry e = b.entry();
            if (e == null || e.type() != MapEntry.Type.STATIC || e.reverseRoute() == null
                    || !e.reverseRoute().staticRoutes()) {
                continue;
            }
            AccessList acl = e.matchAddress() == null ? null : config.policies().accessLists().get(e.matchAddress());
            InetAddress peer = e.peers().stream().map(peers::of).filter(a -> a != null).findFirst()
                    .orElse(null);
            if (acl == null || peer == null) {
                continue; // refused at load; a peer name without an address (yet) has no route
            }
            List<Prefix> proxies;
            try {
                proxies = acl.remoteProxies();
            } catch (IllegalArgumentException ex) {
                continue; // refused at load
            }
            ReverseRoute rr = e.reverseRoute();
            for (Prefix p : proxies) {
                out.add(new Route(b.vrf(), p, proxyNextHop(rr, peer), null, e.distance(), e.tag(),
                        RouteKind.RRI_STATIC, b.origin()));
            }
            if (!proxies.isEmpty()) {
                peerRoute(b, rr, peer, e, RouteKind.RRI_STATIC).ifPresent(out::add);
            }
        }
        for (StaticRoute s : config.crypto().staticRoutes()) {
            out.add(new Route(s.vrf(), s.prefix(), s.nextHop(), s.iface(), s.distance(), s.tag(), RouteKind.MANUAL,
                    "ip route (line " + s.line() + ")"));
        }
        return List.copyOf(out);
    }

    private static InetAddress proxyNextHop(ReverseRoute rr, InetAddress peer) {
        return rr.remotePeerAddress() != null && !rr.gateway() ? rr.remotePeerAddress() : peer;
    }

    /** The second route of {@code remote-peer} (via the map's interface) and {@code gateway} (via the address). */
    private static Optional<Route> peerRoute(SaBinding b, ReverseRoute rr, InetAddress peer, MapEntry e,
                                             RouteKind kind) {
        if (rr.gateway()) {
            return Optional.of(new Route(b.transportVrf(), Prefix.host(peer), rr.remotePeerAddress(), null,
                    e.distance(), e.tag(), kind, b.origin()));
        }
        if (rr.peerViaInterface() && b.iface() != null) {
            return Optional.of(new Route(b.transportVrf(), Prefix.host(peer), null, b.iface(), e.distance(), e.tag(),
                    kind, b.origin()));
        }
        return Optional.empty();
    }

    /**
     * Route-based tunnels: via the interface that has {@code tunnel protection ipsec profile NAME};
     * for a {@code Virtual-Template} (cloned per peer, like IOS Virtual-Access) or no such
     * interface, via {@code xfrm<if_id>} of the SA; with neither, via the remote host.
     */
    private static List<Route> profileRoutes(SaBinding b, ChildSa sa) {
        String iface = b.iface();
        if (iface == null || iface.regionMatches(true, 0, "Virtual-Template", 0, 16)) {
            iface = sa.ifId() != 0 ? "xfrm" + sa.ifId() : null;
        }
        InetAddress via = iface == null ? sa.remoteHost() : null;
        Set<Route> out = new LinkedHashSet<>();
        for (Prefix p : sa.remoteTs()) {
            if (p.length() > 0) {
                out.add(new Route(b.vrf(), p, via, iface, b.profile().distance(), b.profile().tag(), RouteKind.VTI,
                        b.origin()));
            }
        }
        return List.copyOf(out);
    }
}
