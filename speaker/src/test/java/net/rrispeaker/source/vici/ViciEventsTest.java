package net.rrispeaker.source.vici;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.Test;

/** Conversions checked against events transcribed from a real charon's events (src/test/resources/vici). */
class ViciEventsTest {
    private static final Map<String, TranscriptMessages.Event> REAL = TranscriptMessages.load("transcript-events.txt");
    private static final Map<String, TranscriptMessages.Event> LISTS = TranscriptMessages.load("list-sa-events.txt");
    private static final Map<String, TranscriptMessages.Event> UPDATES = TranscriptMessages.load("ike-update-events.txt");

    private static List<SaEvent> update(String label) {
        return ViciEvents.convert("ike-update", UPDATES.get(label).message());
    }

    private static List<SaEvent> convert(String label) {
        TranscriptMessages.Event e = REAL.get(label);
        return ViciEvents.convert(e.name(), e.message());
    }

    @Test
    void childUpFromTheTranscriptIsAnInstalledSaWithItsNegotiatedSelectors() {
        SaEvent.ChildUp up = assertInstanceOf(SaEvent.ChildUp.class, single(convert("A-child-up")));
        ChildSa sa = up.sa();
        assertEquals("spokes", sa.connection());
        assertEquals(2, sa.ikeId());
        assertEquals("spoke-lan", sa.child(), "child name comes from the inner key, not 'spoke-lan-2'");
        assertEquals(2, sa.childId());
        assertEquals(1, sa.reqid());
        assertEquals(Addresses.parse("192.0.2.2"), sa.remoteHost());
        assertEquals(Addresses.parse("192.0.2.1"), sa.localHost());
        assertEquals("spoke1.rri.test", sa.remoteId());
        assertEquals(List.of(Prefix.parse("10.80.0.0/16")), sa.localTs());
        assertEquals(List.of(Prefix.parse("10.81.2.0/29")), sa.remoteTs());
        assertEquals(0, sa.ifId());
        assertEquals(List.of(), sa.unroutableTs());
    }

    @Test
    void childWithTwoSubnetsKeepsBothInOrder() {
        ChildSa sa = assertInstanceOf(SaEvent.ChildUp.class, single(convert("E1-child-up-two-ts"))).sa();
        assertEquals(List.of(Prefix.parse("10.81.3.0/28"), Prefix.parse("10.81.4.0/28")), sa.remoteTs());
        assertEquals(6, sa.childId());
        assertEquals(4, sa.ikeId(), "IKE uniqueid after the IKE rekey");
    }

    @Test
    void childUpdownWithoutUpKeyIsDownWhateverTheState() {
        SaEvent.ChildDown down = assertInstanceOf(SaEvent.ChildDown.class, single(convert("E2-child-down")));
        assertEquals(new ChildSa.Id("spokes", 6), down.sa().id());
        // G: IKE terminate; the child's state in the down event is still what it was
        assertInstanceOf(SaEvent.ChildDown.class, single(convert("G-child-down")));
    }

    @Test
    void childRekeyGivesOldAndNewWithTheNewUniqueid() {
        SaEvent.ChildRekeyed r = assertInstanceOf(SaEvent.ChildRekeyed.class, single(convert("B-child-rekey")));
        assertEquals(new ChildSa.Id("spokes", 3), r.old().id());
        assertEquals(new ChildSa.Id("spokes", 4), r.replacement().id());
        assertEquals("spoke-lan", r.replacement().child());
        assertEquals(1, r.replacement().reqid());
        assertEquals(r.old().remoteTs(), r.replacement().remoteTs());
    }

    @Test
    void ikeRekeyCarriesBothIkeIds() {
        assertEquals(List.of(new SaEvent.IkeRekeyed("spokes", 3, 4)), convert("D-ike-rekey"));
    }

    @Test
    void ikeUpIsSilentAndIkeDownIsReported() {
        assertEquals(List.of(), convert("A-ike-up"));
        assertEquals(List.of(new SaEvent.IkeDown("spokes", 6)), convert("G-ike-down"));
    }

    @Test
    void eventsWeDoNotUseConvertToNothing() {
        assertEquals(List.of(), ViciEvents.convert("ike-reestablish", REAL.get("A-ike-up").message()));
    }

    @Test
    void ikeUpdateGivesThePeersNewAddressFromTheTopLevelNotTheOldOneInTheIkeSection() {
        assertEquals(List.of(new SaEvent.IkeAddressChanged("spokes", 2, Addresses.parse("198.51.100.7"))),
                update("mobike-peer-moved"));
    }

    @Test
    void ikeUpdateOfTheUnnamedIkeSaDuringSetupIsIgnored() {
        assertEquals(List.of(), convert("A-ike-update-unnamed"), "the real one from charon during IKE_SA_INIT");
        ViciMessage unnamed = REAL.get("A-ike-update-unnamed").message().section("(unnamed)");
        ViciMessage moved = ViciMessage.builder().add("local-host", "192.0.2.1").add("local-port", "4500")
                .add("remote-host", "198.51.100.7").add("remote-port", "4500").section("(unnamed)", unnamed).build();
        assertEquals(List.of(), ViciEvents.convert("ike-update", moved), "no config, no CHILD_SAs: nothing to move");
    }

    @Test
    void ikeUpdateThatOnlyMovesThePortChangesNothing() {
        assertEquals(List.of(), update("nat-port-rebinding"));
    }

    @Test
    void ikeUpdateWithABadNewAddressIsABadValueNamingTheTopLevelKey() {
        ViciEventException e = assertThrows(ViciEventException.class, () -> update("bad-new-remote-host"));
        assertEquals("ike-update: remote-host: '198.51.100.x' (expected: an IP address)", e.getMessage());
        assertEquals(ViciEventException.BAD_VALUE, e.reason());
    }

    @Test
    void listSaKeepsInstalledAndRekeyingChildrenOnly() {
        List<ViciEventException> skipped = new ArrayList<>();
        List<ChildSa> sas = ViciEvents.installedChildren(LISTS.get("hub-two-children").message(), skipped::add);
        assertEquals(List.of(5L, 6L, 7L), sas.stream().map(ChildSa::childId).toList(),
                "REKEYED (4) and DELETING (8) are on their way out; 9 has no uniqueid");
        assertEquals(1, skipped.size());
        assertEquals(ViciEventException.MISSING_KEY, skipped.get(0).reason());
        assertEquals("list-sa/spokes/child-sas/spoke-broken-9: uniqueid: missing (expected: a value)",
                skipped.get(0).getMessage());
        assertEquals(0x2a, sas.get(1).ifId());
    }

    @Test
    void listSaSelectorsRouteTheAddressPartSplitRangesAndKeepDynamicAside() {
        ChildSa v6 = ViciEvents.installedChildren(LISTS.get("hub-two-children").message(), e -> { }).get(2);
        assertEquals(List.of(Prefix.parse("fd00:81:2::/64"), Prefix.parse("10.81.5.1/32"), Prefix.parse("10.81.5.2/31"),
                Prefix.parse("10.81.5.4/31"), Prefix.parse("10.81.5.6/32")), v6.remoteTs());
        assertEquals(List.of("dynamic"), v6.unroutableTs());
    }

    @Test
    void realListSaFromCharonGivesItsInstalledChild() {
        List<ChildSa> sas = ViciEvents.installedChildren(LISTS.get("real-5.9.8").message(), e -> {
            throw new AssertionError(e);
        });
        assertEquals(1, sas.size());
        ChildSa sa = sas.get(0);
        assertEquals(new ChildSa.Id("spokes", 3), sa.id());
        assertEquals("spoke-lan", sa.child());
        assertEquals(Addresses.parse("192.0.2.10"), sa.remoteHost());
        assertEquals(List.of(Prefix.parse("10.81.2.0/29")), sa.remoteTs());
    }

    @Test
    void realListSaRightAfterARekeyLeavesTheDeletedPredecessorOut() {
        List<ChildSa> sas = ViciEvents.installedChildren(LISTS.get("real-after-rekey").message(), e -> {
            throw new AssertionError(e);
        });
        assertEquals(List.of(new ChildSa.Id("spokes", 2)), sas.stream().map(ChildSa::id).toList(),
                "uniqueid 1 is listed in state DELETED and has no down event coming");
    }

    @Test
    void listSaWithoutChildrenIsEmpty() {
        assertEquals(List.of(), ViciEvents.installedChildren(LISTS.get("no-children-yet").message(), e -> { }));
    }

    @Test
    void badRemoteHostSkipsThatChildWithAClearError() {
        List<ViciEventException> skipped = new ArrayList<>();
        assertEquals(List.of(), ViciEvents.installedChildren(LISTS.get("bad-remote-host").message(), skipped::add));
        assertEquals("list-sa/other: remote-host: 'not-an-address' (expected: an IP address)", skipped.get(0).getMessage());
        assertEquals(ViciEventException.BAD_VALUE, skipped.get(0).reason());
    }

    @Test
    void childUpdownWithoutChildSectionIsALayoutError() {
        ViciMessage m = ViciMessage.builder().add("up", "yes")
                .section("spokes", ViciMessage.builder().add("uniqueid", "2").add("remote-host", "192.0.2.2").build())
                .build();
        ViciEventException e = assertThrows(ViciEventException.class, () -> ViciEvents.convert("child-updown", m));
        assertEquals("child-updown/spokes: section 'child-sas' missing (expected: a section)", e.getMessage());
        assertEquals(ViciEventException.BAD_LAYOUT, e.reason());
    }

    @Test
    void ikeDownWithoutSectionIsALayoutError() {
        ViciEventException e = assertThrows(ViciEventException.class,
                () -> ViciEvents.convert("ike-updown", ViciMessage.EMPTY));
        assertTrue(e.getMessage().startsWith("ike-updown: no section"), e.getMessage());
    }

    @Test
    void nonNumericUniqueidIsABadValue() {
        ViciMessage m = ViciMessage.builder().section("spokes", ViciMessage.builder().add("uniqueid", "x2").build()).build();
        ViciEventException e = assertThrows(ViciEventException.class, () -> ViciEvents.convert("ike-updown", m));
        assertEquals("ike-updown/spokes: uniqueid: 'x2' (expected: a decimal number)", e.getMessage());
    }

    private static SaEvent single(List<SaEvent> events) {
        assertEquals(1, events.size(), events.toString());
        return events.get(0);
    }
}
