package net.rrispeaker.sink.gobgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.VrfDefinition;
import net.rrispeaker.sink.PathUpdate;
import org.junit.jupiter.api.Test;

/** The hand-over from the core to the sink's worker: what is diffed next, and how bursts collapse. */
class PendingPathsTest {
    private static final VrfDefinition RED = new VrfDefinition("red", "65000:10", List.of("65000:10"),
            List.of("65000:11"), "rri.conf", 3);

    private final PendingPaths pending = new PendingPaths(3);

    private static BgpPath path(String prefix, long localPref) {
        return new BgpPath("", Prefix.parse(prefix), null, BgpPath.ORIGIN_INCOMPLETE, null, localPref, List.of(),
                List.of(), List.of(), List.of());
    }

    private static HashMap<BgpPath.Key, BgpPath> set(BgpPath... paths) {
        HashMap<BgpPath.Key, BgpPath> m = new HashMap<>();
        for (BgpPath p : paths) {
            m.put(p.key(), p);
        }
        return m;
    }

    private static Set<BgpPath> paths(PendingPaths.Work w) {
        return new HashSet<>(assertInstanceOf(PendingPaths.Full.class, w).paths());
    }

    private static List<PathUpdate> updates(PendingPaths.Work w) {
        return List.copyOf(assertInstanceOf(PendingPaths.Changes.class, w).updates());
    }

    @Test
    void nothingIsDiffedBeforeTheFirstCompleteSet_thenAllOfIt() {
        pending.apply(List.of(PathUpdate.announce(path("10.0.1.0/24", 100))), Map.of());
        assertFalse(pending.hasWork(), "a change before the complete set is not the whole truth");
        assertNull(pending.take());

        pending.resync(set(path("10.0.2.0/24", 100)), Map.of());

        assertEquals(Set.of(path("10.0.2.0/24", 100)), paths(pending.take()));
        assertFalse(pending.hasWork());
    }

    @Test
    void preloadsBeforeTheFirstCompleteSet_areHandedOnAsPreloads_latestPerKey_unboundedByTheQueueBound() {
        pending.preload(List.of(path("10.0.1.0/24", 100), path("10.0.2.0/24", 100)), Map.of());
        pending.preload(List.of(path("10.0.1.0/24", 90), path("10.0.3.0/24", 100), path("10.0.4.0/24", 100)),
                Map.of());
        assertTrue(pending.hasWork());
        PendingPaths.Work w = pending.take();
        assertEquals(Set.of(path("10.0.1.0/24", 90), path("10.0.2.0/24", 100), path("10.0.3.0/24", 100),
                        path("10.0.4.0/24", 100)),
                new HashSet<>(assertInstanceOf(PendingPaths.Preload.class, w).paths()),
                "four keys with a bound of three: there is no full diff to fall back on yet");
        assertEquals(1, pending.coalesced());
        assertFalse(pending.hasWork());
    }

    @Test
    void theCompleteSet_dropsPreloadsNotTaken_andLaterPreloadsAreIgnored() {
        pending.preload(List.of(path("10.0.1.0/24", 100)), Map.of());
        pending.resync(set(path("10.0.2.0/24", 100)), Map.of());
        pending.preload(List.of(path("10.0.3.0/24", 100)), Map.of());

        assertEquals(Set.of(path("10.0.2.0/24", 100)), paths(pending.take()));
        assertFalse(pending.hasWork());
    }

    @Test
    void afterTheCompleteSet_onlyTheChangedKeysAreHandedOn() {
        pending.resync(set(path("10.0.1.0/24", 100), path("10.0.2.0/24", 100)), Map.of());
        pending.take();

        pending.apply(List.of(PathUpdate.withdraw(path("10.0.1.0/24", 100).key()),
                PathUpdate.announce(path("10.0.3.0/24", 100))), Map.of());

        assertEquals(Set.of(PathUpdate.withdraw(path("10.0.1.0/24", 100).key()),
                PathUpdate.announce(path("10.0.3.0/24", 100))), new HashSet<>(updates(pending.take())));
        assertFalse(pending.hasWork());
    }

    @Test
    void aBurstOfChangesToOneKey_collapsesIntoTheNewest() {
        pending.resync(set(), Map.of());
        pending.take();

        for (int pref = 1; pref <= 1000; pref++) {
            pending.apply(List.of(PathUpdate.announce(path("10.0.1.0/24", pref))), Map.of());
        }
        pending.apply(List.of(PathUpdate.withdraw(path("10.0.1.0/24", 1).key())), Map.of());
        pending.apply(List.of(PathUpdate.announce(path("10.0.1.0/24", 7))), Map.of());

        assertEquals(1, pending.waiting());
        assertEquals(1001, pending.coalesced());
        assertEquals(List.of(PathUpdate.announce(path("10.0.1.0/24", 7))), updates(pending.take()));
    }

    @Test
    void moreKeysWaitingThanTheBound_becomeAFullDiffOfTheNewestSet() {
        pending.resync(set(path("10.0.1.0/24", 100)), Map.of());
        pending.take();

        for (int i = 2; i <= 6; i++) {
            pending.apply(List.of(PathUpdate.announce(path("10.0." + i + ".0/24", 100))), Map.of());
        }
        pending.apply(List.of(PathUpdate.withdraw(path("10.0.1.0/24", 100).key())), Map.of());

        assertEquals(1, pending.overflows());
        assertEquals(0, pending.waiting(), "the queue was dropped");
        assertEquals(Set.of(path("10.0.2.0/24", 100), path("10.0.3.0/24", 100), path("10.0.4.0/24", 100),
                path("10.0.5.0/24", 100), path("10.0.6.0/24", 100)), paths(pending.take()));
    }

    @Test
    void aReconnect_asksForAFullDiffWithoutAnyChange() {
        pending.resync(set(path("10.0.1.0/24", 100)), Map.of());
        pending.take();
        assertFalse(pending.hasWork());

        pending.requestFull();

        assertEquals(Set.of(path("10.0.1.0/24", 100)), paths(pending.take()));
    }

    @Test
    void newVrfDefinitions_askForAFullDiff_theSameOnesDoNot() {
        Map<String, VrfDefinition> vrfs = Map.of("red", RED);
        pending.resync(set(path("10.0.1.0/24", 100)), vrfs);
        pending.take();

        pending.apply(List.of(), vrfs);
        pending.apply(List.of(), Map.of("red", RED)); // an equal map
        assertFalse(pending.hasWork());

        pending.apply(List.of(), Map.of());
        PendingPaths.Work w = pending.take();
        assertEquals(Set.of(path("10.0.1.0/24", 100)), paths(w));
        assertEquals(Map.of(), w.vrfs());
    }

    @Test
    void theGenerationCoversEverythingHandedOver() {
        pending.resync(set(), Map.of());
        PendingPaths.Work first = pending.take();
        pending.apply(List.of(PathUpdate.announce(path("10.0.1.0/24", 100))), Map.of());
        assertTrue(pending.generation() > first.generation());
        PendingPaths.Work second = pending.take();
        assertEquals(pending.generation(), second.generation());
    }
}
