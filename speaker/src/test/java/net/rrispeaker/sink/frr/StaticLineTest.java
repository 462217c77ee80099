package net.rrispeaker.sink.frr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.RouteKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StaticLineTest {

    static Route route(String vrf, String prefix, String nextHop, String iface, int distance, long tag) {
        return new Route(vrf, Prefix.parse(prefix), nextHop == null ? null : Addresses.parse(nextHop), iface, distance,
                tag, RouteKind.RRI, "DYN 10");
    }

    @ParameterizedTest(name = "{0} {1} via {2} {3} dist {4} tag {5}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // IOS RRI: tag and distance from set reverse-route; FRR prints the tag before the distance
        "''  | 10.81.2.0/29    | 10.255.0.2  | -      | 20 | 5  | ip route 10.81.2.0/29 10.255.0.2 tag 5 20",
        // defaults: distance 1 and tag 0 are not printed (FRR refuses 'tag 0')
        "''  | 10.81.2.0/29    | 10.255.0.2  | -      | 1  | 0  | ip route 10.81.2.0/29 10.255.0.2",
        "''  | 10.81.2.0/29    | 10.255.0.2  | -      | 1  | 7  | ip route 10.81.2.0/29 10.255.0.2 tag 7",
        "''  | 10.81.2.0/29    | 10.255.0.2  | -      | 30 | 0  | ip route 10.81.2.0/29 10.255.0.2 30",
        // reverse-route remote-peer: the peer /32 via the interface only; gateway form: both
        "''  | 192.0.2.2/32    | -           | eth0   | 1  | 0  | ip route 192.0.2.2/32 eth0",
        "''  | 10.81.4.0/29    | 192.0.2.9   | xfrm42 | 1  | 4294967295 | ip route 10.81.4.0/29 192.0.2.9 xfrm42 tag 4294967295",
        "''  | fd00:81:2::/64  | fd00:255::2 | -      | 20 | 5  | ipv6 route fd00:81:2::/64 fd00:255::2 tag 5 20",
        "''  | fd00:81:3::/64  | fe80::1     | wan0   | 255| 0  | ipv6 route fd00:81:3::/64 fe80::1 wan0 255",
        // a VRF is not part of the line: it goes into the vrf block
        "red | 10.9.0.0/24     | 10.255.0.9  | -      | 40 | 9  | ip route 10.9.0.0/24 10.255.0.9 tag 9 40",
    })
    void rendersAsStaticdPrintsIt(String vrf, String prefix, String nextHop, String iface, int distance, long tag,
                                  String expected) throws Exception {
        StaticLine l = StaticLine.of(route(vrf, prefix, nextHop, iface, distance, tag));
        assertEquals(expected, l.text());
        assertEquals(vrf, l.vrf());
        assertEquals(distance, l.distance());
        assertEquals(tag, l.tag());
        assertEquals("no " + expected, l.removal());
        // and what FRR prints back is the same line
        assertEquals(l, StaticLine.parse(vrf, expected));
    }

    @Test
    void readsBackWhatFrrPrintsInAnyAddressSpelling() throws Exception {
        StaticLine ours = StaticLine.of(route("", "fd00:81:2::/64", "fd00:255::2", null, 20, 5));
        assertEquals(ours, StaticLine.parse("", "ipv6 route FD00:81:2:0::/64 fd00:255:0:0:0:0:0:2 tag 5 20"));
        assertEquals(ours.text(), StaticLine.parse("", "  ipv6 route fd00:81:2::/64 fd00:255::2 tag 5 20").text());
        // the mask form an operator may type
        assertEquals(StaticLine.of(route("", "10.81.2.0/29", "10.255.0.2", null, 1, 0)),
                StaticLine.parse("", "ip route 10.81.2.0 255.255.255.248 10.255.0.2"));
    }

    @Test
    void linesWithWhatTheSpeakerNeverWritesAreOperatorsKeptAsWritten() {
        StaticLine table = StaticLine.parse("", "ip route 10.82.0.0/24 10.255.0.5 v0 tag 4 30 table 10 onlink");
        assertFalse(table.plain());
        assertEquals("ip route 10.82.0.0/24 10.255.0.5 v0 tag 4 30 table 10 onlink", table.text());
        assertEquals(30, table.distance());
        assertEquals(4, table.tag());
        assertEquals(10, table.table());
        assertFalse(StaticLine.parse("", "ip route 10.83.0.0/24 blackhole tag 2").plain());
        assertFalse(StaticLine.parse("", "ip route 10.84.0.0/24 10.255.0.5 5 nexthop-vrf red").plain());
        assertEquals(5, StaticLine.parse("", "ip route 10.84.0.0/24 10.255.0.5 5 nexthop-vrf red").distance());
        assertFalse(StaticLine.parse("", "ipv6 route fd00::/64 from fd01::/64 fd00:255::2").plain());
        assertEquals(new StaticLine.Dest("", "10.83.0.0/24"),
                StaticLine.parse("", "ip route 10.83.0.0/24 blackhole tag 2").dest());
    }

    @Test
    void otherLinesAreNotRoutes() {
        assertNull(StaticLine.parse("", "hostname vm"));
        assertNull(StaticLine.parse("", "ip prefix-list X seq 5 permit 10.0.0.0/8"));
        assertNull(StaticLine.parse("", "ipv6 forwarding"));
    }

    @Test
    void aRouteFrrCannotTakeIsRefusedWithTheReason() {
        var e = assertThrows(StaticLine.RenderException.class,
                () -> StaticLine.of(route("", "10.81.2.0/29", null, "Gi 0/1", 1, 0)));
        assertTrue(e.getMessage().contains("'Gi 0/1'"), e.getMessage());
        assertThrows(StaticLine.RenderException.class,
                () -> StaticLine.of(route("", "10.81.2.0/29", null, "eth0!", 1, 0)));
    }
}
