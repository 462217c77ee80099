package net.rrispeaker.policy;

import static net.rrispeaker.policy.Fixture.bgp;
import static net.rrispeaker.policy.Fixture.policies;
import static net.rrispeaker.policy.Fixture.route;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Route;
import org.junit.jupiter.api.Test;
import net.rrispeaker.redistribution.Redistributor;

/**
 * One {@link Redistributor} reused for many routes (as the speaker uses it) decides each route
 * exactly as a fresh one would: what it keeps between routes (defaults per tag and distance,
 * decisions of permit entries) never leaks one route's attributes into another's.
 */
class RedistributorReuseTest {
    private static final String CONFIG = """
            ip prefix-list LOW seq 5 permit 10.0.0.0/9 le 32
            ipv6 prefix-list V6 seq 5 permit 2001:db8::/32 le 128
            route-map RRI permit 10
             match ip address prefix-list LOW
             match tag 1 2 3
             set community 1:1 additive
            route-map RRI permit 20
             match ip address prefix-list LOW
             set ipv6 next-hop 2001:db8::99
             set ip next-hop 198.51.100.1
            route-map RRI permit 30
             match ipv6 address prefix-list V6
             set ipv6 next-hop 2001:db8::99
             set ip next-hop 198.51.100.1
            route-map RRI deny 40
             match tag 9
            route-map RRI permit 50
             continue 60
             set local-preference 500
            route-map RRI permit 60
             match tag 4
            """;

    @Test
    void aReusedRedistributorDecidesLikeAFreshOneForEveryRoute() {
        PolicySet p = policies(CONFIG);
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String prefix = switch (i % 4) {
                case 0 -> "10." + (i % 128) + ".0.0/16";
                case 1 -> "10." + (128 + i % 128) + ".1.0/24";
                case 2 -> "2001:db8:" + Integer.toHexString(i) + "::/48";
                default -> "172.16." + (i % 256) + ".0/24";
            };
            routes.add(route(prefix).tag(i % 11).distance(1 + i % 3).build());
        }
        Redistributor reused = new Redistributor(bgp("RRI", 7L), p, true);
        Redistributor reusedOwnNextHop = new Redistributor(bgp("RRI", null), p, false);
        for (int round = 0; round < 2; round++) {
            for (Route r : routes) {
                assertEquals(new Redistributor(bgp("RRI", 7L), p, true).decide(r), reused.decide(r), r::toString);
                assertEquals(new Redistributor(bgp("RRI", null), p, false).decide(r), reusedOwnNextHop.decide(r),
                        r::toString);
            }
        }
    }

    @Test
    void theSameEntryGivesAnIpv4AndAnIpv6RouteTheirOwnFamilysNextHop() {
        String config = """
                route-map RRI permit 10
                 set ipv6 next-hop 2001:db8::99
                 set ip next-hop 198.51.100.1
                """;
        Redistributor r = new Redistributor(bgp("RRI", null), policies(config), true);
        Route v4 = route("10.1.0.0/16").tag(5).distance(2).build();
        Route v6 = route("2001:db8:1::/48").tag(5).distance(2).build();
        for (int round = 0; round < 2; round++) {
            assertEquals(Addresses.parse("198.51.100.1"), r.apply(v4).orElseThrow().nextHop());
            assertEquals(Addresses.parse("2001:db8::99"), r.apply(v6).orElseThrow().nextHop());
        }
    }

    @Test
    void routesWithDifferentTagsThroughOneEntryKeepTheirOwnCommunity() {
        String config = """
                route-map RRI permit 10
                 set community 1:1 additive
                """;
        Redistributor r = new Redistributor(bgp("RRI", null), policies(config), true);
        for (int round = 0; round < 2; round++) {
            for (int tag = 1; tag <= 300; tag++) {
                assertEquals(List.of(Fixture.community(65000, tag), Fixture.community(1, 1)),
                        r.apply(route("10.1.0.0/16").tag(tag).build()).orElseThrow().communities());
            }
        }
    }
}
