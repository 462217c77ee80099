package net.rrispeaker.sink.frr;

import static net.rrispeaker.sink.frr.StaticLineTest.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.rrispeaker.model.Route;
import org.junit.jupiter.api.Test;

class StaticSyncTest {
    private final List<String> reports = new ArrayList<>();
    private final StaticSync sync = new StaticSync(new StaticSync.Reporter() {
        @Override
        public void unwritable(Route route, String reason) {
            reports.add("unwritable " + route.prefix());
        }

        @Override
        public void conflict(StaticLine ours, StaticLine theirs) {
            reports.add("conflict " + ours.text() + " / " + theirs.text());
        }

        @Override
        public void refused(StaticLine line, boolean removal) {
            reports.add((removal ? "refused removal " : "refused ") + line.text());
        }
    });

    private static final Route SPOKE = route("", "10.81.2.0/29", "192.0.2.2", null, 20, 5);
    private static final Route SPOKE6 = route("", "fd00:81:2::/64", "fd00::2", null, 20, 5);

    private static List<StaticLine> running(String text) {
        return StaticConfig.parse(text);
    }

    private static Set<StaticLine> lines(String text) {
        return Set.copyOf(StaticConfig.parse(text));
    }

    private static List<String> texts(List<StaticLine> l) {
        return l.stream().map(s -> (s.vrf().isEmpty() ? "" : s.vrf() + ": ") + s.text()).sorted().toList();
    }

    @Test
    void nothingIsPlannedBeforeTheCompleteSetAndStaticdAreKnown() {
        sync.changed(List.of(), List.of(SPOKE));
        assertTrue(sync.plan().isEmpty());
        sync.held(List.of(), Set.of());
        assertTrue(sync.plan().isEmpty(), "changes alone are not the complete set");
        sync.resync(List.of(SPOKE));
        assertEquals(List.of("ip route 10.81.2.0/29 192.0.2.2 tag 5 20"), texts(sync.plan().adds()));
    }

    @Test
    void fullDiffRemovesOnlyOurStaleRoutesAndNeverAnOperatorsRoute() {
        String frr = """
                ip route 10.81.2.0/29 192.0.2.2 tag 5 20
                ip route 10.81.9.0/29 192.0.2.9 tag 5 20
                ip route 10.50.0.0/16 10.255.0.1
                ip route 10.81.7.0/29 192.0.2.7 tag 5 20
                vrf red
                 ip route 10.9.0.0/24 192.0.2.3 tag 9 40
                exit-vrf
                """;
        // the state file names what the speaker wrote: 10.50/16 and 10.81.7/29 are the operator's;
        // 10.81.8/29 was written once but staticd no longer holds it
        Set<StaticLine> claimed = lines("""
                ip route 10.81.2.0/29 192.0.2.2 tag 5 20
                ip route 10.81.9.0/29 192.0.2.9 tag 5 20
                ip route 10.81.8.0/29 192.0.2.8 tag 5 20
                vrf red
                 ip route 10.9.0.0/24 192.0.2.3 tag 9 40
                exit-vrf
                """);
        sync.held(running(frr), claimed);
        Route red = route("red", "10.9.0.0/24", "192.0.2.3", null, 40, 9);
        sync.resync(List.of(SPOKE, red, route("", "10.81.3.0/29", "192.0.2.3", null, 20, 5)));
        Batch b = sync.plan();
        assertEquals(List.of("ip route 10.81.9.0/29 192.0.2.9 tag 5 20"), texts(b.removes()),
                "only our stale route goes; the operator's 10.50/16 and 10.81.7/29 stay");
        assertEquals(List.of("ip route 10.81.3.0/29 192.0.2.3 tag 5 20"), texts(b.adds()),
                "routes that are already right are not written again");
        sync.applied(b);
        assertEquals(texts(List.copyOf(lines("""
                ip route 10.81.2.0/29 192.0.2.2 tag 5 20
                ip route 10.81.3.0/29 192.0.2.3 tag 5 20
                vrf red
                 ip route 10.9.0.0/24 192.0.2.3 tag 9 40
                exit-vrf
                """))), texts(List.copyOf(sync.ours())), "a claimed line staticd does not hold is not ours");
        assertTrue(sync.plan().isEmpty());
    }

    @Test
    void anOperatorsIdenticalRouteIsLeftAloneAndNotClaimed() {
        sync.held(running("ip route 10.81.2.0/29 192.0.2.2 tag 5 20\n"), Set.of());
        sync.resync(List.of(SPOKE));
        assertTrue(sync.plan().isEmpty(), "already there");
        sync.changed(List.of(SPOKE), List.of());
        assertTrue(sync.plan().isEmpty(), "the operator's route is not ours to remove");
        assertEquals(Set.of(), sync.ours());
    }

    @Test
    void aRouteThatWouldRetagAnOperatorsRouteIsNotAddedAndReportedOnce() {
        // staticd keeps one tag per prefix and distance: ours (tag 5, distance 20) would re-tag theirs
        sync.held(running("ip route 10.81.2.0/29 10.255.0.3 20\nip route 10.81.3.0/29 10.255.0.3 30\n"), Set.of());
        Route other = route("", "10.81.3.0/29", "192.0.2.2", null, 20, 5);
        sync.resync(List.of(SPOKE, other));
        Batch b = sync.plan();
        assertEquals(List.of("ip route 10.81.3.0/29 192.0.2.2 tag 5 20"), texts(b.adds()),
                "another distance is another staticd path: no conflict");
        assertEquals(List.of("conflict ip route 10.81.2.0/29 192.0.2.2 tag 5 20 / ip route 10.81.2.0/29 10.255.0.3 20"),
                reports);
        sync.applied(b);
        sync.changed(List.of(SPOKE), List.of(SPOKE));
        assertTrue(sync.plan().isEmpty());
        assertEquals(1, reports.size(), "reported once while it lasts");
        // the operator gives theirs the same tag: ours may join it now
        sync.held(running("ip route 10.81.2.0/29 10.255.0.3 tag 5 20\nip route 10.81.3.0/29 10.255.0.3 30\n"
                + "ip route 10.81.3.0/29 192.0.2.2 tag 5 20\n"), sync.ours());
        assertEquals(List.of("ip route 10.81.2.0/29 192.0.2.2 tag 5 20"), texts(sync.plan().adds()));
    }

    @Test
    void aChangedTagOrDistanceReplacesOurLineInOneBatch() {
        sync.held(List.of(), Set.of());
        sync.resync(List.of(SPOKE));
        sync.applied(sync.plan());
        Route retagged = route("", "10.81.2.0/29", "192.0.2.2", null, 20, 6);
        Route moved = route("", "10.81.2.0/29", "192.0.2.2", null, 30, 6);
        sync.changed(List.of(SPOKE), List.of(retagged));
        sync.changed(List.of(retagged), List.of(moved));
        Batch b = sync.plan();
        assertEquals(List.of("ip route 10.81.2.0/29 192.0.2.2 tag 5 20"), texts(b.removes()));
        assertEquals(List.of("ip route 10.81.2.0/29 192.0.2.2 tag 6 30"), texts(b.adds()),
                "the intermediate state never reaches FRR");
    }

    @Test
    void upAndDownWithinOneBatchWritesNothing() {
        sync.held(List.of(), Set.of());
        sync.resync(List.of());
        assertTrue(sync.plan().isEmpty());
        sync.changed(List.of(), List.of(SPOKE));
        sync.changed(List.of(SPOKE), List.of());
        assertTrue(sync.plan().isEmpty());
    }

    @Test
    void linesFrrRefusedAreReportedAndNotRetriedUntilTheNextRead() {
        sync.held(List.of(), Set.of());
        Route good = route("", "10.81.3.0/29", "192.0.2.3", null, 20, 5);
        sync.resync(List.of(SPOKE, good));
        Batch b = sync.plan();
        assertEquals(2, b.adds().size());
        // staticd took only the good one
        sync.failed(b, running("ip route 10.81.3.0/29 192.0.2.3 tag 5 20\n"));
        assertEquals(List.of("refused ip route 10.81.2.0/29 192.0.2.2 tag 5 20"), reports);
        assertEquals(Set.of("ip route 10.81.3.0/29 192.0.2.3 tag 5 20"),
                sync.ours().stream().map(StaticLine::text).collect(Collectors.toSet()));
        assertTrue(sync.plan().isEmpty(), "the refused line is not retried at once");
        sync.held(running("ip route 10.81.3.0/29 192.0.2.3 tag 5 20\n"), sync.ours());
        assertEquals(List.of("ip route 10.81.2.0/29 192.0.2.2 tag 5 20"), texts(sync.plan().adds()),
                "retried after the next read");
    }

    @Test
    void ipv6AndVrfRoutesGoIntoTheirOwnPlaces() {
        sync.held(List.of(), Set.of());
        Route red = route("red", "10.81.2.0/29", "192.0.2.2", null, 20, 5);
        sync.resync(List.of(SPOKE, SPOKE6, red));
        Batch b = sync.plan();
        assertEquals(List.of("ip route 10.81.2.0/29 192.0.2.2 tag 5 20", "ipv6 route fd00:81:2::/64 fd00::2 tag 5 20",
                "red: ip route 10.81.2.0/29 192.0.2.2 tag 5 20"), texts(b.adds()),
                "the same prefix in a VRF is another destination");
    }

    @Test
    void aRouteFrrCannotTakeIsReportedAndLeavesItsDestinationEmpty() {
        sync.held(List.of(), Set.of());
        sync.resync(List.of(SPOKE));
        sync.applied(sync.plan());
        sync.changed(List.of(SPOKE), List.of(route("", "10.81.2.0/29", null, "bad name", 1, 0)));
        Batch b = sync.plan();
        assertEquals(List.of("unwritable 10.81.2.0/29"), reports);
        assertEquals(List.of("ip route 10.81.2.0/29 192.0.2.2 tag 5 20"), texts(b.removes()));
        assertTrue(b.adds().isEmpty());
        // an IPv6 network behind an IPv4 peer (dual-stack spoke over IPv4 IKE): FRR needs an IPv6 next hop
        Route v6viaV4 = route("", "fd00:81:2::/64", "192.0.2.2", null, 20, 5);
        sync.changed(List.of(), List.of(v6viaV4));
        sync.changed(List.of(v6viaV4), List.of(v6viaV4));
        assertEquals(List.of("unwritable 10.81.2.0/29", "unwritable fd00:81:2::/64"), reports, "once per destination");
        assertTrue(sync.plan().isEmpty());
    }
}
