package net.rrispeaker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.RouteKind;
import net.rrispeaker.engine.RriEngine;
import net.rrispeaker.model.ChildSa;
import org.junit.jupiter.api.Test;

/** The shipped example configuration parses and does what its comments say. */
class ExampleConfigTest {

    @Test
    void dockerExampleAnnouncesSpokeNetworksWithTag5InBothFamilies() throws Exception {
        Path file = Path.of("..", "docker", "rri.conf.example");
        Config c = ConfigParser.parse(file);
        assertEquals(RriSettings.DEFAULT_GOBGP, c.rri().gobgpApi());
        assertEquals(ControlApiSettings.unix("unix:/run/rri/control.sock"), c.rri().controlApi(), "owner-only socket");
        assertEquals(2, c.bgp().redistribute().size());
        ChildSa sa = new ChildSa("spokes", 1, "spoke-lan", 2, 1, Addresses.parse("10.0.0.1"),
                Addresses.parse("10.0.0.2"), "spoke1.rri.test", List.of(Prefix.parse("10.80.0.0/16")),
                List.of(Prefix.parse("10.81.1.0/29"), Prefix.parse("fd00:81:1::/64")), 0, List.of());
        var routes = RriEngine.routesFor(c, sa);
        assertEquals(2, routes.size());
        assertTrue(routes.stream().allMatch(r -> r.tag() == 5 && r.kind() == RouteKind.RRI
                && r.nextHop().equals(Addresses.parse("10.0.0.2"))));
        assertEquals(65000L << 16 | 5, c.bgp().mapping().community(5));
    }

    @Test
    void readmeExampleParsesAndGivesTag5Distance20Routes() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("## Example configuration");
        int open = readme.indexOf("```\n", start) + 4;
        String text = readme.substring(open, readme.indexOf("```", open));
        Config c = ConfigParser.parse("README.md example", text);
        ChildSa sa = new ChildSa("spokes", 1, "lan", 2, 1, Addresses.parse("192.0.2.1"), Addresses.parse("192.0.2.2"),
                "spoke1", List.of(Prefix.parse("10.80.0.0/16")), List.of(Prefix.parse("10.81.2.0/29")), 0, List.of());
        var routes = RriEngine.routesFor(c, sa);
        assertEquals(1, routes.size());
        assertEquals(20, routes.get(0).distance());
        assertEquals(5, routes.get(0).tag());
        assertEquals(81L, c.bgp().mapping().localPref(20), "the README says LOCAL_PREF 81");
    }
}
