package net.rrispeaker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import net.rrispeaker.bfd.BfdKey;
import net.rrispeaker.bfd.BfdStatus;
import net.rrispeaker.control.ComponentHealth;
import net.rrispeaker.model.SaEvent;
import net.rrispeaker.sink.frr.FrrStatus;
import net.rrispeaker.sink.gobgp.SinkStatus;
import org.junit.jupiter.api.Test;

/** What {@code show status} says about the source and the sinks (and BFD). */
class HealthReportTest {
    private static final SinkStatus GOBGP_UP = new SinkStatus(true, 12, true, 1, "", null);

    private static List<String> lines(HealthReport h, SinkStatus g) {
        return h.components(g).stream().map(c -> c.name() + " " + (c.connected() ? "up" : "down") + " " + c.detail())
                .toList();
    }

    @Test
    void theSourceIsConnectingUntilItsFirstSnapshotAndDownWhenLost() {
        HealthReport h = new HealthReport("/run/charon.vici", "127.0.0.1:50051");
        assertEquals("vici down connecting", lines(h, GOBGP_UP).get(0));
        h.sourceEvent(new SaEvent.Snapshot(List.of()));
        assertEquals("vici up connected to /run/charon.vici", lines(h, GOBGP_UP).get(0));
        h.sourceEvent(new SaEvent.SourceLost("connection refused"));
        assertEquals("vici down DOWN: connection refused", lines(h, GOBGP_UP).get(0));
        h.sourceEvent(new SaEvent.IkeDown("x", 1));
        assertEquals("vici down DOWN: connection refused", lines(h, GOBGP_UP).get(0), "other events change nothing");
    }

    @Test
    void theSinkLineSaysWherePathsSyncStateLastErrorAndResyncs() {
        HealthReport h = new HealthReport("/run/charon.vici", "127.0.0.1:50051");
        assertEquals("gobgp up connected to 127.0.0.1:50051, 12 paths announced, in sync; resyncs 1",
                lines(h, GOBGP_UP).get(1));
        Instant at = Instant.parse("2024-05-01T10:00:00Z");
        assertEquals("gobgp down DOWN (127.0.0.1:50051); last error UNAVAILABLE at 2024-05-01T10:00:00Z; resyncs 3",
                lines(h, new SinkStatus(false, 0, false, 3, "UNAVAILABLE", at)).get(1));
        assertEquals("connected to unix:/g.sock, 2 paths announced, syncing; resyncs 0",
                HealthReport.describe(new SinkStatus(true, 2, false, 0, "", null), "unix:/g.sock"));
        List<ComponentHealth> c = h.components(GOBGP_UP);
        assertEquals(List.of("vici", "gobgp"), c.stream().map(ComponentHealth::name).toList());
    }

    @Test
    void theFrrSinkAndBfdAreComponentsWhenConfigured() {
        HealthReport h = new HealthReport("/run/charon.vici", "127.0.0.1:50051", "/var/run/frr");
        Instant at = Instant.parse("2024-05-01T10:00:00Z");
        List<ComponentHealth> c = h.components(GOBGP_UP, new FrrStatus(true, 7, true, 2, "", null),
                new BfdStatus("/var/run/frr/bfdd.vty", "rri-speaker", true, true, true, List.of(), "", null, 0, at));
        assertEquals(List.of("vici", "gobgp", "frr", "bfd"), c.stream().map(ComponentHealth::name).toList());
        assertEquals("frr up connected to staticd /var/run/frr, 7 routes held, in sync; resyncs 2",
                lines(c).get(2));
        assertEquals("bfd up 0 sessions up (bfdd /var/run/frr/bfdd.vty, profile rri-speaker); bfdd restarts 0",
                lines(c).get(3));
        c = h.components(GOBGP_UP, new FrrStatus(false, 7, false, 3, "vtysh: exit 1", at), null);
        assertEquals(List.of("frr down DOWN (staticd /var/run/frr); last error vtysh: exit 1 at 2024-05-01T10:00:00Z; "
                + "resyncs 3"), lines(c).subList(2, 3));
        assertEquals(3, c.size(), "no bfd line without rri bfd");
        BfdStatus.Entry down = new BfdStatus.Entry("10.80.12.2", new BfdKey("10.80.12.2", false, "10.80.12.1", null, null),
                "ESTABLISHED", BfdStatus.Owner.SPEAKER, "down", 3, "control detection time expired", 100, 100, 3, "");
        c = h.components(GOBGP_UP, null, new BfdStatus("/b/bfdd.vty", "rri-speaker", true, true, true, List.of(down),
                "", null, 1, at));
        assertEquals("bfd down DEGRADED: 1 of 1 sessions not up (10.80.12.2 down); bfdd restarts 1", lines(c).get(2));
    }

    private static List<String> lines(List<ComponentHealth> cs) {
        return cs.stream().map(c -> c.name() + " " + (c.connected() ? "up" : "down") + " " + c.detail()).toList();
    }
}
