/**
 * The FRR sink: the speaker's routes as FRR static routes (staticd, through vtysh), for FRR's own
 * {@code redistribute static} into OSPF, OSPFv3, IS-IS, RIP or BGP. Public surface:
 * {@link net.rrispeaker.sink.frr.FrrSink} (a {@link net.rrispeaker.sink.RouteSink}) and
 * {@link net.rrispeaker.sink.frr.FrrStatus}.
 *
 * <p>Pure, tested without FRR: {@code StaticLine} (a route as staticd prints it, and back),
 * {@code StaticConfig} (staticd's configuration text, VRF blocks), {@code StaticSync} (wanted vs held
 * vs ours: the next batch). {@code FrrWorker} does the threading, batching and vtysh calls
 * ({@code ProcessVtysh}), {@code StateFile} remembers which routes are ours.
 *
 * <p>Facts checked by hand against Debian FRR 8.4.4 (zebra, staticd, ospfd in a network namespace):
 * <ul>
 *   <li>{@code ip route 10.81.2.0/29 10.255.0.2 tag 5 20} is printed back exactly so; distance 1
 *       and tag 0 are not printed ({@code tag 0} is refused). Order: gateway, interface, tag,
 *       distance, then {@code table}, {@code onlink}, {@code nexthop-vrf}.</li>
 *   <li>Static routes have no name or description in 8.4 ({@code ip route ... name} does not
 *       exist): the speaker keeps its own list in a state file.</li>
 *   <li>The tag belongs to staticd's path (prefix, table, distance), not to the next hop: adding
 *       {@code ip route P B tag 5 20} beside an operator's {@code ip route P A 20} re-tags the
 *       operator's route to 5, and it stays 5 after ours is removed. Hence the conflict rule.</li>
 *   <li>{@code vtysh -f FILE} carries on past a bad line, prints {@code line N: % ...} and exits 2;
 *       {@code no ip route} of a route that is not there prints "Refusing to remove a non-existent
 *       route" and exits 2 too. {@code -d staticd} sends both the {@code vrf NAME} blocks and the
 *       routes to staticd only; a route in a VRF that does not exist yet is kept (inactive).</li>
 *   <li>Routes in {@code vrf NAME} are printed inside {@code vrf NAME ... exit-vrf}, even when
 *       written as {@code ip route ... vrf NAME}.</li>
 * </ul>
 */
package net.rrispeaker.sink.frr;
