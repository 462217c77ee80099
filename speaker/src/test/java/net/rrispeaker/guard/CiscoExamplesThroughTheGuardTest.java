package net.rrispeaker.guard;

import static net.rrispeaker.guard.GuardFixture.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.Stream;
import net.rrispeaker.config.Config;
import net.rrispeaker.engine.RriEngine;
import net.rrispeaker.model.ChildSa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cisco's configuration examples (the ones the engine's golden tests check) and the SAs they are
 * written for: the guard, with its defaults, lets every route they make through.
 */
class CiscoExamplesThroughTheGuardTest {

    static Stream<Arguments> examples() {
        List<String> lan = List.of("10.80.0.0/16");
        return Stream.of(
                Arguments.of("static map, crypto ACL, SA-based reverse-route", """
                        crypto map mymap 1 ipsec-isakmp
                        set peer 10.1.1.1
                        reverse-route
                        match address 102
                        access-list 102 permit ip 192.168.1.0 0.0.0.255 10.0.0.0 0.0.255.255
                        """, sa("mymap", 1, "10.1.1.1", lan, "10.0.0.0/16")),
                Arguments.of("remote-peer: the proxy and the peer host route via the interface", """
                        crypto map mymap 1 ipsec-isakmp
                         set peer 10.1.1.1
                         reverse-route remote-peer
                        interface FastEthernet0/0
                         crypto map mymap
                        """, sa("mymap", 1, "10.1.1.1", lan, "10.0.0.0/24")),
                Arguments.of("remote-peer IP gateway, VRF", """
                        vrf definition cust
                         rd 65000:7
                        crypto isakmp profile p1
                         vrf cust
                        crypto dynamic-map mymap 1
                         set isakmp-profile p1
                         reverse-route remote-peer 10.4.4.4 gateway
                         set reverse-route distance 20
                        """, sa("mymap", 1, "10.1.1.1", lan, "10.0.0.0/24")),
                Arguments.of("remote-peer IP", "crypto map mymap 1 ipsec-isakmp\n set peer 10.1.1.1\n"
                        + " reverse-route remote-peer 10.4.4.4\n", sa("mymap", 1, "10.1.1.1", lan, "10.0.0.0/24")),
                Arguments.of("distance on a dynamic map, host selector", """
                        crypto dynamic-map mymap 1
                         set reverse-route distance 20
                         reverse-route
                        """, sa("mymap", 1, "10.0.0.14", lan, "192.168.6.1/32")),
                Arguments.of("VTI via Virtual-Template", """
                        crypto ipsec profile vi
                         set reverse-route distance 20
                        interface Virtual-Template1 type tunnel
                         tunnel protection ipsec profile vi
                        """, new ChildSa("vi", 1, "lan", 1, 1, sa(1, "10.0.0.14").localHost(),
                        sa(1, "10.0.0.14").remoteHost(), "peer", sa(1, "10.0.0.14").localTs(),
                        List.of(net.rrispeaker.model.Prefix.parse("192.168.6.1/32")), 2, List.of())),
                Arguments.of("head-end dynamic map, SOHO peer", """
                        crypto dynamic-map dmap 10
                        reverse-route
                        crypto map test 1 ipsec-isakmp dynamic dmap
                        ip route 0.0.0.0 0.0.0.0 10.81.0.1
                        """, sa("dmap", 1, "198.51.100.165", List.of("10.81.0.0/29"), "10.81.2.0/29")));
    }

    /**
     * The HA guide's static-map example protects 172.17.11.0/24 behind peer 172.17.11.1: the route
     * would contain the peer's own outer address, so its IKE and ESP would be routed into the
     * tunnel. The engine makes the route (its golden test is unchanged); the guard refuses it.
     */
    @Test
    void theExampleWhoseProxyContainsThePeerItselfIsRefused() throws Exception {
        GuardFixture f = GuardFixture.of("""
                crypto map mymap 1 ipsec-isakmp
                   set peer 172.17.11.1
                   reverse-route
                   match address 101
                access-list 101 permit ip 192.168.1.0 0.0.0.255 172.17.11.0 0.0.0.255
                """);
        ChildSa sa = sa("mymap", 1, "172.17.11.1", List.of("192.168.1.0/24"), "172.17.11.0/24");
        assertEquals(List.of(), f.up(sa));
        assertEquals(List.of("172.17.11.0/24 peer-address"), f.refusals(sa));
        assertEquals("announced", f.verdict(sa("mymap", 2, "172.17.11.1", List.of("192.168.1.0/24"), "172.17.11.128/25")),
                "a part of it that leaves the peer out is fine");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyRouteOfTheExampleIsAnnounced(String name, String text, ChildSa sa) throws Exception {
        Config c = GuardFixture.parse(text);
        List<net.rrispeaker.model.Route> engine = RriEngine.routesFor(c, sa);
        assertFalse(engine.isEmpty());
        GuardFixture f = GuardFixture.of(text);
        f.guard.up(sa, 0);
        assertEquals(engine, f.guard.admitted(sa.id()));
        assertEquals(List.of(), f.refused);
    }
}
