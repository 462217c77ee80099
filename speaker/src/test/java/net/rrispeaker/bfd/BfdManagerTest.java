package net.rrispeaker.bfd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.config.BfdSettings;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.sink.gobgp.Neighbour;
import org.junit.jupiter.api.Test;

/** The manager's polls against a fake bfdd: absent, present, restarted, refusing; gobgpd unreachable. */
class BfdManagerTest {
    private static final BfdSettings S = new BfdSettings(100, 100, 3, "/usr/bin/vtysh", null, Duration.ofSeconds(5),
            "rri-speaker");
    private static final String OURS = "peer 10.80.12.2 local-address 10.80.12.1";

    private final FakeBfdd bfdd = new FakeBfdd();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Neighbour> neighbours = new ArrayList<>(List.of(
            new Neighbour("10.80.12.2", "10.80.12.1", "", "", false, "ESTABLISHED")));
    private boolean gobgpUp = true;
    private final BfdManager manager = new BfdManager(S, () -> {
        if (!gobgpUp) {
            throw new IOException("gobgpd unix:/run/gobgp.sock: ListPeer: UNAVAILABLE");
        }
        return List.copyOf(neighbours);
    }, bfdd, registry, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), () -> { });

    private double errors(String reason) {
        return registry.counter(Meters.BFD_ERRORS, "reason", reason).count();
    }

    @Test
    void anAbsentBfddIsAnErrorRetriedWithBackoffThenTheSessionsAreMade() {
        bfdd.up = false;
        assertEquals(Duration.ofSeconds(1), manager.pollOnce());
        assertEquals(Duration.ofSeconds(2), manager.pollOnce());
        assertEquals(2, errors("bfdd-unreachable"));
        assertFalse(manager.status().healthy());
        assertTrue(manager.status().summary().contains("bfdd not reachable"), manager.status().summary());
        assertTrue(manager.status().lastError().contains("no vty socket fake bfdd"), manager.status().lastError());

        bfdd.up = true;
        assertEquals(S.pollInterval(), manager.pollOnce());
        assertEquals(1, bfdd.batches.size(), "the profile and the peer in one transaction");
        assertEquals("rri-speaker", bfdd.peers.get(OURS));
        assertTrue(manager.status().healthy(), manager.status().summary());
        assertEquals(1, registry.get(Meters.BFD_SESSIONS).tag("state", "up").gauge().value());
        assertEquals(S.pollInterval(), manager.pollOnce());
        assertEquals(1, bfdd.batches.size(), "nothing to change: no transaction");
        assertEquals(Duration.ofSeconds(1), failFor(() -> bfdd.up = false), "a success resets the backoff");
    }

    private Duration failFor(Runnable r) {
        r.run();
        return manager.pollOnce();
    }

    @Test
    void aBfddRestartIsSeenCountedAndHealed() {
        manager.pollOnce();
        bfdd.restart();
        assertTrue(bfdd.peers.isEmpty());
        manager.pollOnce();
        assertEquals("rri-speaker", bfdd.peers.get(OURS));
        assertEquals(1, manager.status().bfddRestarts());
        assertEquals(1, registry.counter(Meters.BFD_BFDD_RESTARTS).count());
    }

    @Test
    void aSessionDownDegradesHealthAndIsCountedAsATransition() {
        manager.pollOnce();
        bfdd.sessionStatus = "down";
        manager.pollOnce();
        assertFalse(manager.status().healthy());
        assertTrue(manager.status().summary().startsWith("DEGRADED: 1 of 1 sessions not up (10.80.12.2 down)"),
                manager.status().summary());
        assertEquals(1, registry.counter(Meters.BFD_TRANSITIONS, "to", "down").count());
    }

    @Test
    void gobgpdUnreachableLeavesThePeersAsTheyAre() {
        manager.pollOnce();
        gobgpUp = false;
        manager.pollOnce();
        assertEquals(1, bfdd.batches.size());
        assertEquals("rri-speaker", bfdd.peers.get(OURS), "not removed: the neighbours are unknown, not gone");
        assertEquals(1, errors("gobgpd"));
        assertFalse(manager.status().gobgpReachable());
        assertFalse(manager.status().healthy());
    }

    @Test
    void aRefusedTransactionIsCountedAndRetried() {
        bfdd.refuse = true;
        assertEquals(Duration.ofSeconds(1), manager.pollOnce());
        assertEquals(1, errors("bfdd-refused"));
        assertTrue(manager.status().lastError().contains("bfdd refused the change (vtysh exit 2)"),
                manager.status().lastError());
        bfdd.refuse = false;
        manager.pollOnce();
        assertEquals("rri-speaker", bfdd.peers.get(OURS));
    }

    @Test
    void aRemovedNeighbourLosesItsPeerAndTheOperatorsPeersStay() throws Exception {
        bfdd.apply("bfd\n peer 10.80.99.9\n exit\nexit\n");
        manager.pollOnce();
        neighbours.clear();
        manager.pollOnce();
        assertFalse(bfdd.peers.containsKey(OURS));
        assertTrue(bfdd.peers.containsKey("peer 10.80.99.9"));
        assertEquals(1, registry.counter(Meters.BFD_CHANGES, "op", "remove").count());
    }
}
