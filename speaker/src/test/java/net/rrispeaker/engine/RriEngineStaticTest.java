package net.rrispeaker.engine;

import static net.rrispeaker.engine.RriEngineTest.config;
import static net.rrispeaker.engine.Sas.route;
import static net.rrispeaker.engine.Sas.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.rrispeaker.config.Config;
import net.rrispeaker.ios.ConfigException;
import org.junit.jupiter.api.Test;
import net.rrispeaker.model.RouteKind;

/** Static maps, remote-peer forms, VRFs, profiles and manual routes. */
class RriEngineStaticTest {

    @Test
    void staticRoutesComeFromEveryPermitDestinationViaTheFirstPeerWithTagAndDistance() throws Exception {
        Config c = config("""
                ip access-list extended CRYPTO
                 permit ip 192.168.1.0 0.0.0.255 172.17.11.0 0.0.0.255
                 deny ip any host 172.17.12.1
                 permit ip 192.168.1.0 0.0.0.255 host 172.17.12.9
                crypto map m 10 ipsec-isakmp
                 set peer 172.17.11.1
                 set peer 172.17.11.2
                 match address CRYPTO
                 reverse-route static
                 set reverse-route tag 44
                 set reverse-route distance 5
                """);
        assertEquals(List.of(
                route("", "172.17.11.0/24", "172.17.11.1", null, 5, 44, RouteKind.RRI_STATIC, "crypto map m 10"),
                route("", "172.17.12.9/32", "172.17.11.1", null, 5, 44, RouteKind.RRI_STATIC, "crypto map m 10")),
                RriEngine.configRoutes(c));
    }

    @Test
    void remotePeerAddressGatewayStaticMakesProxyViaPeerAndPeerViaGateway() throws Exception {
        Config c = config("""
                access-list 101 permit ip 192.168.1.0 0.0.0.255 172.17.11.0 0.0.0.255
                crypto map m 10 ipsec-isakmp
                 set peer 172.17.11.1
                 match address 101
                 reverse-route remote-peer 10.4.4.4 gateway static
                """);
        assertEquals(List.of(
                route("", "172.17.11.0/24", "172.17.11.1", null, 1, 0, RouteKind.RRI_STATIC, "crypto map m 10"),
                route("", "172.17.11.1/32", "10.4.4.4", null, 1, 0, RouteKind.RRI_STATIC, "crypto map m 10")),
                RriEngine.configRoutes(c));
    }

    @Test
    void theMapsInterfaceVrfHoldsItsRoutesAndAnIsakmpProfileVrfOverridesTheProxyTable() throws Exception {
        Config c = config("""
                ip vrf outside
                 rd 65000:1
                vrf definition inside
                 rd 65000:2
                crypto isakmp profile ip1
                 vrf inside
                crypto map m 10 ipsec-isakmp
                 set peer 198.51.100.1
                 reverse-route remote-peer
                crypto map m 20 ipsec-isakmp
                 set peer 198.51.100.2
                 set isakmp-profile ip1
                 reverse-route remote-peer
                interface eth0
                 ip vrf forwarding outside
                 crypto map m
                """);
        assertEquals(List.of(
                route("outside", "10.1.0.0/24", "198.51.100.1", null, 1, 0, RouteKind.RRI, "crypto map m 10"),
                route("outside", "198.51.100.1/32", null, "eth0", 1, 0, RouteKind.RRI, "crypto map m 10")),
                RriEngine.routesFor(c, sa("m", "198.51.100.1", "10.1.0.0/24")));
        assertEquals(List.of(
                route("inside", "10.2.0.0/24", "198.51.100.2", null, 1, 0, RouteKind.RRI, "crypto map m 20"),
                route("outside", "198.51.100.2/32", null, "eth0", 1, 0, RouteKind.RRI, "crypto map m 20")),
                RriEngine.routesFor(c, sa("m", "198.51.100.2", "10.2.0.0/24")));
    }

    @Test
    void remotePeerWithoutAnInterfaceIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> config("crypto dynamic-map d 1\n reverse-route remote-peer\n"));
        assertTrue(e.getMessage().startsWith("t.conf:2: error: dynamic-map d 1: reverse-route remote-peer routes the peer via "
                + "the interface the crypto map is applied to, and this map is applied to none"), e.getMessage());
    }

    @Test
    void nonContiguousWildcardAndStandardListsAndMissingReferencesAreRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> config("""
                access-list 101 permit ip any 10.0.0.0 0.255.0.255
                access-list 1 permit 10.0.0.0 0.0.0.255
                crypto map m 10 ipsec-isakmp
                 set peer 192.0.2.1
                 match address 101
                 reverse-route static
                crypto map m 20 ipsec-isakmp
                 set peer 192.0.2.2
                 match address 1
                 reverse-route static
                crypto map m 30 ipsec-isakmp
                 match address NOPE
                 reverse-route static
                crypto map m 40 ipsec-isakmp dynamic nodyn
                ip route vrf blue 10.0.0.0 255.0.0.0 192.0.2.1
                """));
        assertEquals(List.of(
                "t.conf:1: error: crypto map m 10 (reverse-route static): access-list 101 entry 'access-list 101 permit ip any "
                        + "10.0.0.0 0.255.0.255': destination '10.0.0.0 0.255.0.255' has a non-contiguous wildcard, "
                        + "which is not a prefix a route can be made for",
                "t.conf:10: error: crypto map m 20 (reverse-route static): access-list 1 is a standard list; a crypto ACL "
                        + "needs destinations (expected: an extended access list)",
                "t.conf:11: error: crypto map m 30: access list 'NOPE' is not defined",
                "t.conf:13: error: crypto map m 30: reverse-route static routes via the first peer (expected: set peer ADDRESS)",
                "t.conf:14: error: crypto map m 40: dynamic-map 'nodyn' is not defined",
                "t.conf:15: error: ip route: vrf 'blue' is not defined (expected: vrf definition blue or ip vrf blue)"),
                e.problems().stream().map(Object::toString).toList());
    }

    @Test
    void profileRoutesGoViaTheProtectedTunnelInterfaceInItsVrf() throws Exception {
        Config c = config("""
                vrf definition red
                 rd 1:1
                crypto ipsec profile branch
                 match ipsec-connection branch-*
                 set reverse-route tag 3
                interface Tunnel5
                 vrf forwarding red
                 tunnel protection ipsec profile branch
                """);
        assertEquals(List.of(route("red", "10.5.0.0/16", null, "Tunnel5", 1, 3, RouteKind.VTI, "profile branch")),
                RriEngine.routesFor(c, sa("branch-7", "198.51.100.7", 7, "10.5.0.0/16")));
        Config bare = config("crypto ipsec profile vti\n");
        assertEquals(List.of(route("", "10.5.0.0/16", "198.51.100.7", null, 1, 0, RouteKind.VTI, "profile vti")),
                RriEngine.routesFor(bare, sa("vti", "198.51.100.7", "10.5.0.0/16")));
    }

    @Test
    void manualRoutesKeepDistanceTagAndInterface() throws Exception {
        Config c = config("""
                ip route 10.9.0.0 255.255.0.0 Null0 250 tag 9 name blackhole permanent
                ipv6 route 2001:db8:9::/48 2001:db8::1 30
                """);
        assertEquals(List.of(
                route("", "10.9.0.0/16", null, "Null0", 250, 9, RouteKind.MANUAL, "ip route (line 1)"),
                route("", "2001:db8:9::/48", "2001:db8::1", null, 30, 0, RouteKind.MANUAL, "ip route (line 2)")),
                RriEngine.configRoutes(c));
    }

    @Test
    void aStaticEntryWithPeersCoversOnlySasFromThosePeers() throws Exception {
        Config c = config("""
                crypto map m 10 ipsec-isakmp
                 set peer 192.0.2.1
                 reverse-route
                crypto map m 20 ipsec-isakmp
                 reverse-route
                 set reverse-route tag 20
                """);
        assertEquals(0, RriEngine.routesFor(c, sa("m", "192.0.2.1", "10.1.0.0/24")).get(0).tag());
        assertEquals(20, RriEngine.routesFor(c, sa("m", "192.0.2.99", "10.1.0.0/24")).get(0).tag());
    }
}
