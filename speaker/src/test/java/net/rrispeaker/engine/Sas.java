package net.rrispeaker.engine;

import java.util.Arrays;
import java.util.List;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.RouteKind;

/** Test builder for installed CHILD_SAs. */
final class Sas {
    private Sas() {
    }

    /** An SA of {@code connection} from {@code remoteHost} with these remote selectors. */
    static ChildSa sa(String connection, String remoteHost, String... remoteTs) {
        return sa(connection, remoteHost, 0, remoteTs);
    }

    static ChildSa sa(String connection, String remoteHost, long ifId, String... remoteTs) {
        List<Prefix> ts = Arrays.stream(remoteTs).map(Prefix::parse).toList();
        return new ChildSa(connection, 1, "child", 7, 1, Addresses.parse("192.0.2.1"), Addresses.parse(remoteHost),
                "peer", List.of(Prefix.parse("10.80.0.0/16")), ts, ifId, List.of());
    }

    static Route route(String vrf, String prefix, String nextHop, String iface, int distance, long tag, RouteKind kind,
                       String origin) {
        return new Route(vrf, Prefix.parse(prefix), nextHop == null ? null : Addresses.parse(nextHop), iface, distance,
                tag, kind, origin);
    }
}
