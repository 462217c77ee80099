package net.rrispeaker.engine;

import static net.rrispeaker.engine.Sas.route;
import static net.rrispeaker.engine.Sas.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.rrispeaker.config.Config;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.ios.ConfigProblem;
import org.junit.jupiter.api.Test;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.RouteKind;

/**
 * Every configuration example of the Cisco documents in docs/references.md, parsed, and the routes
 * it produces compared with what the document says. Test names start with the document's label
 * ({@code rriXe} = [RRI-XE], {@code rriIos} = [RRI-IOS], {@code vpnHa} = [VPN-HA], {@code rriSupp}
 * = [RRI-SUPP], {@code rriXeJa} = [RRI-XE-JA]) followed by the example's title. Glue lines a Linux
 * deployment needs (and the document implies) are marked "glue" in the text; everything else is
 * the document's text as printed.
 */
class CiscoExamplesGoldenTest {

    private static Config config(String text) throws ConfigException {
        return RriEngineTest.config(text);
    }

    private static boolean noted(Config c, String text) {
        return c.notes().stream().map(ConfigProblem::toString).anyMatch(n -> n.contains(text));
    }

    /** [RRI-XE], [RRI-IOS], [RRI-XE-JA] "Configuring RRI When Crypto ACLs Exist Example" (pre-12.3(14)T text, read with today's semantics). */
    private static final String CRYPTO_ACLS_EXIST = """
            crypto map mymap 1 ipsec-isakmp
            set peer 10.1.1.1
            reverse-route
            set transform-set esp-3des-sha
            match address 102
            Interface FastEthernet 0/0/1
            ip address 192.168.0.2 255.255.255.0
            standby name group1
            standby ip 192.168.0.3
            crypto map mymap redundancy group1
            access-list 102 permit ip 192.168.1.0 0.0.0.255 10.0.0.0 0.0.255.255
            """;

    @Test
    void rriXe_configuringRriWhenCryptoAclsExist() throws Exception {
        Config c = config(CRYPTO_ACLS_EXIST);
        // plain reverse-route on a static map is SA-based since 12.3(14)T: nothing without an SA
        assertTrue(RriEngine.configRoutes(c).isEmpty());
        assertEquals(List.of(route("", "10.0.0.0/16", "10.1.1.1", null, 1, 0, RouteKind.RRI, "crypto map mymap 1")),
                RriEngine.routesFor(c, sa("mymap", "10.1.1.1", "10.0.0.0/16")));
        assertEquals("group1", c.crypto().interfaces().get("FastEthernet0/0/1").redundancyGroup());
        assertTrue(noted(c, "ignored: set transform-set (IPsec only, not routing)"));
        assertTrue(noted(c, "ignored: standby name"));
    }

    @Test
    void rriXeJa_configuringRriWhenCryptoAclsExist() throws Exception {
        rriXe_configuringRriWhenCryptoAclsExist(); // the Japanese edition prints the same configuration
    }

    @Test
    void rriIos_configuringRriWhenCryptoAclsExist_prior12_3_14T_withStaticKeyword() throws Exception {
        // [RRI-IOS]: "for the static map to retain this same behavior ... the static keyword is required"
        Config c = config(CRYPTO_ACLS_EXIST.replace("reverse-route\n", "reverse-route static\n"));
        assertEquals(List.of(route("", "10.0.0.0/16", "10.1.1.1", null, 1, 0, RouteKind.RRI_STATIC, "crypto map mymap 1")),
                RriEngine.configRoutes(c));
        assertTrue(RriEngine.routesFor(c, sa("mymap", "10.1.1.1", "10.0.0.0/16")).isEmpty());
    }

    @Test
    void rriIos_remoteEndpointAndRouteRecursionRoute() throws Exception {
        // the example shows only "reverse-route remote-peer"; glue: the map entry and its interface
        Config c = config("""
                crypto map mymap 1 ipsec-isakmp
                 set peer 10.1.1.1
                 reverse-route remote-peer
                interface FastEthernet0/0
                 crypto map mymap
                """);
        assertEquals(List.of(
                        route("", "10.0.0.0/24", "10.1.1.1", null, 1, 0, RouteKind.RRI, "crypto map mymap 1"),
                        route("", "10.1.1.1/32", null, "FastEthernet0/0", 1, 0, RouteKind.RRI, "crypto map mymap 1")),
                RriEngine.routesFor(c, sa("mymap", "10.1.1.1", "10.0.0.0/24")));
        assertTrue(noted(c, "pre-12.4(15)T form"));
    }

    @Test
    void rriIos_configuringRriWhenCryptoAclsExist_12_3_14T() throws Exception {
        Config c = config("""
                crypto map mymap 1 ipsec-isakmp
                   set peer 172.17.11.1
                   reverse-route static
                   set transform-set esp-3des-sha
                   match address 101
                access-list 101 permit ip 192.168.1.0 0.0.0.255 172.17.11.0 0.0.0.255
                """);
        // the ACL DESTINATION is the remote proxy; present with no SA at all
        assertEquals(List.of(route("", "172.17.11.0/24", "172.17.11.1", null, 1, 0, RouteKind.RRI_STATIC,
                "crypto map mymap 1")), RriEngine.configRoutes(c));
    }

    @Test
    void rriIos_configuringRriWithRouteTags_12_3_14T_legacyTag() throws Exception {
        Config c = config("""
                crypto dynamic-map ospf-clients 1
                 reverse-route tag 5
                router ospf 109
                 redistribute rip route-map rip-to-ospf
                route-map rip-to-ospf permit
                 match tag 5
                 set metric 5
                 set metric-type type1
                """);
        assertEquals(List.of(route("", "10.81.7.48/29", "192.168.82.25", null, 1, 5, RouteKind.RRI,
                "dynamic-map ospf-clients 1")), RriEngine.routesFor(c, sa("ospf-clients", "192.168.82.25", "10.81.7.48/29")));
        assertTrue(noted(c, "legacy 'reverse-route tag 5'"));
    }

    @Test
    void rriIos_configuringRriWithRouteTags_12_4_15T() throws Exception {
        Config c = config("""
                crypto dynamic-map ospf-clients 1
                 set reverse-route tag 5
                 reverse-route
                router ospf 109
                 redistribute rip route-map rip-to-ospf
                """); // glue: "reverse-route" (the example shows only the tag line)
        assertEquals(List.of(route("", "10.81.7.48/29", "192.168.82.25", null, 1, 5, RouteKind.RRI,
                "dynamic-map ospf-clients 1")), RriEngine.routesFor(c, sa("ospf-clients", "192.168.82.25", "10.81.7.48/29")));
    }

    @Test
    void rriIos_oneRouteToTheRemoteProxyViaAUserDefinedNextHop_12_3_14T() throws Exception {
        // glue: the crypto map entry around the example's "reverse-route remote-peer 10.4.4.4"
        Config c = config("crypto map mymap 1 ipsec-isakmp\n set peer 10.1.1.1\n reverse-route remote-peer 10.4.4.4\n");
        assertEquals(List.of(route("", "10.0.0.0/24", "10.4.4.4", null, 1, 0, RouteKind.RRI, "crypto map mymap 1")),
                RriEngine.routesFor(c, sa("mymap", "10.1.1.1", "10.0.0.0/24")));
    }

    @Test
    void rriIos_gatewayOption_12_4_15T_twoRoutesPeerHostRouteInTheGlobalTable() throws Exception {
        // glue: VRF via the isakmp profile so the two tables differ as "Gateway Option" describes
        Config c = config("""
                vrf definition cust
                 rd 65000:7
                crypto isakmp profile p1
                 vrf cust
                crypto dynamic-map mymap 1
                 set isakmp-profile p1
                 reverse-route remote-peer 10.4.4.4 gateway
                 set reverse-route distance 20
                """);
        assertEquals(List.of(
                        route("cust", "10.0.0.0/24", "10.1.1.1", null, 20, 0, RouteKind.RRI, "dynamic-map mymap 1"),
                        route("", "10.1.1.1/32", "10.4.4.4", null, 20, 0, RouteKind.RRI, "dynamic-map mymap 1")),
                RriEngine.routesFor(c, sa("mymap", "10.1.1.1", "10.0.0.0/24")));
    }

    @Test
    void rriIos_configuringRriDistanceMetricUnderACryptoMap_12_4_15T() throws Exception {
        Config c = config("""
                crypto isakmp profile profile1
                crypto dynamic-map mymap
                 set security-association lifetime seconds 300
                 set transform-set 3dessha
                 set isakmp-profile profile1
                 set reverse-route distance 20
                 reverse-route
                crypto ipsec client ezvpn ez
                 connect auto
                 group cisco key cisco
                 mode client
                 peer 10.0.0.119
                 username XXX password XXX
                 xauth userid mode local
                """); // glue: "crypto isakmp profile profile1" (referenced, defined in the VTI example)
        // debug output: "VPN Route Added 192.168.6.1 255.255.255.255 via 10.0.0.14 in IP DEFAULT TABLE with tag 0 distance 20"
        assertEquals(List.of(route("", "192.168.6.1/32", "10.0.0.14", null, 20, 0, RouteKind.RRI, "dynamic-map mymap 1")),
                RriEngine.routesFor(c, sa("mymap", "10.0.0.14", "192.168.6.1/32")));
        assertTrue(noted(c, "has no sequence number; taken as 1"));
        assertTrue(noted(c, "ignored: crypto ipsec client ezvpn"));
    }

    @Test
    void rriIos_configuringRriDistanceMetricForAVti_12_4_15T() throws Exception {
        Config c = config("""
                crypto isakmp profile profile1
                 keyring mykeyring
                 match identity group cisco
                 client authentication list authenlist
                 isakmp authorization list autholist
                 client configuration address respond
                 virtual-template 1
                crypto ipsec profile vi
                 set transform-set 3dessha
                 set reverse-route distance 20
                 set isakmp-profile profile1
                !
                interface Virtual-Template1 type tunnel
                 ip unnumbered
                 tunnel mode ipsec ipv4
                 tunnel protection ipsec profile vi
                """);
        // "VPN Route Added 192.168.6.1 255.255.255.255 via Virtual-Access2 ... tag 0 distance 20": on Linux the
        // cloned interface is the SA's XFRM interface
        assertEquals(List.of(route("", "192.168.6.1/32", null, "xfrm2", 20, 0, RouteKind.VTI, "profile vi")),
                RriEngine.routesFor(c, sa("vi", "10.0.0.14", 2, "192.168.6.1/32")));
    }

    @Test
    void vpnHa_reverseRouteInjectionOnADynamicCryptoMap() throws Exception {
        Config c = config("""
                crypto dynamic mydynmap 1
                    set transform-set esp-3des-sha
                    reverse-route
                crypto map mymap 3 ipsec-isakmp dynamic mydynmap
                interface FastEthernet 0/0
                crypto map mymap
                """);
        assertEquals(List.of(route("", "10.9.0.0/24", "198.51.100.4", null, 1, 0, RouteKind.RRI, "dynamic-map mydynmap 1")),
                RriEngine.routesFor(c, sa("mydynmap", "198.51.100.4", "10.9.0.0/24")));
        assertTrue(noted(c, "'crypto dynamic' taken as 'crypto dynamic-map'"));
    }

    @Test
    void vpnHa_reverseRouteInjectionOnAStaticCryptoMap() throws Exception {
        Config c = config("""
                crypto map mymap 1 ipsec-isakmp
                   set peer 172.17.11.1
                   reverse-route
                   set transform-set esp-3des-sha
                   match address 101
                crypto map mymap 2 ipsec-isakmp
                   set peer 10.1.1.1
                   set transform-set esp-3des-sha
                   match address 102

                access-list 101 permit ip 192.168.1.0 0.0.0.255 172.17.11.0 0.0.0.255
                access-list 102 permit ip 192.168.1.0 0.0.0.255 10.0.0.0 0.0.255.255

                interface FastEthernet 0/0
                    crypto map mymap
                """);
        assertEquals(List.of(route("", "172.17.11.0/24", "172.17.11.1", null, 1, 0, RouteKind.RRI, "crypto map mymap 1")),
                RriEngine.routesFor(c, sa("mymap", "172.17.11.1", "172.17.11.0/24")));
        // "RRI is enabled for mymap 1, but not for mymap 2"
        assertTrue(RriEngine.routesFor(c, sa("mymap", "10.1.1.1", "10.0.0.0/16")).isEmpty());
        assertEquals("crypto map mymap 2", RriEngine.bindingFor(c, sa("mymap", "10.1.1.1", "10.0.0.0/16")).get().origin());
    }

    @Test
    void vpnHa_hsrpAndIpsec() throws Exception {
        Config c = config("""
                crypto map mymap 1 ipsec-isakmp
                     set peer 10.1.1.1
                    reverse-route
                    set transform-set esp-3des-sha
                    match address 102
                Interface FastEthernet 0/0
                   ip address 192.168.0.2 255.255.255.0
                   standby name group1
                   standby ip 192.168.0.3
                   crypto map mymap redundancy group1
                access-list 102 permit ip 192.168.1.0 0.0.0.255 10.0.0.0 0.0.255.255
                """);
        assertEquals(1, RriEngine.routesFor(c, sa("mymap", "10.1.1.1", "10.0.0.0/16")).size());
        assertEquals("group1", c.crypto().interfaces().get("FastEthernet0/0").redundancyGroup());
    }

    /** [RRI-SUPP] head-end gateway-1, public address "64.yy.yy.a" replaced by 192.0.2.10 (glue: not an address). */
    private static final String RRI_SUPP_GATEWAY1 = """
            !
            hostname gateway-1
            !
            crypto isakmp policy 1
            encr 3des
            crypto isakmp keepalive 10
            !
            crypto ipsec transform-set t1 esp-3des esp-sha-hmac
            mode transport
            crypto ipsec transform-set t2 esp-3des esp-sha-hmac
            !
            crypto dynamic-map dmap 10
            set transform-set t1 t2
            reverse-route
            !
            crypto map test local-address Loopback0
            crypto map test 1 ipsec-isakmp dynamic dmap
            !
            interface Loopback0
            description Public address
            ip address 192.0.2.10 255.255.255.255
            !
            interface FastEthernet0/0
            description Private
            ip address 10.81.0.3 255.255.255.248
            no ip redirects
            ip route-cache same-interface
            standby 1 ip 10.81.0.5
            standby 1 priority 120
            standby 1 preempt
            crypto map test
            !
            interface FastEthernet0/1
            description X-Over cable to gateway-2
            ip address 192.168.81.3 255.255.255.0
            !
            router eigrp 64
            redistribute static metric 1000 100 255 1 1500 route-map RRI
            passive-interface FastEthernet0/0
            network 192.168.81.0
            no auto-summary
            eigrp log-neighbor-changes
            no eigrp log-neighbor-warnings
            !
            ip route 0.0.0.0 0.0.0.0 10.81.0.1
            !
            access-list 1 remark Home user address pool(s)
             access-list 1 remark 10.81.2.0 / 23
            access-list 1 remark 10.81.4.0 / 22
            access-list 1 permit 10.81.2.0 0.0.1.255
            access-list 1 permit 10.81.4.0 0.0.3.255
            access-list 1 deny any
            !
            route-map RRI permit 10
            description Redistribute remote subnets from RRI
            match ip address 1
            !
            end
            """;

    @Test
    void rriSupp_headEndGateway1_dynamicCryptoMapsWithRri() throws Exception {
        Config c = config(RRI_SUPP_GATEWAY1);
        // gateway-1's RRI route 10.81.2.0/29 for a SOHO peer (165.x.x.x, here 198.51.100.165)
        assertEquals(List.of(route("", "10.81.2.0/29", "198.51.100.165", null, 1, 0, RouteKind.RRI, "dynamic-map dmap 10")),
                RriEngine.routesFor(c, sa("dmap", "198.51.100.165", "10.81.2.0/29")));
        assertEquals(List.of(route("", "0.0.0.0/0", "10.81.0.1", null, 1, 0, RouteKind.MANUAL, "ip route (line 45)")),
                RriEngine.configRoutes(c));
        var eigrp = c.crypto().igpRedistribution().get(0);
        assertEquals(List.of(1000L, 100L, 255L, 1L, 1500L), eigrp.metric());
        assertEquals("RRI", eigrp.routeMap());
        assertTrue(noted(c, "ignored: standby 1"));
    }

    @Test
    void rriSupp_headEndAddressesWithLettersAreRefusedWithTheToken() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> config(RRI_SUPP_GATEWAY1.replace("192.0.2.10", "64.yy.yy.a")));
        assertEquals("t.conf:21: error: interface address '64.yy.yy.a' is not an IP address", e.getMessage());
    }

    @Test
    void rriSupp_sohoRouter_staticMapWithoutRri() throws Exception {
        Config c = config("""
                hostname soho-vp
                crypto isakmp policy 1
                encr 3des
                crypto isakmp keepalive 10
                crypto ipsec transform-set t1 esp-3des esp-sha-hmac
                crypto map test 1 ipsec-isakmp
                description plain ol' ipsec
                set peer 192.0.2.10
                set peer 192.0.2.11
                set transform-set t1
                match address 101
                qos pre-classify
                access-list 101 permit ip 10.81.2.0 0.0.0.7 any
                end
                """); // glue: the head-end addresses 64.yy.yy.a/b as 192.0.2.10/11
        assertTrue(RriEngine.configRoutes(c).isEmpty());
        assertTrue(RriEngine.routesFor(c, sa("test", "192.0.2.10", "0.0.0.0/0")).isEmpty());
    }

    @Test
    void vpnHa_anyInACryptoAclUsedForStaticRriIsRefusedSayingWhy() {
        ConfigException e = assertThrows(ConfigException.class, () -> config("""
                crypto map test 1 ipsec-isakmp
                 set peer 192.0.2.10
                 match address 101
                 reverse-route static
                access-list 101 permit ip 10.81.2.0 0.0.0.7 any
                """));
        assertEquals("t.conf:5: error: crypto map test 1 (reverse-route static): access-list 101 entry "
                + "'access-list 101 permit ip 10.81.2.0 0.0.0.7 any': destination 'any' would inject a default route via "
                + "the peer (IOS does not support 'any' in crypto ACLs used for RRI)", e.getMessage());
    }
}
