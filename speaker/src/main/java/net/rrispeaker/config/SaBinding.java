package net.rrispeaker.config;

import java.net.InetAddress;
import java.util.List;

/**
 * One place an installed SA can belong to, compiled from the configuration: a crypto map entry
 * (static, or a dynamic-map entry reached through its parent or on its own) or an IPsec profile.
 * {@link CryptoConfig#bindings()} lists them in match order; an SA belongs to the first that
 * {@link #matches matches}.
 *
 * @param connection   which strongSwan connections this binding covers
 * @param peerFilter   if not empty, the SA's remote host must be the address of one of these (the
 *                     entry's {@code set peer}s); a peer name without an address matches no SA
 * @param origin       owner text for show output, e.g. {@code crypto map mymap 10}
 * @param entry        the map entry, or {@code null} for a profile
 * @param profile      the IPsec profile, or {@code null} for a map entry
 * @param vrf          the table its proxy routes go into, {@code ""} = global
 * @param transportVrf the table the peer host routes ({@code remote-peer}, {@code gateway}) go into:
 *                     the VRF of the interface the map is applied to, else global
 * @param iface        the interface the crypto map set is applied to (map entries), or the tunnel
 *                     interface protected by the profile; {@code null} if none
 */
public record SaBinding(ConnectionGlob connection, List<CryptoPeer> peerFilter, String origin, MapEntry entry,
                        IpsecProfile profile, String vrf, String transportVrf, String iface) {

    public SaBinding {
        peerFilter = List.copyOf(peerFilter);
    }

    /** True if an SA of this connection from this remote host belongs here, peer names resolved by {@code peers}. */
    public boolean matches(String saConnection, InetAddress remoteHost, PeerAddresses peers) {
        if (!connection.matches(saConnection)) {
            return false;
        }
        if (peerFilter.isEmpty()) {
            return true;
        }
        for (CryptoPeer p : peerFilter) {
            if (remoteHost.equals(peers.of(p))) {
                return true;
            }
        }
        return false;
    }
}
