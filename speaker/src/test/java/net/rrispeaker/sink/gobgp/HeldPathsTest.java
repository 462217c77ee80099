package net.rrispeaker.sink.gobgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.rrispeaker.gobgp.api.IPAddressPrefix;
import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.VrfDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which listed paths are ours, and what the sink then believes gobgpd holds. */
class HeldPathsTest {
    private static final int ID = 21074;
    private static final VrfDefinition RED = new VrfDefinition("red", "65000:10", List.of("65000:10"),
            List.of("65000:11"), "rri.conf", 3);
    private static final Function<String, String> RDS = Map.of("65000:10", "red")::get;

    private final HeldPaths held = new HeldPaths(ID);

    private static BgpPath path(String vrf, String prefix) {
        return new BgpPath(vrf, Prefix.parse(prefix), null, BgpPath.ORIGIN_INCOMPLETE, null, 100L, List.of(),
                List.of(), List.of(), List.of());
    }

    private static BgpPath.Key key(String vrf, String prefix) {
        return new BgpPath.Key(vrf, Prefix.parse(prefix));
    }

    @Test
    void ourGlobalPaths_areHeldWithTheAttributesTheyWereAnnouncedWith() {
        BgpPath v4 = path("", "10.81.2.0/29");
        BgpPath v6 = path("", "fd00:81:2::/64");
        assertEquals(HeldPaths.Listed.TAKEN, held.take(Listings.global(v4, ID), RDS));
        assertEquals(HeldPaths.Listed.TAKEN, held.take(Listings.global(v6, ID), RDS));

        assertEquals(Set.of(v4.key(), v6.key()), held.keys());
        assertEquals(PathAttributes.of(v4, List.of()), held.get(v4.key()));
        assertEquals(PathAttributes.of(v6, List.of()), held.get(v6.key()));
    }

    @Test
    void pathsWithAnotherIdentifier_areNotOurs() {
        assertEquals(HeldPaths.Listed.FOREIGN, held.take(Listings.global(path("", "10.81.2.0/29"), 7), RDS));
        assertEquals(HeldPaths.Listed.FOREIGN, held.take(Listings.global(path("", "10.81.2.0/29"), 0), RDS));
        assertEquals(0, held.size());
    }

    @Test
    void aPathLearnedFromAPeer_isNotOursEvenWithOurIdentifier() {
        Path fromPeer = Listings.global(path("", "10.81.2.0/29"), ID).toBuilder().setNeighborIp("192.0.2.9").build();
        assertEquals(HeldPaths.Listed.FOREIGN, held.take(fromPeer, RDS));
        assertEquals(0, held.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<nil>", "0.0.0.0", "::"})
    void everyFormOfNoPeer_isLocal(String neighbor) {
        Path p = Listings.global(path("", "10.81.2.0/29"), ID).toBuilder().setNeighborIp(neighbor).build();
        assertEquals(HeldPaths.Listed.TAKEN, held.take(p, RDS));
    }

    @Test
    void aVpnPath_isHeldInTheVrfWithItsRd() {
        BgpPath p = path("red", "10.82.0.0/24");
        assertEquals(HeldPaths.Listed.TAKEN, held.take(Listings.vpn(p, ID, RED), RDS));
        assertEquals(Set.of(key("red", "10.82.0.0/24")), held.keys());
        assertEquals(PathAttributes.of(p, RED.exportTargets()), held.get(p.key()));
    }

    @Test
    void aVpnPathWhoseRdNoVrfHas_isLeftAlone() {
        VrfDefinition gone = new VrfDefinition("gone", "65000:99", List.of(), List.of(), "rri.conf", 9);
        assertEquals(HeldPaths.Listed.UNKNOWN_RD, held.take(Listings.vpn(path("gone", "10.82.0.0/24"), ID, gone), RDS));
        assertEquals(0, held.size());
    }

    @Test
    void aPathOfOursThatCannotBeDecoded_isReportedAndNotHeld() {
        Path bad = Path.newBuilder().setIdentifier(ID).setNlri(Any.pack(IPAddressPrefix.newBuilder()
                .setPrefix("10.1.2.0").setPrefixLen(24).build()))
                .addPattrs(Any.newBuilder().setTypeUrl("type.googleapis.com/apipb.LocalPrefAttribute")
                        .setValue(com.google.protobuf.ByteString.copyFrom(new byte[] {(byte) 0x08})).build())
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> held.take(bad, RDS));
        assertTrue(e.getMessage().startsWith("path attribute: "), e.getMessage());
        assertEquals(0, held.size());
    }

    @Test
    void acceptedChanges_updateWhatIsHeld() {
        BgpPath a = path("", "10.81.2.0/29");
        BgpPath b = path("", "10.81.3.0/29");
        held.applied(Change.announce(a, PathAttributes.of(a, List.of()), ID));
        held.applied(Change.announce(b, PathAttributes.of(b, List.of()), ID));
        held.applied(Change.withdraw(a.key(), ID));
        assertEquals(Set.of(b.key()), held.keys());
    }

    @Test
    void pathsOfAVrfGobgpdNoLongerHas_areForgotten() {
        for (BgpPath p : List.of(path("", "10.81.2.0/29"), path("red", "10.82.0.0/24"), path("blue", "10.83.0.0/24"))) {
            held.applied(Change.announce(p, PathAttributes.of(p, List.of()), ID));
        }
        assertEquals(Set.of("red", "blue"), held.vrfsInUse());

        held.forgetVrfsOtherThan(Set.of("red"));

        assertEquals(Set.of(key("", "10.81.2.0/29"), key("red", "10.82.0.0/24")), held.keys());
        assertEquals(Set.of("red"), held.vrfsInUse());
    }

    @Test
    void aVrfIsInUseUntilItsLastPathIsWithdrawn() {
        BgpPath a = path("red", "10.82.0.0/24");
        BgpPath b = path("red", "10.82.1.0/24");
        held.applied(Change.announce(a, PathAttributes.of(a, List.of()), ID));
        held.applied(Change.announce(b, PathAttributes.of(b, List.of()), ID));
        held.applied(Change.announce(b, PathAttributes.of(b, List.of()), ID)); // a replacement
        held.applied(Change.withdraw(a.key(), ID));
        assertEquals(Set.of("red"), held.vrfsInUse());
        held.applied(Change.withdraw(b.key(), ID));
        assertEquals(Set.of(), held.vrfsInUse());
    }
}
