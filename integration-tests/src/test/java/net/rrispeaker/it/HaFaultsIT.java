package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import net.rrispeaker.lab.HaLab;
import net.rrispeaker.lab.HaScenarios;
import net.rrispeaker.lab.HaScenarios.Result;
import net.rrispeaker.lab.HaTopology;
import net.rrispeaker.lab.SpeakerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The fault suite of the dual-headend design, with real daemons (two spokes, two headends each with
 * charon, gobgpd, keepalived and a speaker, an FRR core; {@link HaLab}): what the core sees when a
 * part of a headend fails. After every fault the core must hold exactly the truth computed from the
 * SAs up, and no prefix that stayed valid (the secondary kept its tunnel) may be absent from the
 * core at any sample of the watcher (every few milliseconds). The figures of a longer run are in
 * docs/high-availability.md (net.rrispeaker.bench.HaBench).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaFaultsIT {
    private HaLab lab;
    private HaScenarios scenarios;

    @RegisterExtension
    final TestWatcher diagnostics = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (lab != null) {
                System.err.println("=== " + context.getDisplayName() + " failed; lab state:\n" + lab.diagnostics());
            }
        }
    };

    @BeforeAll
    void start() {
        lab = HaLab.start(SpeakerProcess.defaultJar());
        scenarios = new HaScenarios(lab);
    }

    @AfterAll
    void stop() {
        if (scenarios != null) {
            System.out.println(Result.header());
            scenarios.results().forEach(r -> System.out.println(r.row()));
            scenarios.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    /** Whatever a scenario did (even a failed one), the next starts from the settled lab. */
    @AfterEach
    void heal() {
        lab.heal(Duration.ofSeconds(90));
    }

    private static void assertNoneAbsent(Result r) {
        assertEquals(0, r.absences(), r.scenario() + ": valid prefixes absent at the core: " + r.row());
        assertTrue(r.exact(), r.scenario() + ": core not exact after the fault: " + r.row());
    }

    @Test
    @Order(1)
    void tunnelToOneSpokeDiesOnlyItsPrefixesMove() {
        List<Result> rs = scenarios.tunnelDies();
        rs.forEach(HaFaultsIT::assertNoneAbsent);
        assertEquals(HaTopology.spokeLans(0), rs.get(0).movedPrefixes(),
                "only spoke a's prefixes move to the secondary: " + rs.get(0).row());
        assertEquals(3, rs.get(0).changes(), "each of spoke a's prefixes moves once: " + rs.get(0).row());
        assertEquals(HaTopology.spokeLans(0), rs.get(1).movedPrefixes(), "and they move back: " + rs.get(1).row());
    }

    @Test
    @Order(2)
    void primaryKilledEverythingViaSecondaryWithinOneSecond() {
        List<Result> rs = scenarios.primaryKilled();
        rs.forEach(HaFaultsIT::assertNoneAbsent);
        Result killed = rs.get(0);
        assertEquals(HaTopology.allLans().size(), killed.moved(), "every prefix moves to the secondary: " + killed.row());
        assertTrue(killed.convergeMillis() > 0 && killed.convergeMillis() < 1000,
                "all via the secondary in < 1 s: " + killed.row());
    }

    @Test
    @Order(3)
    void speakerKilledDuringBurstEndsExact() {
        List<Result> rs = scenarios.speakerKilledDuringBurst(Duration.ofSeconds(6));
        rs.forEach(HaFaultsIT::assertNoneAbsent);
        // what the dead speaker had left in gobgpd depends on where in the burst it died; only spoke a's
        // prefixes can be stale, and exactness after the restart (asserted above) is the point
        assertTrue(HaTopology.spokeLans(0).containsAll(rs.get(0).movedPrefixes()),
                "only spoke a's prefixes change after the restart: " + rs.get(0).row());
    }

    @Test
    @Order(4)
    void charonRestartEndsExact() {
        assertNoneAbsent(scenarios.charonRestarted());
    }

    @Test
    @Order(5)
    void gobgpdRestartEndsExact() {
        assertNoneAbsent(scenarios.gobgpdRestarted());
    }

    @Test
    @Order(6)
    void coreRestartEndsExact() {
        Result r = scenarios.coreRestarted();
        assertTrue(r.exact(), "core not exact after its restart: " + r.row());
    }

    @Test
    @Order(8)
    void flappingSpokeDampenedCoreSeesFewerMovesThanFlaps() {
        try {
            Result r = scenarios.flappingSpokeDampened(5);
            assertNoneAbsent(r);
            assertTrue(HaTopology.spokeLans(1).containsAll(r.movedPrefixes()), "only spoke b's prefixes move: " + r.row());
            // suppress 1500 is crossed at the 2nd flap (3 moves per prefix: away, back, away); one run of
            // three under heavy load suppressed at the 3rd (5 moves), not understood yet. Without
            // dampening five flaps are 9 moves per prefix.
            assertTrue(r.changes() <= 5 * 3, "at most 5 moves per prefix for 5 flaps: " + r.row());
        } finally {
            scenarios.undoDampening();
        }
    }

    @Test
    @Order(9)
    void withBfdFrozenPrimaryEverythingViaSecondaryWithinOneSecond() {
        scenarios.enableBfd();
        Result r = scenarios.primaryFrozen("BFD 100 ms x 3");
        assertNoneAbsent(r);
        assertTrue(r.convergeMillis() > 0 && r.convergeMillis() < 1000, "all via the secondary in < 1 s: " + r.row());
    }

    @Test
    @Order(10)
    void withBfdSilentPrimaryEverythingViaSecondaryWithinOneSecond() {
        Result r = scenarios.primaryBlackholed("BFD 100 ms x 3");
        assertNoneAbsent(r);
        assertTrue(r.convergeMillis() > 0 && r.convergeMillis() < 1000, "all via the secondary in < 1 s: " + r.row());
    }

    @Test
    @Order(7)
    void rekeyStormWithdrawsNothing() {
        Result r = scenarios.rekeyStorm(Duration.ofSeconds(15));
        assertNoneAbsent(r);
        assertEquals(0, r.changes(), "no best-path change during rekeys: " + r.row());
        assertTrue(r.note().matches("^[1-9]\\d* rekeys.*"), "the storm rekeyed something: " + r.note());
    }
}
