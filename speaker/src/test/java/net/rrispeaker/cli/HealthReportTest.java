package net.rrispeaker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import net.rrispeaker.control.ComponentHealth;
import net.rrispeaker.model.SaEvent;
import net.rrispeaker.sink.gobgp.SinkStatus;
import org.junit.jupiter.api.Test;

/** What {@code show status} says about the source and the sink. */
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
}
