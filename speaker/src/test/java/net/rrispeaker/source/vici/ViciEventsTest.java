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

    /** A child-updown up for spokes[4] child lan/5 from 192.0.2.2 with these remote selectors. */
    private static ViciMessage childUp(String remoteHost, List<String> remoteTs) {
        ViciMessage child = ViciMessage.builder().add("name", "lan").add("uniqueid", "5").add("reqid", "1")
                .list("local-ts", List.of("10.80.0.0/16")).list("remote-ts", remoteTs).build();
        return ViciMessage.builder().add("up", "yes").section("spokes", ViciMessage.builder().add("uniqueid", "4")
                .add("remote-host", remoteHost).add("remote-id", "spoke\nFAKE LOG LINE")
                .section("child-sas", ViciMessage.builder().section("lan-5", child).build()).build()).build();
    }

    private record Refusal(String peer, String side, TrafficSelectors.Rejected rejected) {
    }

    @Test
    void aRefusedSelectorIsReportedWithItsPeerAndTheSaKeepsItsValidOnes() {
        List<Refusal> refused = new ArrayList<>();
        SaEvent.ChildUp up = assertInstanceOf(SaEvent.ChildUp.class, single(ViciEvents.convert("child-updown",
                childUp("192.0.2.2", List.of("10.81.2.0/29", "::ffff:0:0/96", "2001:db8:81::/48")),
                (peer, side, r) -> refused.add(new Refusal(peer, side, r)))));
        assertEquals(List.of(Prefix.parse("10.81.2.0/29"), Prefix.parse("2001:db8:81::/48")), up.sa().remoteTs());
        assertEquals(List.of(), up.sa().unroutableTs(), "a refused selector is not kept as text in the SA");
        assertEquals(1, refused.size());
        assertEquals("conn=spokes ike=4 child=lan/5 remote=192.0.2.2", refused.get(0).peer());
        assertEquals("remote-ts", refused.get(0).side());
        assertEquals("::ffff:0:0/96", refused.get(0).rejected().raw());
        assertEquals(TrafficSelectors.Refusal.IPV4_MAPPED, refused.get(0).rejected().why().reason());
    }

    @Test
    void anSaWhoseSelectorsAreAllRefusedStillComesUpWithNoRoutes() {
        SaEvent.ChildUp up = assertInstanceOf(SaEvent.ChildUp.class, single(ViciEvents.convert("child-updown",
                childUp("192.0.2.2", List.of("::ffff:10.0.0.0/104", "10.0.0.0/33")))));
        assertEquals(List.of(), up.sa().remoteTs());
    }

    @Test
    void selectorsOfAnSaGoingAwayAreNotReportedAgain() {
        List<Refusal> refused = new ArrayList<>();
        ViciMessage down = ViciMessage.builder().section("spokes",
                childUp("192.0.2.2", List.of("::ffff:0:0/96")).section("spokes")).build();
        assertInstanceOf(SaEvent.ChildDown.class, single(ViciEvents.convert("child-updown", down,
                (peer, side, r) -> refused.add(new Refusal(peer, side, r)))));
        assertEquals(List.of(), refused, "reported when it came up");
    }

    @Test
    void childRekeyReportsTheNewSasRefusalsOnly() {
        ViciMessage oldChild = ViciMessage.builder().add("name", "lan").add("uniqueid", "5").add("reqid", "1")
                .list("remote-ts", List.of("::ffff:0:0/96", "10.81.2.0/29")).build();
        ViciMessage newChild = ViciMessage.builder().add("name", "lan").add("uniqueid", "6").add("reqid", "1")
                .list("remote-ts", List.of("::1.2.3.4", "10.81.2.0/29")).build();
        ViciMessage m = ViciMessage.builder().section("spokes", ViciMessage.builder().add("uniqueid", "4")
                .add("remote-host", "192.0.2.2").section("child-sas", ViciMessage.builder().section("lan",
                        ViciMessage.builder().section("old", oldChild).section("new", newChild).build()).build()).build()).build();
        List<Refusal> refused = new ArrayList<>();
        SaEvent.ChildRekeyed r = assertInstanceOf(SaEvent.ChildRekeyed.class, single(ViciEvents.convert("child-rekey", m,
                (peer, side, x) -> refused.add(new Refusal(peer, side, x)))));
        assertEquals(List.of(Prefix.parse("10.81.2.0/29")), r.replacement().remoteTs());
        assertEquals(List.of("::1.2.3.4"), refused.stream().map(x -> x.rejected().raw()).toList());
        assertEquals("conn=spokes ike=4 child=lan/6 remote=192.0.2.2", refused.get(0).peer());
    }

    @Test
    void aBadEventNamesTheSaItWasAbout() {
        ViciMessage m = childUp("192.0.2.2", List.of("10.81.2.0/29"));
        ViciMessage noReqid = ViciMessage.builder().add("up", "yes").section("spokes", ViciMessage.builder()
                .add("uniqueid", "4").add("remote-host", "192.0.2.2").section("child-sas", ViciMessage.builder()
                        .section("lan-5", ViciMessage.builder().add("name", "lan").add("uniqueid", "5").build()).build())
                .build()).build();
        ViciEventException e = assertThrows(ViciEventException.class, () -> ViciEvents.convert("child-updown", noReqid));
        assertEquals("child-updown/spokes/child-sas/lan-5: reqid: missing (expected: a value)", e.getMessage());
        assertEquals("conn=spokes ike=4 child=lan/5 remote=192.0.2.2", e.peer());
        assertEquals(1, ViciEvents.convert("child-updown", m).size());
    }

    @Test
    void ipv4MappedOrCompatiblePeerAddressIsABadValue() {
        for (String host : List.of("::ffff:192.0.2.2", "::192.0.2.2", "::", "::1", "192.0.2", "0xc0.0.2.2", "fe80::1%eth0")) {
            ViciEventException e = assertThrows(ViciEventException.class,
                    () -> ViciEvents.convert("child-updown", childUp(host, List.of("10.81.2.0/29"))), host);
            assertEquals(ViciEventException.BAD_VALUE, e.reason(), host);
        }
    }

    @Test
    void peerIdentityKeepsNoControlCharacters() {
        ChildSa sa = assertInstanceOf(SaEvent.ChildUp.class,
                single(ViciEvents.convert("child-updown", childUp("192.0.2.2", List.of("10.81.2.0/29"))))).sa();
        assertEquals("spoke\\u000aFAKE LOG LINE", sa.remoteId());
    }

    @Test
    void numbersAreAsciiDigitsOnly() {
        for (String id : List.of("+4", "-4", "\u0664", "4 ", "18446744073709551616")) {
            ViciMessage m = ViciMessage.builder().section("spokes", ViciMessage.builder().add("uniqueid", id).build()).build();
            ViciEventException e = assertThrows(ViciEventException.class, () -> ViciEvents.convert("ike-updown", m), id);
            assertEquals(ViciEventException.BAD_VALUE, e.reason());
        }
    }

    @Test
    void listSaChildThatCannotBeReadMarksItsIkeSaUnreadableAndTheOthersStillCount() {
        List<ViciEventException> problems = new ArrayList<>();
        ViciEvents.ListSa l = ViciEvents.listSa(LISTS.get("hub-two-children").message(), problems::add,
                ViciEvents.SelectorRefusals.IGNORE);
        assertEquals(List.of(5L, 6L, 7L), l.installed().stream().map(ChildSa::childId).toList());
        assertEquals(List.of(SaEvent.UnreadableIkeSa.of("spokes", 4)), l.unreadable());
        assertEquals("conn=spokes ike=4 child=spoke-broken/(none) remote=192.0.2.2", problems.get(0).peer());
    }

    @Test
    void listSaWithAnUnreadableIkeBlockIsReportedOnceAndMarksTheIkeSa() {
        List<ViciEventException> problems = new ArrayList<>();
        ViciEvents.ListSa l = ViciEvents.listSa(LISTS.get("bad-remote-host").message(), problems::add,
                ViciEvents.SelectorRefusals.IGNORE);
        assertEquals(List.of(), l.installed());
        assertEquals(List.of(SaEvent.UnreadableIkeSa.of("other", 13)), l.unreadable());
        assertEquals(1, problems.size());
    }

    @Test
    void listSaWithoutAReadableIkeIdMarksTheWholeConnection() {
        ViciMessage m = ViciMessage.builder().section("spokes", ViciMessage.builder().add("uniqueid", "four")
                .add("remote-host", "192.0.2.2").section("child-sas", ViciMessage.builder().section("lan-5",
                        ViciMessage.builder().add("name", "lan").add("uniqueid", "5").add("reqid", "1")
                                .add("state", "INSTALLED").build()).build()).build()).build();
        ViciEvents.ListSa l = ViciEvents.listSa(m, e -> { }, ViciEvents.SelectorRefusals.IGNORE);
        assertEquals(List.of(SaEvent.UnreadableIkeSa.connection("spokes")), l.unreadable());
    }

    @Test
    void listSaChildWithoutStateOrWithSelectorsThatAreNotAListIsUnreadable() {
        ViciMessage noState = ViciMessage.builder().add("name", "lan").add("uniqueid", "5").add("reqid", "1").build();
        ViciMessage tsNotList = ViciMessage.builder().add("name", "lan").add("uniqueid", "6").add("reqid", "1")
                .add("state", "INSTALLED").add("remote-ts", "10.81.2.0/29").build();
        ViciMessage fine = ViciMessage.builder().add("name", "lan").add("uniqueid", "7").add("reqid", "1")
                .add("state", "INSTALLED").list("remote-ts", List.of("10.81.7.0/29")).build();
        ViciMessage m = ViciMessage.builder().section("spokes", ViciMessage.builder().add("uniqueid", "4")
                .add("remote-host", "192.0.2.2").section("child-sas", ViciMessage.builder().section("lan-5", noState)
                        .section("lan-6", tsNotList).section("lan-7", fine).build()).build()).build();
        List<ViciEventException> problems = new ArrayList<>();
        ViciEvents.ListSa l = ViciEvents.listSa(m, problems::add, ViciEvents.SelectorRefusals.IGNORE);
        assertEquals(List.of(7L), l.installed().stream().map(ChildSa::childId).toList());
        assertEquals(List.of(SaEvent.UnreadableIkeSa.of("spokes", 4)), l.unreadable());
        assertEquals(List.of("list-sa/spokes/child-sas/lan-5: state: missing (expected: a value)",
                "list-sa/spokes/child-sas/lan-6: remote-ts: not a list (expected: a list)"),
                problems.stream().map(Throwable::getMessage).toList());
    }

    @Test
    void listSaOfTwoIkeSasLosesOnlyTheBadOne() {
        ViciMessage good = LISTS.get("real-5.9.8").message();
        ViciMessage bad = LISTS.get("bad-remote-host").message();
        ViciMessage both = ViciMessage.builder().entry(good.entries().get(0)).entry(bad.entries().get(0)).build();
        ViciEvents.ListSa l = ViciEvents.listSa(both, e -> { }, ViciEvents.SelectorRefusals.IGNORE);
        assertEquals(List.of(new ChildSa.Id("spokes", 3)), l.installed().stream().map(ChildSa::id).toList());
        assertEquals(List.of(SaEvent.UnreadableIkeSa.of("other", 13)), l.unreadable());
    }

    @Test
    void undecodableListSaNamesWhatItCouldOrElseEveryIkeSa() {
        assertEquals(List.of(SaEvent.UnreadableIkeSa.unidentified()), ViciEvents.unreadableFrom(ViciMessage.EMPTY));
        ViciMessage partial = ViciMessage.builder().section("spokes", ViciMessage.builder().add("version", "2").build()).build();
        assertEquals(List.of(SaEvent.UnreadableIkeSa.connection("spokes")), ViciEvents.unreadableFrom(partial));
    }

    /** A child-updown up whose IKE section has {@code ike} before its child-sas and {@code after} behind it. */
    private static ViciMessage childUpWith(ViciMessage child, ViciMessage.Builder ike) {
        return ViciMessage.builder().add("up", "yes").section("spokes", ike
                .section("child-sas", ViciMessage.builder().section("lan-5", child).build()).build()).build();
    }

    @Test
    void keysAreFoundWhereverTheyStandAndTheFirstOfARepeatedKeyCounts() {
        ViciMessage child = ViciMessage.builder().list("remote-ts", List.of("10.81.2.0/29")).add("uniqueid", "5")
                .add("uniqueid", "9").add("reqid", "1").add("name", "lan").list("remote-ts", List.of("10.99.0.0/16")).build();
        ViciMessage m = ViciMessage.builder().section("spokes", ViciMessage.builder()
                .section("child-sas", ViciMessage.builder().section("lan-5", child).build())
                .add("remote-host", "192.0.2.2").add("uniqueid", "4").build()).add("up", "yes").build();
        ChildSa sa = assertInstanceOf(SaEvent.ChildUp.class, single(ViciEvents.convert("child-updown", m))).sa();
        assertEquals(new ChildSa.Id("spokes", 5), sa.id());
        assertEquals(4, sa.ikeId(), "IKE keys behind the child-sas section");
        assertEquals(List.of(Prefix.parse("10.81.2.0/29")), sa.remoteTs());
    }

    @Test
    void aKeyThatIsASectionOrAListIsMissingAsAValue() {
        ViciMessage child = ViciMessage.builder().add("name", "lan").add("uniqueid", "5")
                .section("reqid", ViciMessage.builder().add("reqid", "1").build()).build();
        ViciEventException e = assertThrows(ViciEventException.class, () -> ViciEvents.convert("child-updown",
                childUpWith(child, ViciMessage.builder().add("uniqueid", "4").add("remote-host", "192.0.2.2"))));
        assertEquals("child-updown/spokes/child-sas/lan-5: reqid: missing (expected: a value)", e.getMessage());
        ViciMessage listId = ViciMessage.builder().add("name", "lan").list("uniqueid", List.of("5")).add("reqid", "1").build();
        e = assertThrows(ViciEventException.class, () -> ViciEvents.convert("child-updown",
                childUpWith(listId, ViciMessage.builder().add("uniqueid", "4").add("remote-host", "192.0.2.2"))));
        assertEquals("child-updown/spokes/child-sas/lan-5: uniqueid: missing (expected: a value)", e.getMessage());
    }

    @Test
    void idsUpToTheLargestUnsignedSixtyFourBitNumberAreRead() {
        ViciMessage child = ViciMessage.builder().add("name", "lan").add("uniqueid", "00000000000000000007")
                .add("reqid", "18446744073709551615").build();
        ChildSa sa = assertInstanceOf(SaEvent.ChildUp.class, single(ViciEvents.convert("child-updown",
                childUpWith(child, ViciMessage.builder().add("uniqueid", "9223372036854775808").add("remote-host", "192.0.2.2"))))).sa();
        assertEquals(7, sa.childId());
        assertEquals("18446744073709551615", Long.toUnsignedString(sa.reqid()));
        assertEquals("9223372036854775808", Long.toUnsignedString(sa.ikeId()));
        for (String id : List.of("", "99999999999999999999", "000000000000000000007", "1e3", "0x10")) {
            ViciMessage bad = ViciMessage.builder().add("name", "lan").add("uniqueid", id).add("reqid", "1").build();
            ViciEventException e = assertThrows(ViciEventException.class, () -> ViciEvents.convert("child-updown",
                    childUpWith(bad, ViciMessage.builder().add("uniqueid", "4").add("remote-host", "192.0.2.2"))), id);
            assertEquals("child-updown/spokes/child-sas/lan-5: uniqueid: '" + id + "' (expected: a decimal number)", e.getMessage());
        }
    }

    @Test
    void interfaceIdIsOneToSixteenHexDigits() {
        for (Map.Entry<String, Long> ok : Map.of("2a", 42L, "0000002A", 42L, "ffffffffffffffff", -1L, "0", 0L).entrySet()) {
            ViciMessage child = ViciMessage.builder().add("name", "lan").add("uniqueid", "5").add("reqid", "1")
                    .add("if-id-out", ok.getKey()).build();
            ChildSa sa = assertInstanceOf(SaEvent.ChildUp.class, single(ViciEvents.convert("child-updown",
                    childUpWith(child, ViciMessage.builder().add("uniqueid", "4").add("remote-host", "192.0.2.2"))))).sa();
            assertEquals(ok.getValue(), sa.ifId(), ok.getKey());
        }
        for (String bad : List.of("", "0x2a", "12345678901234567", "2g", "-1")) {
            ViciMessage child = ViciMessage.builder().add("name", "lan").add("uniqueid", "5").add("reqid", "1")
                    .add("if-id-out", bad).build();
            ViciEventException e = assertThrows(ViciEventException.class, () -> ViciEvents.convert("child-updown",
                    childUpWith(child, ViciMessage.builder().add("uniqueid", "4").add("remote-host", "192.0.2.2"))), bad);
            assertEquals("child-updown/spokes/child-sas/lan-5: if-id-out: '" + bad + "' (expected: hex digits)", e.getMessage());
        }
    }

    @Test
    void manyConnectionsAndChildrenEachKeepTheirOwnNames() {
        // names are shared between SAs through a small cache: colliding names must never be mixed up
        for (int i = 0; i < 3_000; i++) {
            ViciMessage m = ViciMessage.builder().section("conn-" + i, ViciMessage.builder().add("uniqueid", "1")
                    .add("remote-host", "192.0.2.2").section("child-sas", ViciMessage.builder().section("c", ViciMessage.builder()
                            .add("name", "child-" + (i * 7) % 3_001).add("uniqueid", "2").add("reqid", "3").add("state", "INSTALLED")
                            .build()).build()).build()).build();
            ChildSa sa = ViciEvents.installedChildren(m, e -> {
                throw new AssertionError(e);
            }).get(0);
            assertEquals("conn-" + i, sa.connection());
            assertEquals("child-" + (i * 7) % 3_001, sa.child());
        }
    }

    /** One list-sa record: connection spokes, IKE id i, our side {@code localHost}/{@code localTs}, one installed child. */
    private static ViciMessage listSaRecord(int i, String localHost, List<String> localTs) {
        return ViciMessage.builder().section("spokes", ViciMessage.builder().add("uniqueid", String.valueOf(i))
                .add("local-host", localHost).add("remote-host", "192.0.2.2").section("child-sas", ViciMessage.builder()
                        .section("lan-" + i, ViciMessage.builder().add("name", "lan").add("uniqueid", String.valueOf(i))
                                .add("reqid", "1").add("state", "INSTALLED").list("local-ts", localTs)
                                .list("remote-ts", List.of("10.81.2.0/29")).build()).build()).build()).build();
    }

    @Test
    void ourSideIsReadRightForEverySaWhetherItRepeatsOrNot() {
        // our address and selectors are shared between SAs through small caches: they must never be mixed up
        for (int i = 0; i < 2_000; i++) {
            int v = i % 700;
            String host = "192.0.2." + (v % 250);
            List<String> ts = List.of("10.80." + v / 4 + ".0/24", "fd00:" + Integer.toHexString(v) + "::/48");
            ChildSa sa = ViciEvents.installedChildren(listSaRecord(i, host, ts), e -> {
                throw new AssertionError(e);
            }).get(0);
            assertEquals(Addresses.parse(host), sa.localHost(), "record " + i);
            assertEquals(ts.stream().map(Prefix::parse).toList(), sa.localTs(), "record " + i);
        }
    }

    @Test
    void aRefusedSelectorOnOurSideIsReportedForEverySaThatHasIt() {
        List<Refusal> refused = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ViciEvents.ListSa l = ViciEvents.listSa(listSaRecord(i, "192.0.2.1", List.of("10.80.0.0/16", "10.80.0.1/16")),
                    e -> {
                        throw new AssertionError(e);
                    }, (peer, side, r) -> refused.add(new Refusal(peer, side, r)));
            assertEquals(List.of(Prefix.parse("10.80.0.0/16")), l.installed().get(0).localTs());
        }
        assertEquals(List.of("conn=spokes ike=1 child=lan/1 remote=192.0.2.2", "conn=spokes ike=2 child=lan/2 remote=192.0.2.2",
                "conn=spokes ike=3 child=lan/3 remote=192.0.2.2"), refused.stream().map(Refusal::peer).toList());
        assertTrue(refused.stream().allMatch(r -> r.side().equals("local-ts") && r.rejected().raw().equals("10.80.0.1/16")));
    }

    @Test
    void errorsInAWideRecordNameTheirOwnSection() {
        ViciMessage.Builder children = ViciMessage.builder();
        for (int i = 0; i < 600; i++) {
            ViciMessage.Builder c = ViciMessage.builder().add("name", "lan").add("uniqueid", String.valueOf(i)).add("state", "INSTALLED");
            if (i % 200 != 199) {
                c.add("reqid", "1");
            }
            children.section("lan-" + i, c.section("nested", ViciMessage.builder().section("deeper", ViciMessage.EMPTY).build()).build());
        }
        ViciMessage m = ViciMessage.builder().section("spokes", ViciMessage.builder().add("uniqueid", "4")
                .add("remote-host", "192.0.2.2").section("child-sas", children.build()).build()).build();
        List<ViciEventException> problems = new ArrayList<>();
        ViciEvents.ListSa l = ViciEvents.listSa(m, problems::add, ViciEvents.SelectorRefusals.IGNORE);
        assertEquals(597, l.installed().size());
        assertEquals(List.of("list-sa/spokes/child-sas/lan-199: reqid: missing (expected: a value)",
                "list-sa/spokes/child-sas/lan-399: reqid: missing (expected: a value)",
                "list-sa/spokes/child-sas/lan-599: reqid: missing (expected: a value)"),
                problems.stream().map(Throwable::getMessage).toList());
    }

    @Test
    void aLongSelectorListKeepsEachPrefixOnceInOrder() {
        List<String> ts = new ArrayList<>();
        List<Prefix> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ts.add("10.81." + i + ".0/24");
            ts.add("10.81." + (i / 2) + ".0/24");
            expected.add(Prefix.parse("10.81." + i + ".0/24"));
        }
        ChildSa sa = assertInstanceOf(SaEvent.ChildUp.class, single(ViciEvents.convert("child-updown",
                childUp("192.0.2.2", ts)))).sa();
        assertEquals(expected, sa.remoteTs());
    }

    private static SaEvent single(List<SaEvent> events) {
        assertEquals(1, events.size(), events.toString());
        return events.get(0);
    }
}
