package net.rrispeaker.engine;

import static net.rrispeaker.engine.RriEngineTest.config;
import static net.rrispeaker.engine.Sas.route;
import static net.rrispeaker.engine.Sas.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.PeerAddresses;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.RouteKind;
import org.junit.jupiter.api.Test;

/** {@code set peer NAME}: the engine takes the name's address from the {@link PeerAddresses} it is given. */
class RriEnginePeerNamesTest {

    private static PeerAddresses hub(String address) {
        return new PeerAddresses(Map.of("hub.example.invalid", Addresses.parse(address)));
    }

    private static final String STATIC_BY_NAME = """
            access-list 101 permit ip 192.168.1.0 0.0.0.255 172.17.11.0 0.0.0.255
            crypto map m 10 ipsec-isakmp
             set peer HUB.example.invalid dynamic
             match address 101
             reverse-route static
            """;

    @Test
    void staticRoutesGoViaTheAddressTheNameHasAndNowhereWhileItHasNone() throws Exception {
        Config c = config(STATIC_BY_NAME);
        assertEquals(List.of(), RriEngine.configRoutes(c, PeerAddresses.NONE));
        assertEquals(List.of(route("", "172.17.11.0/24", "203.0.113.9", null, 1, 0, RouteKind.RRI_STATIC,
                "crypto map m 10")), RriEngine.configRoutes(c, hub("203.0.113.9")));
        assertEquals(List.of(route("", "172.17.11.0/24", "203.0.113.10", null, 1, 0, RouteKind.RRI_STATIC,
                "crypto map m 10")), RriEngine.configRoutes(c, hub("203.0.113.10")));
    }

    @Test
    void theFirstPeerWithAnAddressIsTheNextHop() throws Exception {
        Config c = config(STATIC_BY_NAME.replace(" match address", " set peer 172.17.11.1\n match address"));
        assertEquals("172.17.11.1", Addresses.format(RriEngine.configRoutes(c, PeerAddresses.NONE).get(0).nextHop()));
        assertEquals("203.0.113.9", Addresses.format(RriEngine.configRoutes(c, hub("203.0.113.9")).get(0).nextHop()));
    }

    @Test
    void anEntryWhosePeerIsANameCoversSasFromTheAddressTheNameHasNow() throws Exception {
        Config c = config("""
                crypto map m 10 ipsec-isakmp
                 set peer hub.example.invalid
                 reverse-route
                crypto map m 20 ipsec-isakmp
                 reverse-route
                 set reverse-route tag 20
                """);
        var fromHub = sa("m", "203.0.113.9", "10.1.0.0/24");
        assertEquals("crypto map m 10", RriEngine.bindingFor(c, hub("203.0.113.9"), fromHub).orElseThrow().origin());
        assertEquals(0, RriEngine.routesFor(c, hub("203.0.113.9"), fromHub).get(0).tag());
        // moved away, or not resolved: the SA falls through to the next entry
        assertEquals(20, RriEngine.routesFor(c, hub("203.0.113.10"), fromHub).get(0).tag());
        assertEquals(20, RriEngine.routesFor(c, PeerAddresses.NONE, fromHub).get(0).tag());
    }
}
