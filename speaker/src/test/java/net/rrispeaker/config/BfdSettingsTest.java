package net.rrispeaker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.ios.ConfigProblem;
import org.junit.jupiter.api.Test;

class BfdSettingsTest {

    @Test
    void bfdIsOffUnlessConfigured() throws Exception {
        assertNull(ConfigParser.parse("rri.conf", "rri vici-socket /x.vici\n").bfd());
    }

    @Test
    void aBareLineTurnsItOnWithBfddsDefaults() throws Exception {
        BfdSettings s = ConfigParser.parse("rri.conf", "rri bfd\n").bfd();
        assertEquals(BfdSettings.defaults(), s);
        assertEquals(new BfdSettings(300, 300, 3, "/usr/bin/vtysh", null, Duration.ofSeconds(5), "rri-speaker"), s);
        assertEquals("/var/run/frr", s.effectiveVtySocketDir());
    }

    @Test
    void everySettingOnOneLineOrSeveral() throws Exception {
        Config c = ConfigParser.parse("rri.conf", """
                rri bfd transmit-interval 100 receive-interval 150 detect-multiplier 4
                rri bfd vtysh-socket-dir /run/frr-bfd vtysh /usr/local/bin/vtysh
                rri bfd poll-interval 2 profile HEADEND-BFD
                rri gobgp-api unix:/run/gobgp.sock
                """);
        assertEquals(new BfdSettings(100, 150, 4, "/usr/local/bin/vtysh", "/run/frr-bfd", Duration.ofSeconds(2),
                "HEADEND-BFD"), c.bfd());
        assertEquals("unix:/run/gobgp.sock", c.rri().gobgpApi(), "other rri lines still reach their section");
    }

    @Test
    void mistakesNameTheLineAndToken() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse("rri.conf", """
                rri bfd transmit-interval 5
                rri bfd detect-multiplier many
                rri bfd vtysh-socket-dir run/frr
                rri bfd echo-mode on
                rri bfd receive-interval
                rri bfd profile bad/name
                """));
        assertEquals(List.of(
                "rri.conf:1: error: transmit-interval milliseconds: 5 (expected: 10..60000)",
                "rri.conf:2: error: detect-multiplier 'many' is not a number (expected: 2..255)",
                "rri.conf:3: error: rri bfd vtysh-socket-dir 'run/frr' (expected: an absolute path)",
                "rri.conf:4: error: unknown rri bfd setting 'echo-mode' (expected: rri bfd [transmit-interval MS] "
                        + "[receive-interval MS] [detect-multiplier N] [vtysh-socket-dir DIR] [vtysh PATH] "
                        + "[poll-interval SECONDS] [profile NAME])",
                "rri.conf:5: error: rri bfd receive-interval: missing value (expected: rri bfd [transmit-interval MS] "
                        + "[receive-interval MS] [detect-multiplier N] [vtysh-socket-dir DIR] [vtysh PATH] "
                        + "[poll-interval SECONDS] [profile NAME])",
                "rri.conf:6: error: rri bfd profile 'bad/name' (expected: a name of letters, digits, '_', '.', '-', "
                        + "at most 64 characters)"),
                e.problems().stream().filter(p -> p.severity() == ConfigProblem.Severity.ERROR).map(p -> p.toString())
                        .toList());
    }
}
