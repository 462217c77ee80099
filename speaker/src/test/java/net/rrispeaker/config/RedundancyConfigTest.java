package net.rrispeaker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.ios.ConfigProblem;
import org.junit.jupiter.api.Test;

/** {@code rri redundancy ...}, {@code rri shutdown ...} and their join with {@code crypto map NAME redundancy GROUP}. */
class RedundancyConfigTest {
    private static final String MAPS = """
            crypto dynamic-map DYN 10
             match ipsec-connection spokes
             reverse-route
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            interface eth0
             ip address 192.0.2.1 255.255.255.0
             crypto map VPN redundancy HA
            """;

    private static Config parse(String text) throws ConfigException {
        return ConfigParser.parse("rri.conf", text);
    }

    private static String errors(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(text));
        return e.getMessage();
    }

    @Test
    void noGroupsByDefaultAndPathsWithdrawnOnShutdown() throws Exception {
        RedundancySettings r = parse("rri vici-socket /x.vici\n").redundancy();
        assertEquals(RedundancySettings.defaults(), r);
        assertFalse(r.keepPathsOnShutdown());
        assertNull(r.notifyFifo());
    }

    @Test
    void aGroupBoundToAnInstanceWithItsMaps() throws Exception {
        Config c = parse("""
                rri redundancy HA vrrp-instance RRI_VI
                rri redundancy notify-fifo /run/keepalived/rri.fifo
                rri shutdown keep-paths
                """ + MAPS);
        RedundancyGroup g = c.redundancy().groups().get("HA");
        assertEquals(new RedundancyGroup("HA", "RRI_VI", RedundancyGroup.Standby.WITHDRAW, List.of("VPN"), 1), g);
        assertEquals("/run/keepalived/rri.fifo", c.redundancy().notifyFifo());
        assertTrue(c.redundancy().keepPathsOnShutdown());
        assertEquals(g, c.redundancy().groupOfMap("VPN"));
        assertNull(c.redundancy().groupOfMap("OTHER"));
    }

    @Test
    void standbyAnnounceWithWorseAttributes() throws Exception {
        Config c = parse("""
                rri redundancy HA vrrp-instance RRI
                rri redundancy HA standby announce local-preference 50 metric 300 as-path prepend 3
                rri redundancy notify-fifo /run/rri.fifo
                """ + MAPS);
        RedundancyGroup.Standby s = c.redundancy().groups().get("HA").standby();
        assertEquals(new RedundancyGroup.Standby(true, 50L, 300L, 3), s);
        assertEquals("announce local-preference 50 metric 300 as-path prepend 3", s.text());
    }

    @Test
    void aMapInAGroupWithoutVrrpInstanceIsInNoGroupWithAWarningOnTheInterfaceLine() throws Exception {
        Config c = parse(MAPS); // as pasted from IOS, where HSRP runs on the same box
        assertTrue(c.redundancy().groups().isEmpty());
        assertNull(c.redundancy().groupOfMap("VPN"));
        assertTrue(c.notes().stream().map(ConfigProblem::toString).anyMatch(n -> n.equals("rri.conf:5: warning: "
                + "interface eth0: crypto map VPN redundancy HA: group HA is bound to no VRRP instance, so the map is in"
                + " no group and its routes are always announced (expected: rri redundancy HA vrrp-instance NAME)")),
                "" + c.notes());
    }

    @Test
    void redundancyWithoutGroupNameIsAWarning() throws Exception {
        Config c = parse(MAPS.replace("redundancy HA", "redundancy"));
        assertTrue(c.redundancy().groups().isEmpty());
        assertTrue(c.notes().stream().map(ConfigProblem::toString)
                .anyMatch(n -> n.contains("crypto map VPN redundancy without a group name")), "" + c.notes());
    }

    @Test
    void badLinesNameWhatAndWhere() {
        assertTrue(errors("rri redundancy\n").contains("rri.conf:1: error: missing redundancy group"));
        assertTrue(errors("rri redundancy HA vrrp-instance\n").contains("rri.conf:1: error: missing VRRP instance name"));
        assertTrue(errors("rri redundancy HA vrrp-instance A B\n").contains("rri.conf:1: error: unexpected 'B'"));
        assertTrue(errors("rri redundancy HA vrrp-instance A\nrri redundancy HA vrrp-instance B\n")
                .contains("rri.conf:2: error: redundancy group HA is already bound to vrrp-instance A (line 1)"));
        assertTrue(errors("rri redundancy H/A vrrp-instance A\n").contains("rri.conf:1: error: redundancy group name 'H/A'"));
        assertTrue(errors("rri redundancy HA vrrp-instance \"A\"\n").contains("rri.conf:1: error: VRRP instance name"));
        assertTrue(errors("rri redundancy HA vrrp-instance A\nrri redundancy HA standby announce\n")
                .contains("rri.conf:2: error: rri redundancy HA standby announce: name at least one worse attribute"));
        assertTrue(errors("rri redundancy HA vrrp-instance A\nrri redundancy HA standby announce local-preference x\n")
                .contains("rri.conf:2: error: standby local-preference 'x' is not a number"));
        assertTrue(errors("rri redundancy HA vrrp-instance A\nrri redundancy HA standby announce as-path prepend 11\n")
                .contains("rri.conf:2: error: standby as-path prepend count: 11 (expected: 1..10)"));
        assertTrue(errors("rri redundancy HA vrrp-instance A\nrri redundancy HA standby announce weight 5\n")
                .contains("rri.conf:2: error: unknown standby announce attribute 'weight'"));
        assertTrue(errors("rri redundancy HA vrrp-instance A\nrri redundancy HA standby maybe\n")
                .contains("rri.conf:2: error: rri redundancy HA standby 'maybe'"));
        assertTrue(errors("rri redundancy HA preempt\n").contains("rri.conf:1: error: unknown rri redundancy HA setting 'preempt'"));
        assertTrue(errors("rri redundancy notify-fifo rri.fifo\n").contains("rri.conf:1: error: notify-fifo 'rri.fifo' (expected: an absolute path)"));
        assertTrue(errors("rri shutdown now\n").contains("rri.conf:1: error: rri shutdown 'now' (expected: withdraw-paths or keep-paths)"));
        assertTrue(errors("rri redundancy HA standby withdraw\n")
                .contains("rri.conf:1: error: redundancy group HA has a standby setting but no vrrp-instance"));
    }

    @Test
    void aGroupNoMapUsesAndGroupsWithoutFifoAreWarnings() throws Exception {
        Config c = parse("rri redundancy SPARE vrrp-instance X\n");
        List<String> notes = c.notes().stream().map(ConfigProblem::toString).toList();
        assertTrue(notes.stream().anyMatch(n -> n.contains("rri.conf:1: warning: redundancy group SPARE is used by no crypto map")),
                "" + notes);
        assertTrue(notes.stream().anyMatch(n -> n.contains("without rri redundancy notify-fifo")), "" + notes);
    }

    @Test
    void otherRriLinesStillReachTheirSection() throws Exception {
        Config c = parse("rri shutdown withdraw-paths\nrri withdraw-delay 0\n");
        assertEquals(0, c.rri().withdrawDelay().toMillis());
        assertFalse(c.redundancy().keepPathsOnShutdown());
    }
}
