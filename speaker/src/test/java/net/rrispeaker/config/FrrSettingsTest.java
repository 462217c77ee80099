package net.rrispeaker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.ios.ConfigProblem;
import org.junit.jupiter.api.Test;

class FrrSettingsTest {

    @Test
    void theFrrSinkIsOffUnlessConfigured() throws Exception {
        assertNull(ConfigParser.parse("rri.conf", "rri vici-socket /x.vici\n").frr());
    }

    @Test
    void enableTurnsItOnWithTheDefaults() throws Exception {
        assertEquals(FrrSettings.defaults(), ConfigParser.parse("rri.conf", "rri frr enable\n").frr());
        assertEquals("/var/run/frr", FrrSettings.defaults().effectiveVtySocketDir());
    }

    @Test
    void everySetting() throws Exception {
        Config c = ConfigParser.parse("rri.conf", """
                rri frr vtysh /usr/local/bin/vtysh
                rri frr vty-socket /run/frr-edge
                rri frr batch-window 50
                rri frr state-file /var/lib/rri/frr.state
                rri frr resync-interval 0
                rri gobgp-api unix:/run/gobgp.sock
                """);
        assertEquals(new FrrSettings("/usr/local/bin/vtysh", "/run/frr-edge", Duration.ofMillis(50),
                "/var/lib/rri/frr.state", Duration.ZERO), c.frr());
        assertEquals("unix:/run/gobgp.sock", c.rri().gobgpApi(), "other rri lines still reach their section");
    }

    @Test
    void mistakesNameTheLineAndToken() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse("rri.conf", """
                rri frr batch-window soon
                rri frr vty-socket run/frr
                rri frr socket /run/frr
                rri frr resync-interval 100000
                """));
        assertEquals(List.of(
                "rri.conf:1: error: batch-window milliseconds 'soon' is not a number (expected: 0..10000)",
                "rri.conf:2: error: vty socket directory 'run/frr' (expected: an absolute path)",
                "rri.conf:3: error: unknown rri frr setting 'socket' (expected: enable, vtysh PATH, vty-socket DIR, "
                        + "batch-window MS, state-file PATH, resync-interval SECONDS)",
                "rri.conf:4: error: resync-interval seconds: 100000 (expected: 0..86400)"),
                e.problems().stream().filter(p -> p.severity() == ConfigProblem.Severity.ERROR).map(p -> p.toString())
                        .toList());
    }
}
