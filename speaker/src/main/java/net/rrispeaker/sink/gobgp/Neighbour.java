package net.rrispeaker.sink.gobgp;

/**
 * One BGP neighbour as gobgpd reports it (ListPeer), in plain strings so that other packages need
 * no GoBGP API types. The text is gobgpd's and is checked by whoever uses it.
 *
 * @param address      the neighbour's address ({@code PeerConf.neighbor_address})
 * @param localAddress the local address of the session: the configured {@code transport.local-address}
 *                     or, while established, the one in use; {@code ""} when gobgpd reports none
 * @param iface        {@code PeerConf.neighbor_interface} (unnumbered neighbours), {@code ""} when none
 * @param vrf          {@code PeerConf.vrf}, {@code ""} for the global table
 * @param adminDown    the neighbour is shut down ({@code admin_down} or admin state DOWN)
 * @param state        the BGP session state name (IDLE, ACTIVE, ESTABLISHED, ...)
 */
public record Neighbour(String address, String localAddress, String iface, String vrf, boolean adminDown,
                        String state) {
}
