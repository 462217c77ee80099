package net.rrispeaker.dampening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.dampening.Dampening.Event;
import org.junit.jupiter.api.Test;

/**
 * Dampening on its own clock: penalties, suppression after the right flap, reuse exactly when the
 * penalty has decayed to the reuse limit, the maximum suppress time, rekeys and short gaps that are
 * not flaps, and new numbers on reload. Expected times are worked out from RFC 2439's formula here,
 * not read back from the implementation.
 */
class DampeningTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    /** Half-life 60 s, reuse 750, suppress 2000, max-suppress 240 s: ceiling 750 * 2^4 = 12000. */
    private static final Dampening.Parameters SMALL = new Dampening.Parameters(Duration.ofSeconds(60), 750, 2000,
            Duration.ofSeconds(240));
    private static final long HOLD = 200 * MS;

    private final Dampening<String> d = new Dampening<>(SMALL, HOLD);
    private final List<Event> events = new ArrayList<>();
    private long now = 1_000 * S; // any origin

    private void at(long t) {
        now = t;
        events.addAll(d.advance(t));
    }

    /** Advances to every deadline up to {@code t}, as the core's timer does. */
    private void runTo(long t) {
        for (long next = d.nextDeadline(); next != Long.MAX_VALUE && next <= t; next = d.nextDeadline()) {
            at(next);
        }
        at(t);
    }

    /** One flap of {@code peer}: its SA {@code sa} goes, stays away 2 s, comes back; 1 s later. */
    private long flap(String peer, String sa) {
        d.down(peer, sa, now);
        runTo(now + 2 * S);
        d.up(peer, sa, now);
        runTo(now + S);
        return now;
    }

    private static double decayed(double p, double seconds) {
        return p * Math.pow(0.5, seconds / 60);
    }

    private long count(Event.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).count();
    }

    @Test
    void theThirdQuickFlapSuppressesAndThePeerIsReusedExactlyWhenThePenaltyDecaysToReuse() {
        d.up("A", "a1", now);
        flap("A", "a1");
        // counted at the end of the 200 ms hold-down, read 2.8 s later
        assertEquals(decayed(1000, 2.8), d.history(now).get(0).penalty(), 1e-6, "one flap: 1000, decaying");
        flap("A", "a1");
        // the second flap was counted 3 s after the first (2 s away + 1 s up): 1000 decayed 3 s, + 1000
        double second = decayed(1000, 3) + 1000;
        assertTrue(second < 2000);
        assertFalse(d.suppressed("A"), "two flaps stay below the suppress limit: " + second);
        flap("A", "a1");
        double third = decayed(second, 3) + 1000;
        assertTrue(d.suppressed("A"), "the third flap brings it above 2000: " + third);
        assertEquals(3, count(Event.Kind.FLAP));
        assertEquals(1, count(Event.Kind.SUPPRESSED));
        Event suppressed = events.stream().filter(e -> e.kind() == Event.Kind.SUPPRESSED).findFirst().orElseThrow();
        assertEquals(third, suppressed.penalty(), 1e-6);

        // reuse when third * 2^(-t/60) = 750: t = 60 * log2(third / 750)
        long reuseAt = suppressed.at() + (long) Math.ceil(60 * S * (Math.log(third / 750) / Math.log(2)));
        assertEquals(reuseAt, d.nextDeadline(), "the next thing to happen is the reuse");
        runTo(reuseAt - MS);
        assertTrue(d.suppressed("A"), "1 ms before the penalty reaches the reuse limit");
        assertTrue(d.history(now).get(0).penalty() > 750);
        runTo(reuseAt);
        assertFalse(d.suppressed("A"), "reused when the penalty has decayed to 750");
        assertEquals(750, d.history(now).get(0).penalty(), 1e-3);
        assertEquals(1, count(Event.Kind.REUSED));
        assertEquals(0, d.suppressedCount());
    }

    @Test
    void theMaximumSuppressTimeCapsThePenalty() {
        d.up("A", "a1", now);
        long lastFlap = 0;
        for (int i = 0; i < 30; i++) {
            d.down("A", "a1", now);
            runTo(now + HOLD);
            lastFlap = now;
            d.up("A", "a1", now);
            runTo(now + MS);
        }
        assertTrue(d.suppressed("A"));
        assertEquals(12_000, d.history(now).get(0).penalty(), 5, "penalty capped at reuse * 2^(240/60)");
        runTo(lastFlap + 240 * S - MS);
        assertTrue(d.suppressed("A"), "still suppressed just before max-suppress-time after the last flap");
        runTo(lastFlap + 240 * S + MS);
        assertFalse(d.suppressed("A"), "never longer than max-suppress-time after the last flap");
    }

    @Test
    void rekeysReauthsAndGapsShorterThanTheHoldDownAreNoFlaps() {
        d.up("A", "a1", now);
        // rekey: the replacement is up before the old one goes
        for (int i = 2; i < 50; i++) {
            d.up("A", "a" + i, now);
            d.down("A", "a" + (i - 1), now);
            runTo(now + 10 * S);
        }
        // break-before-make reauth: gone for 2 ms
        d.down("A", "a49", now);
        runTo(now + 2 * MS);
        d.up("A", "b1", now);
        runTo(now + 10 * S);
        assertEquals(0, count(Event.Kind.FLAP));
        assertTrue(d.history(now).isEmpty());
        // gone for exactly the hold-down: that is a flap (its routes were withdrawn)
        d.down("A", "b1", now);
        runTo(now + HOLD);
        assertEquals(1, count(Event.Kind.FLAP));
        assertEquals(now, events.get(0).at());
    }

    @Test
    void otherPeersAreUnaffected() {
        d.up("A", "a1", now);
        d.up("B", "b1", now);
        for (int i = 0; i < 5; i++) {
            flap("A", "a1");
        }
        assertTrue(d.suppressed("A"));
        assertFalse(d.suppressed("B"));
        assertEquals(List.of("A"), d.history(now).stream().map(Dampening.PeerState::peer).toList());
        d.down("B", "b1", now);
        runTo(now + S);
        assertFalse(d.suppressed("B"), "one flap of B");
        assertEquals(1, d.history(now).stream().filter(p -> p.peer().equals("B")).findFirst().orElseThrow().flaps());
    }

    @Test
    void aPeerThatMovedIsNoFlap() {
        d.up("A@1", "a1", now);
        d.up("A@2", "a1", now);
        d.leave("A@1", "a1", now);
        runTo(now + 10 * S);
        assertEquals(0, count(Event.Kind.FLAP));
        assertEquals(1, d.size(), "the old key is forgotten");
    }

    @Test
    void historyIsForgottenOnceThePenaltyIsBelowHalfTheReuseLimit() {
        d.up("A", "a1", now);
        d.down("A", "a1", now);
        runTo(now + HOLD);
        long flapped = now;
        assertEquals(1, d.size());
        // 1000 -> 375 takes 60 * log2(1000/375) s
        long forget = flapped + (long) Math.ceil(60 * S * (Math.log(1000 / 375.0) / Math.log(2)));
        runTo(forget - MS);
        assertEquals(1, d.history(now).size());
        runTo(forget);
        assertEquals(0, d.size(), "no SA, no history: nothing kept");
    }

    @Test
    void reloadKeepsPenaltiesAndAppliesTheNewNumbers() {
        d.up("A", "a1", now);
        d.up("B", "b1", now);
        for (int i = 0; i < 3; i++) {
            flap("A", "a1");
        }
        flap("B", "b1");
        flap("B", "b1");
        assertTrue(d.suppressed("A"));
        assertFalse(d.suppressed("B"));
        double a = d.history(now).get(0).penalty();
        double b = d.history(now).get(1).penalty();

        // a reuse limit above A's penalty reuses A now; a suppress limit below B's does not suppress B
        assertTrue(a < 3000 && b > 1500);
        d.reconfigure(new Dampening.Parameters(Duration.ofSeconds(60), 3000, 3500, Duration.ofSeconds(240)), HOLD, now);
        at(now);
        assertFalse(d.suppressed("A"), "A's penalty " + a + " is below the new reuse limit 3000");
        assertEquals(1, count(Event.Kind.REUSED));

        d.reconfigure(new Dampening.Parameters(Duration.ofSeconds(60), 750, 1000, Duration.ofSeconds(240)), HOLD, now);
        at(now);
        assertFalse(d.suppressed("B"), "a reload is no flap: B stays announced above the new suppress limit");
        flap("B", "b1");
        assertTrue(d.suppressed("B"), "B's next flap suppresses it");

        // a shorter max-suppress-time lowers the ceiling: 750 * 2^(60/60) = 1500
        d.reconfigure(new Dampening.Parameters(Duration.ofSeconds(60), 750, 1000, Duration.ofSeconds(60)), HOLD, now);
        at(now);
        assertEquals(1500, d.history(now).get(1).penalty(), 1e-6);
        runTo(now + 60 * S);
        assertFalse(d.suppressed("B"), "reused one half-life later");
    }

    @Test
    void parametersAreCheckedAndTheDefaultsAreIos() {
        Dampening.Parameters ios = Dampening.Parameters.defaults();
        assertEquals(Duration.ofMinutes(15), ios.halfLife());
        assertEquals(750, ios.reuse());
        assertEquals(2000, ios.suppress());
        assertEquals(Duration.ofMinutes(60), ios.maxSuppress());
        assertEquals(12_000, ios.maxPenalty(), 1e-9);
        assertThrows(IllegalArgumentException.class,
                () -> new Dampening.Parameters(Duration.ofSeconds(60), 750, 750, Duration.ofSeconds(60)));
        assertThrows(IllegalArgumentException.class,
                () -> new Dampening.Parameters(Duration.ofSeconds(60), 750, 2000, Duration.ofSeconds(59)));
    }
}
