package net.rrispeaker.config;

import java.net.InetAddress;

/**
 * A {@code reverse-route} command of a crypto map, dynamic-map entry, as written:
 * {@code reverse-route [static | remote-peer [IP [gateway]] [static]]} (and the legacy
 * {@code reverse-route tag N [static]}, whose tag is stored on the entry).
 *
 * <p>What each form yields (12.4(15)T semantics, [RRI-IOS] in docs/references.md):
 * <ul>
 *   <li>plain: each remote proxy via the remote peer;</li>
 *   <li>{@code remote-peer}: the proxy via the peer, plus the peer /32 via the interface the
 *       crypto map is applied to;</li>
 *   <li>{@code remote-peer IP}: the proxy via {@code IP} (one route);</li>
 *   <li>{@code remote-peer IP gateway}: the proxy via the peer, plus the peer /32 via {@code IP};</li>
 *   <li>{@code static} (static crypto maps): the routes come from the crypto ACL's destinations and
 *       the first {@code set peer}, present whatever the SA state.</li>
 * </ul>
 *
 * @param staticRoutes      the {@code static} keyword
 * @param remotePeer        the {@code remote-peer} keyword
 * @param remotePeerAddress the user-defined next hop after {@code remote-peer}, or {@code null}
 * @param gateway           the {@code gateway} keyword (only with an address)
 * @param line              the configuration line
 */
public record ReverseRoute(boolean staticRoutes, boolean remotePeer, InetAddress remotePeerAddress, boolean gateway,
                           int line) {

    public ReverseRoute {
        if (gateway && remotePeerAddress == null) {
            throw new IllegalArgumentException("reverse-route gateway needs a remote-peer address");
        }
        if (remotePeerAddress != null && !remotePeer) {
            throw new IllegalArgumentException("reverse-route address without remote-peer");
        }
    }

    /** Plain {@code reverse-route}: proxies via the remote peer. */
    public static ReverseRoute plain(int line) {
        return new ReverseRoute(false, false, null, false, line);
    }

    /** True for {@code remote-peer} without an address: the peer host route goes via the map's interface. */
    public boolean peerViaInterface() {
        return remotePeer && remotePeerAddress == null;
    }
}
