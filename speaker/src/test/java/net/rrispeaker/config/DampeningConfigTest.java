package net.rrispeaker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.ios.ConfigProblem;
import org.junit.jupiter.api.Test;

/** {@code rri dampening}: IOS {@code bgp dampening}'s numbers and defaults, off unless configured, file:line errors. */
class DampeningConfigTest {
    private static final String REST = """
            crypto dynamic-map DYN 10
             match ipsec-connection spokes
             reverse-route
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            """;

    private static DampeningSettings parse(String line) throws ConfigException {
        return ConfigParser.parse("rri.conf", line + "\n" + REST).dampening();
    }

    private static List<String> errors(String line) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(line));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void offUnlessConfigured() throws Exception {
        assertNull(ConfigParser.parse("rri.conf", REST).dampening());
    }

    @Test
    void noNumbersAreTheIosDefaults() throws Exception {
        assertEquals(new DampeningSettings(Duration.ofMinutes(15), 750, 2000, Duration.ofMinutes(60)),
                parse("rri dampening"));
    }

    @Test
    void fourNumbersInIosOrderInSeconds() throws Exception {
        assertEquals(new DampeningSettings(Duration.ofSeconds(30), 800, 1500, Duration.ofSeconds(120)),
                parse("rri dampening 30 800 1500 120"));
    }

    @Test
    void theHalfLifeAloneGivesFourHalfLivesOfMaximumSuppression() throws Exception {
        assertEquals(new DampeningSettings(Duration.ofSeconds(600), 750, 2000, Duration.ofSeconds(2400)),
                parse("rri dampening 600"));
    }

    @Test
    void badValuesAreErrorsWithFileAndLine() {
        assertEquals(List.of("rri.conf:1: error: dampening half-life seconds: 0 (expected: 1..2700)"),
                errors("rri dampening 0 750 2000 3600"));
        assertEquals(List.of("rri.conf:1: error: dampening reuse limit 'x' is not a number (expected: 1..20000)"),
                errors("rri dampening 900 x 2000 3600"));
        assertEquals(List.of("rri.conf:1: error: dampening max-suppress-time seconds: 99999 (expected: 1..15300)"),
                errors("rri dampening 900 750 2000 99999"));
        assertEquals(List.of("rri.conf:1: error: rri dampening takes no number, a half-life, or all four numbers"
                + " (expected: rri dampening [HALF-LIFE-S REUSE SUPPRESS MAX-SUPPRESS-S])"),
                errors("rri dampening 900 750"));
        assertEquals(List.of("rri.conf:1: error: dampening suppress limit 750 must be above the reuse limit 750"
                + " (expected: rri dampening [HALF-LIFE-S REUSE SUPPRESS MAX-SUPPRESS-S], e.g. the IOS defaults"
                + " 900 750 2000 3600)"), errors("rri dampening 900 750 750 3600"));
        assertEquals(List.of("rri.conf:1: error: dampening max-suppress-time 60 s is shorter than the half-life 900 s"
                + " (expected: at least the half-life)"), errors("rri dampening 900 750 2000 60"));
        // ceiling 750 * 2^(900/900) = 1500: a suppress limit of 2000 could never be reached
        assertEquals(List.of("rri.conf:1: error: dampening: the penalty can never exceed 1500 (reuse 750 * 2^("
                + "max-suppress-time 900 s / half-life 900 s)), so suppress limit 2000 would never be reached"
                + " (expected: a lower suppress limit or a longer max-suppress-time)"),
                errors("rri dampening 900 750 2000 900"));
    }
}
