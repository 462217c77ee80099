package net.rrispeaker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.rrispeaker.control.api.CryptoRoute;
import org.junit.jupiter.api.Test;

/** {@code show crypto route} reads like the IOS command: header, one block per table, IOS masks. */
class CryptoRouteFormatterTest {
    private static final String HEADER = """
            VPN Routing Table: Shows RRI and VTI created routes
            Codes: RRI - Reverse-Route, VTI- Virtual Tunnel Interface
                    S - Static Map ACLs, M - Manual static (ip route)
            """;

    private static CryptoRoute.Builder route(String vrf, String prefix, String nextHop, String iface, int distance,
                                             String kind) {
        return CryptoRoute.newBuilder().setVrf(vrf).setPrefix(prefix).setNextHop(nextHop).setInterface(iface)
                .setDistance(distance).setKind(kind).setOwners(1);
    }

    @Test
    void noRoutesIsTheHeaderAndAnEmptyGlobalTable() {
        assertEquals(HEADER + "Routes created in table GLOBAL DEFAULT\n", CryptoRouteFormatter.format(List.of()));
    }

    @Test
    void anRriRouteIsPrefixSlashMaskDistanceNextHopAndCode() {
        assertEquals(HEADER + """
                Routes created in table GLOBAL DEFAULT
                10.81.2.0/255.255.255.248 [20/0] via 192.0.2.2 RRI
                192.168.6.1/255.255.255.255 [1/0] via 10.0.0.14 RRI
                """, CryptoRouteFormatter.format(List.of(
                route("", "10.81.2.0/29", "192.0.2.2", "", 20, "RRI").build(),
                route("", "192.168.6.1/32", "10.0.0.14", "", 1, "RRI").build())));
    }

    @Test
    void aRouteWithNextHopAndInterfaceContinuesOnAnIndentedLine() {
        assertEquals(HEADER + """
                Routes created in table GLOBAL DEFAULT
                10.5.0.0/255.255.0.0 [1/0] via 198.51.100.7
                                                on Tunnel5 VTI
                """, CryptoRouteFormatter.format(List.of(
                route("", "10.5.0.0/16", "198.51.100.7", "Tunnel5", 1, "VTI").build())));
    }

    @Test
    void aRouteOnlyViaAnInterfaceNamesTheInterfaceOnTheSameLine() {
        assertEquals(HEADER + """
                Routes created in table GLOBAL DEFAULT
                10.9.0.0/255.255.0.0 [250/0] via Null0 M
                """, CryptoRouteFormatter.format(List.of(route("", "10.9.0.0/16", "", "Null0", 250, "M").build())));
    }

    @Test
    void ipv6PrefixesKeepTheirLengthBecauseIpv6HasNoDottedMask() {
        assertEquals(HEADER + """
                Routes created in table GLOBAL DEFAULT
                fd00:81:2::/64 [20/0] via 192.0.2.2 RRI
                """, CryptoRouteFormatter.format(List.of(
                route("", "fd00:81:2::/64", "192.0.2.2", "", 20, "RRI").build())));
    }

    @Test
    void aTagAndAWithdrawDelayInProgressFollowTheCode() {
        assertEquals(HEADER + """
                Routes created in table GLOBAL DEFAULT
                10.82.0.0/255.255.0.0 [1/0] via 192.0.2.2 S tag 7
                10.83.0.0/255.255.0.0 [1/0] via 192.0.2.3 RRI tag 5 (withdrawing)
                """, CryptoRouteFormatter.format(List.of(
                route("", "10.82.0.0/16", "192.0.2.2", "", 1, "S").setTag(7).build(),
                route("", "10.83.0.0/16", "192.0.2.3", "", 1, "RRI").setTag(5).setOwners(0).setWithdrawing(true)
                        .build())));
    }

    @Test
    void eachVrfIsItsOwnTableAfterTheGlobalOne() {
        assertEquals(HEADER + """
                Routes created in table GLOBAL DEFAULT
                10.1.1.1/255.255.255.255 [20/0] via 10.4.4.4 RRI
                Routes created in table blue
                10.7.0.0/255.255.0.0 [1/0] via 203.0.113.7 RRI
                Routes created in table cust
                10.0.0.0/255.255.255.0 [20/0] via 10.1.1.1 RRI
                10.0.1.0/255.255.255.0 [20/0] via 10.1.1.1 RRI
                """, CryptoRouteFormatter.format(List.of(
                route("", "10.1.1.1/32", "10.4.4.4", "", 20, "RRI").build(),
                route("blue", "10.7.0.0/16", "203.0.113.7", "", 1, "RRI").build(),
                route("cust", "10.0.0.0/24", "10.1.1.1", "", 20, "RRI").build(),
                route("cust", "10.0.1.0/24", "10.1.1.1", "", 20, "RRI").build())));
    }

    @Test
    void withRoutesOnlyInVrfsTheEmptyGlobalTableIsLeftOut() {
        assertEquals(HEADER + """
                Routes created in table cust
                10.0.0.0/255.255.255.0 [20/0] via 10.1.1.1 RRI
                """, CryptoRouteFormatter.format(List.of(route("cust", "10.0.0.0/24", "10.1.1.1", "", 20, "RRI").build())));
    }
}
