/**
 * The GoBGP sink: makes gobgpd's RIB equal to the desired BGP paths over the GoBGP v3 gRPC API
 * ({@code apipb.GobgpApi}). Generated {@code apipb} types never leave this package; the public
 * surface is {@link net.rrispeaker.sink.gobgp.GobgpSink} and {@link net.rrispeaker.sink.gobgp.SinkStatus}.
 *
 * <p>What to change is decided without I/O, in classes tested without sockets: {@code PendingPaths}
 * (the hand-over from the core: the desired set, and the changes not taken yet, collapsed by key),
 * {@code HeldPaths} (which listed paths are ours, and what gobgpd holds of ours), {@code WantedPaths}
 * (the desired paths normalised to the form gobgpd will hold them, or frozen when they cannot be
 * written now), {@code PathDiff} (the changes between the two, key by key, in write order; for
 * every key after a (re)connect, for the changed keys otherwise) and {@code Backoff}. {@code SinkWorker} does the
 * threading, the gRPC calls ({@code GobgpClient}, {@code PathWriter}, {@code VrfTable}) and the
 * retries.
 *
 * <p>Facts checked by hand against Debian gobgpd 3.10.0 (two daemons peering eBGP over a veth
 * pair, IPv4, IPv6 and VPNv4 sessions, API on a {@code unix://} socket, 2026-11):
 * <ul>
 *   <li>{@code Path.identifier} round-trips: ListPath returns the identifier we set on AddPath /
 *       AddPathStream, for global unicast and for VPN paths, so it is our marker (default 21074).
 *       Local paths show {@code neighbor_ip = source_id = "<nil>"} and {@code source_asn = 0}.
 *       The identifier is part of the path identity: a delete without it leaves our path alone.</li>
 *   <li>Deleting a path that is not there is a no-op (no error), so replaying a failed stream path
 *       by path is safe.</li>
 *   <li>A withdrawal in AddPathStream needs only family, NLRI, identifier and
 *       {@code is_withdraw = true} (no attributes); it was applied and reached the peer.</li>
 *   <li>"Self" next hop: IPv4 {@code NEXT_HOP 0.0.0.0} and IPv6 {@code MP_REACH next_hops ["::"]}
 *       are held as {@code 0.0.0.0} / {@code ::} and advertised to the eBGP peer as gobgpd's session
 *       address (10.99.0.1 / fd00:99::1).</li>
 *   <li>AddPath with {@code table_type = VRF} puts the path into the VPNv4 table with the VRF's RD
 *       and appends the VRF's export RTs to the path's own. ListPath on the VRF table shows only
 *       paths whose RTs the VRF imports (a VRF with import 65000:10 / export 65000:11 lists as
 *       empty), so a resync reads VPNv4/VPNv6 from the global table and maps RD to VRF.</li>
 *   <li>A gobgpd restart ends the WatchEvent stream; the sink reconnected, re-created the VRF and
 *       re-announced everything about 1.6 s after the kill.</li>
 *   <li>grpc-java (netty-shaded) reaches {@code unix:///path}; it logs a harmless
 *       "Unknown channel option 'SO_KEEPALIVE'" WARN for a domain socket.</li>
 * </ul>
 */
package net.rrispeaker.sink.gobgp;
