package net.rrispeaker.sink.gobgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.rrispeaker.gobgp.api.Family;
import net.rrispeaker.gobgp.api.MpReachNLRIAttribute;
import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.gobgp.api.TableType;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.VrfDefinition;
import org.junit.jupiter.api.Test;

/**
 * The diff of the desired paths against what gobgpd holds of ours, with what gobgpd holds built
 * the way a resync builds it: from paths in the form gobgpd lists them.
 */
class PathDiffTest {
    private static final int ID = 21074;
    private static final VrfDefinition RED = new VrfDefinition("red", "65000:10", List.of("65000:10"),
            List.of("65000:11"), "rri.conf", 3);
    private static final VrfDefinition BLUE = new VrfDefinition("blue", "65000:20", List.of("65000:20"),
            List.of("65000:21"), "rri.conf", 8);
    private static final Map<String, VrfDefinition> VRFS = Map.of("red", RED, "blue", BLUE);
    private static final Map<String, String> RDS = Map.of("65000:10", "red", "65000:20", "blue");

    private static BgpPath path(String prefix, long localPref, Long... communities) {
        return vrfPath("", prefix, localPref, communities);
    }

    private static BgpPath vrfPath(String vrf, String prefix, long localPref, Long... communities) {
        return new BgpPath(vrf, Prefix.parse(prefix), null, BgpPath.ORIGIN_INCOMPLETE, null, localPref,
                List.of(communities), List.of(), List.of(), List.of());
    }

    /** What gobgpd holds of ours after a resync, when it lists {@code paths} (VRF paths by RD). */
    private static HeldPaths listed(List<Path> paths) {
        HeldPaths h = new HeldPaths(ID);
        paths.forEach(p -> h.take(p, RDS::get));
        return h;
    }

    /** What gobgpd holds of ours when it holds {@code paths}, all injected by us. */
    private static HeldPaths holding(BgpPath... paths) {
        List<Path> l = new ArrayList<>();
        for (BgpPath p : paths) {
            l.add(p.vrf().isEmpty() ? Listings.global(p, ID) : Listings.vpn(p, ID, VRFS.get(p.vrf())));
        }
        return listed(l);
    }

    private static WantedPaths wanting(BgpPath... paths) {
        return WantedPaths.of(List.of(paths), VRFS, VRFS.keySet(), bad -> {
            throw new AssertionError(bad.toString());
        });
    }

    /** The changes as {@code op key}, in order. */
    private static List<String> ops(List<Change> changes) {
        return changes.stream().map(c -> c.op() + " " + c.key()).toList();
    }

    private static BgpPath.Key key(String vrf, String prefix) {
        return new BgpPath.Key(vrf, Prefix.parse(prefix));
    }

    @Test
    void aPathGobgpdLacks_isAnnouncedWithOurIdentifier() {
        BgpPath a = path("10.81.2.0/29", 100);
        List<Change> changes = PathDiff.full(wanting(a), new HeldPaths(ID));

        assertEquals(List.of("announce 10.81.2.0/29"), ops(changes));
        assertEquals(PathAttributes.of(a, List.of()), changes.get(0).attributes());
        assertEquals(ID, changes.get(0).path().getIdentifier());
        assertEquals(TableType.GLOBAL, changes.get(0).table());
    }

    @Test
    void aPathHeldWithOtherAttributes_isReannouncedAndOnlyThatOne() {
        BgpPath a = path("10.81.2.0/29", 100);
        BgpPath b = path("10.81.3.0/28", 100);
        List<Change> changes = PathDiff.full(wanting(a, path("10.81.3.0/28", 90)), holding(a, b));

        assertEquals(List.of("announce 10.81.3.0/28"), ops(changes));
        assertEquals(90L, changes.get(0).attributes().localPref());
    }

    @Test
    void aHeldPathNoLongerWanted_isWithdrawnWithOurIdentifier() {
        BgpPath a = path("10.81.2.0/29", 100);
        List<Change> changes = PathDiff.full(wanting(a), holding(a, path("10.81.9.0/29", 100)));

        assertEquals(List.of("withdraw 10.81.9.0/29"), ops(changes));
        Path sent = changes.get(0).path();
        assertTrue(sent.getIsWithdraw());
        assertEquals(ID, sent.getIdentifier());
        assertTrue(sent.hasNlri(), "a withdrawal without NLRI would flush every local path");
    }

    @Test
    void foreignPaths_areNeverWithdrawnNorCountedAsOurs() {
        BgpPath ours = path("10.81.2.0/29", 100);
        HeldPaths held = listed(List.of(
                Listings.global(path("10.99.0.0/24", 100), 0),
                Listings.global(path("10.81.2.0/29", 100), 7),
                Listings.global(path("10.81.4.0/29", 100), ID).toBuilder().setNeighborIp("192.0.2.9").build(),
                Listings.global(path("10.81.5.0/29", 100), ID)));

        assertEquals(List.of("withdraw 10.81.5.0/29"), ops(PathDiff.full(wanting(), held)));
        // another client's path with the same prefix does not make ours present
        assertEquals(List.of("announce 10.81.2.0/29", "withdraw 10.81.5.0/29"), ops(PathDiff.full(wanting(ours), held)));
    }

    @Test
    void theDiffOfASetAgainstItself_isEmpty() {
        BgpPath[] set = {
            path("10.81.2.0/29", 100, 65000L << 16 | 5, 65000L << 16 | 1),
            new BgpPath("", Prefix.parse("10.81.3.0/28"), Addresses.parse("192.0.2.7"), BgpPath.ORIGIN_IGP, 20L, null,
                    List.of(), List.of(new BgpPath.LargeCommunity(65000, 1, 2)), List.of("65000:7"),
                    List.of(65001L, 65002L)),
            path("fd00:81:2::/64", 100),
            new BgpPath("", Prefix.parse("fd00:81:3::/64"), Addresses.parse("fd00:80:12::9"), 0, 20L, 100L,
                    List.of(), List.of(), List.of(), List.of()),
            vrfPath("red", "10.82.0.0/24", 100),
            new BgpPath("blue", Prefix.parse("fd00:83::/64"), null, 2, null, 100L, List.of(), List.of(),
                    List.of("65000:7"), List.of()),
        };
        // read back from a listing
        assertEquals(List.of(), PathDiff.full(wanting(set), holding(set)));
        // or known from the changes gobgpd accepted
        HeldPaths written = new HeldPaths(ID);
        List<Change> first = PathDiff.full(wanting(set), written);
        assertEquals(set.length, first.size());
        first.forEach(written::applied);
        assertEquals(List.of(), PathDiff.full(wanting(set), written));
    }

    @Test
    void aPathThatDiffersOnlyInAttributeOrderOrNotation_isNotResent() {
        BgpPath asHeld = new BgpPath("", Prefix.parse("10.81.2.0/29"), Addresses.parse("0.0.0.0"),
                BgpPath.ORIGIN_INCOMPLETE, null, 100L, List.of(65000L << 16 | 1, 65000L << 16 | 5),
                List.of(new BgpPath.LargeCommunity(65000, 1, 2), new BgpPath.LargeCommunity(65000, 1, 1)),
                List.of("65000:1", "192.0.2.1:5"), List.of());
        BgpPath asWanted = new BgpPath("", Prefix.parse("10.81.2.0/29"), null, // "self": 0.0.0.0
                BgpPath.ORIGIN_INCOMPLETE, null, 100L, List.of(65000L << 16 | 5, 65000L << 16 | 1),
                List.of(new BgpPath.LargeCommunity(65000, 1, 1), new BgpPath.LargeCommunity(65000, 1, 2)),
                List.of("192.0.2.1:5", "065000:01"), List.of());
        BgpPath v6Held = new BgpPath("", Prefix.parse("fd00:81:2::/64"), Addresses.parse("::"),
                BgpPath.ORIGIN_INCOMPLETE, null, 100L, List.of(), List.of(), List.of(), List.of());
        BgpPath v6Wanted = path("fd00:81:2::/64", 100);

        assertEquals(List.of(), PathDiff.full(wanting(asWanted, v6Wanted), holding(asHeld, v6Held)));
    }

    @Test
    void aVrfPathHeldWithTheVrfsExportTargetsAppended_isAlreadyRight() {
        BgpPath p = vrfPath("red", "10.82.0.0/24", 100);
        assertEquals(List.of(), PathDiff.full(wanting(p), holding(p)));

        List<Change> changes = PathDiff.full(wanting(vrfPath("red", "10.82.0.0/24", 90)), holding(p));
        assertEquals(List.of("announce red:10.82.0.0/24"), ops(changes));
        assertEquals(TableType.VRF, changes.get(0).table());
        assertEquals(List.of("65000:11"), changes.get(0).attributes().routeTargets());
    }

    @Test
    void aPathThatCannotBeWrittenNow_isLeftAsGobgpdHoldsIt() {
        BgpPath inRed = vrfPath("red", "10.82.0.0/24", 100);
        BgpPath badRt = new BgpPath("", Prefix.parse("10.81.2.0/29"), null, 2, null, 100L, List.of(), List.of(),
                List.of("65000:x"), List.of());
        BgpPath global = path("10.81.3.0/29", 100);
        List<WantedPaths.Invalid> invalid = new ArrayList<>();
        // red could not be created this time, and one path has a route target gobgpd cannot take
        WantedPaths w = WantedPaths.of(List.of(vrfPath("red", "10.82.0.0/24", 90), badRt, global), VRFS, Set.of(),
                invalid::add);

        assertEquals(List.of("announce 10.81.3.0/29"), ops(PathDiff.full(w, holding(inRed, path("10.81.2.0/29", 100)))));
        assertEquals(List.of(badRt.key()), invalid.stream().map(WantedPaths.Invalid::key).toList());
    }

    @Test
    void ipv6Paths_areAnnouncedReplacedAndWithdrawn() throws InvalidProtocolBufferException {
        BgpPath kept = path("fd00:81:1::/64", 100);
        BgpPath stale = path("fd00:81:9::/64", 100);
        BgpPath changed = new BgpPath("", Prefix.parse("fd00:81:2::/64"), Addresses.parse("fd00:80:12::9"), 0, 20L,
                100L, List.of(), List.of(), List.of(), List.of());
        BgpPath added = path("fd00:81:3::/64", 100);
        List<Change> changes = PathDiff.full(wanting(kept, changed, added),
                holding(kept, stale, path("fd00:81:2::/64", 100)));

        assertEquals(Set.of("announce fd00:81:2::/64", "announce fd00:81:3::/64"), Set.copyOf(ops(changes).subList(0, 2)));
        assertEquals("withdraw fd00:81:9::/64", ops(changes).get(2));
        for (Change c : changes) {
            assertEquals(Family.Afi.AFI_IP6, c.path().getFamily().getAfi());
        }
        Change announce = changes.stream().filter(c -> c.key().equals(changed.key())).findFirst().orElseThrow();
        MpReachNLRIAttribute mp = announce.path().getPattrsList().stream().filter(a -> a.is(MpReachNLRIAttribute.class))
                .findFirst().orElseThrow().unpack(MpReachNLRIAttribute.class);
        assertEquals(List.of("fd00:80:12::9"), mp.getNextHopsList());
    }

    @Test
    void everyAnnouncementBeforeAnyWithdrawal_tableAfterTable_globalFirst() {
        HeldPaths held = holding(path("10.81.1.0/24", 100), vrfPath("red", "10.82.1.0/24", 100),
                vrfPath("blue", "10.83.1.0/24", 100));
        WantedPaths wanted = wanting(vrfPath("red", "10.82.2.0/24", 100), path("10.81.2.0/24", 100),
                vrfPath("blue", "10.83.2.0/24", 100));

        // make before break: after a restart the desired set is in gobgpd before the stale paths go
        assertEquals(List.of("announce 10.81.2.0/24", "announce blue:10.83.2.0/24", "announce red:10.82.2.0/24",
                "withdraw 10.81.1.0/24", "withdraw blue:10.83.1.0/24", "withdraw red:10.82.1.0/24"),
                ops(PathDiff.full(wanted, held)));
    }

    @Test
    void theDiffOfSomeKeys_isTheFullDiffForThoseKeys() {
        BgpPath a = path("10.81.1.0/24", 100);
        BgpPath b = path("10.81.2.0/24", 100);
        BgpPath c = path("10.81.3.0/24", 100);
        HeldPaths held = holding(a, b, c);
        WantedPaths wanted = wanting(path("10.81.1.0/24", 90), b, path("10.81.4.0/24", 100),
                vrfPath("red", "10.82.0.0/24", 100));
        List<String> full = ops(PathDiff.full(wanted, held));
        assertEquals(Set.of("withdraw 10.81.3.0/24", "announce 10.81.1.0/24", "announce 10.81.4.0/24",
                "announce red:10.82.0.0/24"), Set.copyOf(full));

        Set<BgpPath.Key> some = Set.of(c.key(), key("red", "10.82.0.0/24"), b.key(), a.key());
        List<String> expected = full.stream().filter(op -> !op.endsWith(" 10.81.4.0/24")).toList();
        assertEquals(expected, ops(PathDiff.of(some, wanted, held)));
        assertEquals(List.of(), ops(PathDiff.of(Set.of(key("", "10.81.7.0/24"), b.key()), wanted, held)));
    }

    @Test
    void incrementalChanges_leaveNothingForTheNextFullDiff() {
        BgpPath a = path("10.81.1.0/24", 100);
        BgpPath b = path("10.81.2.0/24", 100);
        HeldPaths held = new HeldPaths(ID);
        WantedPaths wanted = new WantedPaths(VRFS, VRFS.keySet());
        wanted.put(a);
        wanted.put(b);
        PathDiff.of(Set.of(a.key(), b.key()), wanted, held).forEach(held::applied);

        BgpPath a2 = path("10.81.1.0/24", 90);
        BgpPath v = vrfPath("red", "10.82.0.0/24", 100);
        wanted.put(a2);
        wanted.remove(b.key());
        wanted.put(v);
        List<Change> step = PathDiff.of(Set.of(a2.key(), b.key(), v.key()), wanted, held);
        assertEquals(List.of("announce 10.81.1.0/24", "announce red:10.82.0.0/24", "withdraw 10.81.2.0/24"), ops(step));
        step.forEach(held::applied);

        assertEquals(List.of(), PathDiff.full(wanted, held));
        assertEquals(List.of(), PathDiff.full(wanted, holding(a2, v)));
    }
}
