package net.rrispeaker.sink.frr;

import static net.rrispeaker.sink.frr.StaticLineTest.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker against a fake staticd, one pass at a time on the test thread (no sockets, no timing). */
class FrrWorkerTest {
    private static final String OPERATOR = "ip route 10.50.0.0/16 10.255.0.1\n";
    private static final Route A = route("", "10.81.2.0/29", "192.0.2.2", null, 20, 5);
    private static final Route B = route("", "10.81.3.0/29", "192.0.2.3", null, 20, 5);
    private static final Route C = route("", "fd00:81:2::/64", "fd00::2", null, 20, 5);

    @TempDir
    Path dir;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private long now;

    private FrrWorker worker(FakeStaticd frr) {
        return new FrrWorker(frr, new StateFile(dir.resolve("state")), Duration.ZERO, Duration.ofSeconds(300),
                registry, () -> now);
    }

    @Test
    void nothingIsWrittenUntilTheCoreHasToldTheWholeTruth() {
        FakeStaticd frr = new FakeStaticd(OPERATOR);
        FrrWorker w = worker(frr);
        w.offer(List.of(), List.of(A), false);
        w.stepNow();
        assertEquals(0, frr.reads);
        assertTrue(frr.batches.isEmpty());
        w.offer(List.of(), List.of(A), true);
        w.stepNow();
        assertEquals(List.of("ip route 10.50.0.0/16 10.255.0.1", "ip route 10.81.2.0/29 192.0.2.2 tag 5 20"), frr.texts());
        assertTrue(w.status().inSync());
    }

    @Test
    void aBurstOfChangesIsOneTransaction() {
        FakeStaticd frr = new FakeStaticd(OPERATOR);
        FrrWorker w = worker(frr);
        w.offer(List.of(), List.of(), true);
        w.stepNow();
        assertTrue(frr.batches.isEmpty(), "nothing wanted, nothing of ours: no batch");
        w.offer(List.of(), List.of(A), false);
        w.offer(List.of(), List.of(B), false);
        w.offer(List.of(), List.of(C), false);
        w.offer(List.of(B), List.of(), false); // up and down again within the window
        w.stepNow();
        assertEquals(List.of("""
                ip route 10.81.2.0/29 192.0.2.2 tag 5 20
                ipv6 route fd00:81:2::/64 fd00::2 tag 5 20
                """.lines().sorted().toList()), List.of(frr.batches.get(0).lines().sorted().toList()));
        assertEquals(1, frr.batches.size());
        assertEquals(2.0, registry.get(Meters.SINK_CHANGES).tag("sink", "frr").tag("op", "add").counter().count());
    }

    @Test
    void aRestartOfTheSpeakerRemovesItsStaleRoutesAndRewritesNothingRight() throws Exception {
        FakeStaticd frr = new FakeStaticd(OPERATOR);
        FrrWorker first = worker(frr);
        first.offer(List.of(), List.of(A, B), true);
        first.stepNow();
        assertTrue(Files.readString(dir.resolve("state")).contains("ip route 10.81.3.0/29 192.0.2.3 tag 5 20"));
        // the speaker stops; while it is down B's tunnel goes; a new speaker starts with only A
        FrrWorker second = worker(frr);
        int before = frr.batches.size();
        second.offer(List.of(), List.of(A), true);
        second.stepNow();
        assertEquals(before + 1, frr.batches.size());
        assertEquals("no ip route 10.81.3.0/29 192.0.2.3 tag 5 20\n", frr.batches.get(before),
                "only the stale route is touched");
        assertEquals(List.of("ip route 10.50.0.0/16 10.255.0.1", "ip route 10.81.2.0/29 192.0.2.2 tag 5 20"), frr.texts());
    }

    @Test
    void withoutAStateFileNothingInStaticdIsTakenForOurs() {
        FakeStaticd frr = new FakeStaticd(OPERATOR + "ip route 10.81.3.0/29 192.0.2.3 tag 5 20\n");
        FrrWorker w = worker(frr);
        w.offer(List.of(), List.of(A), true);
        w.stepNow();
        assertTrue(frr.texts().contains("ip route 10.81.3.0/29 192.0.2.3 tag 5 20"),
                "a route the speaker has no record of writing is the operator's");
    }

    @Test
    void aStaticdRestartIsNoticedAndOurRoutesComeBack() {
        FakeStaticd frr = new FakeStaticd(OPERATOR);
        FrrWorker w = worker(frr);
        w.offer(List.of(), List.of(A, C), true);
        w.stepNow();
        int reads = frr.reads;
        frr.restart(OPERATOR); // staticd reloads its file: our routes are gone
        w.stepNow();          // the periodic check, nothing queued
        assertEquals(reads + 1, frr.reads);
        assertEquals(List.of("ip route 10.50.0.0/16 10.255.0.1", "ip route 10.81.2.0/29 192.0.2.2 tag 5 20",
                "ipv6 route fd00:81:2::/64 fd00::2 tag 5 20"), frr.texts());
        w.stepNow();
        assertEquals(reads + 1, frr.reads, "no restart, no read");
    }

    @Test
    void staticdUnreachableIsRetriedAndThenResynced() {
        FakeStaticd frr = new FakeStaticd(OPERATOR);
        frr.up = false;
        FrrWorker w = worker(frr);
        w.offer(List.of(), List.of(A), true);
        w.stepNow();
        assertFalse(w.status().connected());
        assertFalse(w.status().inSync());
        assertTrue(w.status().lastError().contains("not reachable"), w.status().lastError());
        frr.up = true;
        w.offer(List.of(), List.of(B), false);
        w.stepNow();
        assertTrue(w.status().connected());
        assertTrue(w.status().inSync());
        assertEquals(3, frr.texts().size());
    }

    @Test
    void aRefusedLineIsCountedAndTheRestApplied() {
        FakeStaticd frr = new FakeStaticd(OPERATOR);
        frr.refuse = "10.81.3.0";
        FrrWorker w = worker(frr);
        w.offer(List.of(), List.of(A, B), true);
        w.stepNow();
        assertEquals(List.of("ip route 10.50.0.0/16 10.255.0.1", "ip route 10.81.2.0/29 192.0.2.2 tag 5 20"), frr.texts());
        assertEquals(1.0, registry.get(Meters.SINK_ERRORS).tag("sink", "frr").tag("reason", "refused").counter().count());
        int batches = frr.batches.size();
        w.stepNow();
        assertEquals(batches, frr.batches.size(), "not retried in a loop");
        assertEquals(1, w.status().routes());
    }

    @Test
    void theResyncIntervalRepairsWhatSomeoneRemovedByHand() {
        FakeStaticd frr = new FakeStaticd(OPERATOR);
        FrrWorker w = worker(frr);
        w.offer(List.of(), List.of(A), true);
        w.stepNow();
        frr.lines.clear(); // an operator's "no ip route ..." of ours, and of their own
        w.stepNow();
        assertEquals(List.of(), frr.texts(), "not noticed before the interval");
        now += Duration.ofSeconds(300).toNanos();
        w.stepNow();
        assertEquals(List.of("ip route 10.81.2.0/29 192.0.2.2 tag 5 20"), frr.texts());
    }

    @Test
    void aStateFileIsNotForgottenWhileStaticdIsUnreachableAtStart() {
        FakeStaticd frr = new FakeStaticd(OPERATOR);
        FrrWorker first = worker(frr);
        first.offer(List.of(), List.of(A, B), true);
        first.stepNow();
        // a new speaker starts while staticd is down, and B's tunnel has gone meanwhile
        frr.up = false;
        FrrWorker second = worker(frr);
        second.offer(List.of(), List.of(A), true);
        second.stepNow();
        second.stepNow();
        frr.up = true;
        second.stepNow();
        assertEquals(List.of("ip route 10.50.0.0/16 10.255.0.1", "ip route 10.81.2.0/29 192.0.2.2 tag 5 20"), frr.texts(),
                "B was ours by the state file: removed once staticd answers");
    }

    @Test
    void additionsOfABatchWhoseReplyWasLostAreStillOurs() {
        FakeStaticd frr = new FakeStaticd(OPERATOR);
        FrrWorker w = worker(frr);
        w.offer(List.of(), List.of(), true);
        w.stepNow();
        frr.loseNextReply = true;
        w.offer(List.of(), List.of(A), false);
        w.stepNow(); // staticd took A, but the sink never heard back
        assertFalse(w.status().connected());
        w.offer(List.of(A), List.of(), false);
        w.stepNow();
        assertEquals(List.of("ip route 10.50.0.0/16 10.255.0.1"), frr.texts(), "A was recognised as ours and removed");
    }
}
