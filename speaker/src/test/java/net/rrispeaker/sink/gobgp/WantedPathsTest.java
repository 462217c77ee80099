package net.rrispeaker.sink.gobgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.VrfDefinition;
import org.junit.jupiter.api.Test;

/** The desired paths in the form gobgpd will hold them, and the ones that cannot go now. */
class WantedPathsTest {
    private static final VrfDefinition RED = new VrfDefinition("red", "65000:10", List.of("65000:10"),
            List.of("65000:11"), "rri.conf", 3);

    private static BgpPath path(String vrf, String prefix, String... routeTargets) {
        return new BgpPath(vrf, Prefix.parse(prefix), null, BgpPath.ORIGIN_INCOMPLETE, null, 100L, List.of(),
                List.of(), List.of(routeTargets), List.of());
    }

    @Test
    void vrfsOf_namesTheVrfsThePathsGoIntoSorted() {
        assertEquals(List.of("blue", "red"), new ArrayList<>(WantedPaths.vrfsOf(List.of(path("red", "10.0.1.0/24"),
                path("", "10.0.2.0/24"), path("blue", "10.0.3.0/24"), path("red", "10.0.4.0/24")))));
    }

    @Test
    void aVrfPath_getsTheVrfsExportTargets_aGlobalPathDoesNot() {
        BgpPath inRed = path("red", "10.0.1.0/24", "65000:7");
        BgpPath global = path("", "10.0.2.0/24", "65000:7");
        WantedPaths w = WantedPaths.of(List.of(inRed, global), Map.of("red", RED), Set.of("red"), bad -> {
            throw new AssertionError(bad.toString());
        });
        assertEquals(List.of("65000:11", "65000:7"), w.get(inRed.key()).attributes().routeTargets());
        assertEquals(List.of("65000:7"), w.get(global.key()).attributes().routeTargets());
    }

    @Test
    void aVrfSomeoneElseMade_isUsedWithThePathsOwnTargetsOnly() {
        BgpPath p = path("theirs", "10.0.1.0/24", "65000:7");
        WantedPaths w = WantedPaths.of(List.of(p), Map.of(), Set.of("theirs"), bad -> {
            throw new AssertionError(bad.toString());
        });
        assertEquals(List.of("65000:7"), w.get(p.key()).attributes().routeTargets());
    }

    @Test
    void aPathInAVrfThatIsNotUsable_isFrozenWithoutAnotherError() {
        List<WantedPaths.Invalid> invalid = new ArrayList<>();
        BgpPath p = path("red", "10.0.1.0/24");
        WantedPaths w = WantedPaths.of(List.of(p), Map.of("red", RED), Set.of(), invalid::add);
        assertTrue(w.get(p.key()).frozen());
        assertEquals(List.of(), invalid);
    }

    @Test
    void aPathWithABadRouteTarget_isFrozenAndNamed() {
        List<WantedPaths.Invalid> invalid = new ArrayList<>();
        BgpPath bad = path("", "10.0.1.0/24", "65000:x");
        BgpPath good = path("", "10.0.2.0/24");
        WantedPaths w = WantedPaths.of(List.of(bad, good), Map.of(), Set.of(), invalid::add);

        assertTrue(w.get(bad.key()).frozen());
        assertFalse(w.get(good.key()).frozen());
        assertEquals(1, invalid.size());
        assertEquals(bad.key(), invalid.get(0).key());
        assertEquals("route-target: '65000:x' number 'x' (expected: 0..4294967295)", invalid.get(0).message());
    }

    @Test
    void putReplacesThePathWithTheSameKey_removeForgetsIt() {
        WantedPaths w = new WantedPaths(Map.of(), Set.of());
        BgpPath first = path("", "10.0.1.0/24");
        BgpPath second = new BgpPath("", Prefix.parse("10.0.1.0/24"), null, BgpPath.ORIGIN_IGP, 5L, 100L, List.of(),
                List.of(), List.of(), List.of());
        assertEquals(Optional.empty(), w.put(first));
        assertEquals(Optional.empty(), w.put(second));
        assertEquals(1, w.size());
        assertEquals(second, w.get(first.key()).path());
        assertEquals(5L, w.get(first.key()).attributes().med());

        w.remove(first.key());
        assertNull(w.get(first.key()));
        assertEquals(0, w.size());
    }

    @Test
    void aVrfThatBecomesUsable_unfreezesItsWaitingPathsAndNamesThem() {
        WantedPaths w = new WantedPaths(Map.of("red", RED), Set.of());
        BgpPath a = path("red", "10.0.1.0/24");
        BgpPath b = path("red", "10.0.2.0/24");
        BgpPath gone = path("red", "10.0.3.0/24");
        w.put(a);
        w.put(b);
        w.put(gone);
        w.remove(gone.key());
        assertEquals(Set.of("red"), w.waitingVrfs());
        assertFalse(w.usable("red"));

        Set<BgpPath.Key> unfrozen = w.makeUsable("red", bad -> {
            throw new AssertionError(bad.toString());
        });

        assertEquals(Set.of(a.key(), b.key()), unfrozen);
        assertFalse(w.get(a.key()).frozen());
        assertEquals(List.of("65000:11"), w.get(b.key()).attributes().routeTargets());
        assertEquals(Set.of(), w.waitingVrfs());
        assertTrue(w.usable("red"));
        assertEquals(Set.of(), w.makeUsable("red", bad -> {
        }), "nothing waits any more");
    }

    @Test
    void vrfsInUse_followsPutAndRemove() {
        WantedPaths w = new WantedPaths(Map.of("red", RED), Set.of("red"));
        BgpPath a = path("red", "10.0.1.0/24");
        BgpPath b = path("red", "10.0.2.0/24");
        w.put(a);
        w.put(b);
        w.put(path("", "10.0.3.0/24"));
        w.put(a); // a replacement counts once
        assertEquals(Set.of("red"), w.vrfsInUse());
        w.remove(a.key());
        assertEquals(Set.of("red"), w.vrfsInUse());
        w.remove(b.key());
        assertEquals(Set.of(), w.vrfsInUse());
    }
}
