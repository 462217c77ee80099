package net.rrispeaker.engine;

import static net.rrispeaker.engine.Sas.route;
import static net.rrispeaker.engine.Sas.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.rrispeaker.config.Config;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.model.RouteKind;
import org.junit.jupiter.api.Test;
import net.rrispeaker.model.Route;

class RriEngineTest {

    static Config config(String text) throws ConfigException {
        return ConfigParser.parse("t.conf", text);
    }

    private static final String DYNAMIC = """
            crypto dynamic-map spokes-dm 10
             match ipsec-connection spokes
             set reverse-route tag 5
             set reverse-route distance 20
             reverse-route
            crypto map vpn 10 ipsec-isakmp dynamic spokes-dm
            """;

    @Test
    void dynamicMapMakesOneRoutePerRemoteSelectorViaThePeer() throws Exception {
        List<Route> r = RriEngine.routesFor(config(DYNAMIC),
                sa("spokes", "198.51.100.7", "10.81.1.0/29", "fd00:81:1::/64"));
        assertEquals(List.of(
                route("", "10.81.1.0/29", "198.51.100.7", null, 20, 5, RouteKind.RRI, "dynamic-map spokes-dm 10"),
                route("", "fd00:81:1::/64", "198.51.100.7", null, 20, 5, RouteKind.RRI, "dynamic-map spokes-dm 10")), r);
    }

    @Test
    void defaultsAreDistanceOneAndTagZero() throws Exception {
        List<Route> r = RriEngine.routesFor(config("crypto dynamic-map spokes 1\n reverse-route\n"),
                sa("spokes", "198.51.100.7", "10.81.1.0/29"));
        assertEquals(List.of(route("", "10.81.1.0/29", "198.51.100.7", null, 1, 0, RouteKind.RRI, "dynamic-map spokes 1")), r);
    }

    @Test
    void anSaNoEntryCoversGetsNoRoute() throws Exception {
        assertTrue(RriEngine.routesFor(config(DYNAMIC), sa("other", "198.51.100.7", "10.81.1.0/29")).isEmpty());
        assertTrue(RriEngine.bindingFor(config(DYNAMIC), sa("other", "198.51.100.7", "10.81.1.0/29")).isEmpty());
    }

    @Test
    void entryWithoutReverseRouteCoversTheSaButMakesNoRoute() throws Exception {
        Config c = config("crypto dynamic-map spokes 1\n set transform-set t1\n");
        assertTrue(RriEngine.bindingFor(c, sa("spokes", "198.51.100.7", "10.81.1.0/29")).isPresent());
        assertTrue(RriEngine.routesFor(c, sa("spokes", "198.51.100.7", "10.81.1.0/29")).isEmpty());
    }

    @Test
    void defaultRouteSelectorIsNeverRouted() throws Exception {
        assertEquals(List.of(route("", "10.81.1.0/29", "198.51.100.7", null, 20, 5, RouteKind.RRI, "dynamic-map spokes-dm 10")),
                RriEngine.routesFor(config(DYNAMIC), sa("spokes", "198.51.100.7", "0.0.0.0/0", "10.81.1.0/29")));
    }

    @Test
    void globMatchesConnectionNamesAndTheFirstMatchingEntryWins() throws Exception {
        Config c = config("""
                crypto dynamic-map dm 10
                 match ipsec-connection branch-*
                 set reverse-route tag 10
                 reverse-route
                crypto dynamic-map dm 5
                 match ipsec-connection branch-east
                 set reverse-route tag 7
                 reverse-route
                crypto map vpn 1 ipsec-isakmp dynamic dm
                """);
        assertEquals(7, RriEngine.routesFor(c, sa("branch-east", "198.51.100.7", "10.1.0.0/24")).get(0).tag());
        assertEquals(10, RriEngine.routesFor(c, sa("branch-west", "198.51.100.7", "10.2.0.0/24")).get(0).tag());
        assertTrue(RriEngine.routesFor(c, sa("hq", "198.51.100.7", "10.2.0.0/24")).isEmpty());
    }

    @Test
    void withoutMatchIpsecConnectionTheDynamicMapNameIsTheConnectionUnlessTheParentNamesOne() throws Exception {
        Config byName = config("crypto dynamic-map spokes 1\n reverse-route\ncrypto map vpn 1 ipsec-isakmp dynamic spokes\n");
        assertEquals(1, RriEngine.routesFor(byName, sa("spokes", "198.51.100.7", "10.1.0.0/24")).size());
        assertTrue(RriEngine.routesFor(byName, sa("vpn", "198.51.100.7", "10.1.0.0/24")).isEmpty());
        Config byParent = config("""
                crypto dynamic-map dm 1
                 reverse-route
                crypto map vpn 1 ipsec-isakmp dynamic dm
                 match ipsec-connection road-*
                """);
        assertEquals(1, RriEngine.routesFor(byParent, sa("road-1", "198.51.100.7", "10.1.0.0/24")).size());
        assertTrue(RriEngine.routesFor(byParent, sa("dm", "198.51.100.7", "10.1.0.0/24")).isEmpty());
    }
}
