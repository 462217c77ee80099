package net.rrispeaker.source.vici;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.Test;

/** The per-connection conversation, driven packet by packet through an EmbeddedChannel. */
class ViciSessionTest {
    private static final Map<String, TranscriptMessages.Event> REAL = TranscriptMessages.load("transcript-events.txt");
    private static final Map<String, TranscriptMessages.Event> LISTS = TranscriptMessages.load("list-sa-events.txt");
    private static final ViciPacket CONFIRM = ViciPacket.of(ViciPacketType.EVENT_CONFIRM);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<SaEvent> delivered = new ArrayList<>();
    private Consumer<SaEvent> sink = delivered::add;
    private int snapshots;

    private EmbeddedChannel connect(io.netty.channel.ChannelHandler... before) {
        ViciSession session = new ViciSession(new ViciDelivery(e -> sink.accept(e), registry), () -> snapshots++, 30_000);
        io.netty.channel.ChannelHandler[] all = java.util.Arrays.copyOf(before, before.length + 1);
        all[before.length] = session;
        return new EmbeddedChannel(all);
    }

    private static ViciPacket event(String label) {
        TranscriptMessages.Event e = REAL.containsKey(label) ? REAL.get(label) : LISTS.get(label);
        return ViciPacket.event(e.name(), e.message());
    }

    /** Answers the five registrations and the list-sa registration; returns at the list-sas request. */
    private void registerAll(EmbeddedChannel ch) {
        for (String name : List.of("child-updown", "child-rekey", "ike-updown", "ike-rekey", "ike-update", "list-sa")) {
            assertEquals(ViciPacket.register(name), ch.readOutbound());
            assertNull(ch.readOutbound(), "one command at a time");
            ch.writeInbound(CONFIRM);
        }
        assertEquals(ViciPacket.request("list-sas", ViciMessage.EMPTY), ch.readOutbound());
        assertNull(ch.readOutbound());
    }

    @Test
    void registersOneEventAtATimeThenStreamsListSasIntoOneSnapshot() {
        EmbeddedChannel ch = connect();
        registerAll(ch);
        assertTrue(delivered.isEmpty());
        ch.writeInbound(event("hub-two-children"), event("no-children-yet"));
        assertTrue(delivered.isEmpty(), "nothing before the response ends the stream");
        ch.writeInbound(ViciPacket.response(ViciMessage.EMPTY));
        SaEvent.Snapshot s = assertInstanceOf(SaEvent.Snapshot.class, delivered.get(0));
        assertEquals(List.of(5L, 6L, 7L), s.sas().stream().map(sa -> sa.childId()).toList());
        assertEquals(1, snapshots, "backoff reset after a good snapshot");
        assertEquals(ViciPacket.unregister("list-sa"), ch.readOutbound());
        ch.writeInbound(CONFIRM);
        assertNull(ch.readOutbound());
        assertEquals(1.0, registry.counter(Meters.SOURCE_CONNECTS, "source", "vici").count());
        assertFalse(ch.finish());
    }

    @Test
    void eventsDuringRegistrationAndListSasAreAppliedAfterTheSnapshotInOrder() {
        EmbeddedChannel ch = connect();
        assertEquals(ViciPacket.register("child-updown"), ch.readOutbound());
        ch.writeInbound(event("E1-child-up-two-ts"));      // before its confirm
        ch.writeInbound(CONFIRM);
        for (String name : List.of("child-rekey", "ike-updown", "ike-rekey", "ike-update", "list-sa")) {
            assertEquals(ViciPacket.register(name), ch.readOutbound());
            ch.writeInbound(CONFIRM);
        }
        assertEquals(ViciPacket.request("list-sas", ViciMessage.EMPTY), ch.readOutbound());
        ch.writeInbound(event("hub-two-children"), event("B-child-rekey"), event("E2-child-down"));
        assertTrue(delivered.isEmpty());
        ch.writeInbound(ViciPacket.response(ViciMessage.EMPTY));
        assertEquals(List.of(SaEvent.Snapshot.class, SaEvent.ChildUp.class, SaEvent.ChildRekeyed.class, SaEvent.ChildDown.class),
                delivered.stream().map(Object::getClass).toList());
        ch.writeInbound(event("G-ike-down"));
        assertInstanceOf(SaEvent.IkeDown.class, delivered.get(4), "after the snapshot events pass straight through");
        for (String type : List.of("snapshot", "child-up", "child-rekey", "child-down", "ike-down")) {
            assertEquals(1.0, registry.counter(Meters.SA_EVENTS, "type", type).count(), type);
        }
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownOptionalEventIsCountedAndRegistrationContinues() {
        EmbeddedChannel ch = connect();
        assertEquals(ViciPacket.register("child-updown"), ch.readOutbound());
        ch.writeInbound(CONFIRM);
        assertEquals(ViciPacket.register("child-rekey"), ch.readOutbound());
        ch.writeInbound(ViciPacket.of(ViciPacketType.EVENT_UNKNOWN));
        assertEquals(ViciPacket.register("ike-updown"), ch.readOutbound());
        assertTrue(ch.isOpen());
        assertEquals(1.0, registry.counter(Meters.SOURCE_ERRORS, "reason", "event-unknown").count());
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownListSaEventClosesTheConnectionWithAReason() {
        EmbeddedChannel ch = connect();
        for (String name : List.of("child-updown", "child-rekey", "ike-updown", "ike-rekey", "ike-update")) {
            assertEquals(ViciPacket.register(name), ch.readOutbound());
            ch.writeInbound(CONFIRM);
        }
        assertEquals(ViciPacket.register("list-sa"), ch.readOutbound());
        ch.writeInbound(ViciPacket.of(ViciPacketType.EVENT_UNKNOWN));
        assertFalse(ch.isOpen());
        assertEquals(new SaEvent.SourceLost("charon does not know event 'list-sa' needed for list-sas"), delivered.get(0));
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownListSasCommandClosesTheConnection() {
        EmbeddedChannel ch = connect();
        registerAll(ch);
        ch.writeInbound(ViciPacket.of(ViciPacketType.CMD_UNKNOWN));
        assertFalse(ch.isOpen());
        assertEquals(List.of(new SaEvent.SourceLost("charon does not know command 'list-sas'")), delivered);
        assertEquals(1.0, registry.counter(Meters.SOURCE_ERRORS, "reason", "command-unknown").count());
        ch.finishAndReleaseAll();
    }

    @Test
    void replyNobodyAskedForClosesTheConnection() {
        EmbeddedChannel ch = connect();
        ch.readOutbound();
        ch.writeInbound(ViciPacket.response(ViciMessage.EMPTY));
        assertFalse(ch.isOpen());
        assertEquals(new SaEvent.SourceLost("CMD_RESPONSE while waiting for the reply to EVENT_REGISTER child-updown"
                + " (expected: EVENT_CONFIRM or EVENT_UNKNOWN)"), delivered.get(0));
        ch.finishAndReleaseAll();
    }

    @Test
    void codecErrorClosesTheConnectionAndReportsTheFrame() {
        EmbeddedChannel ch = connect(new ViciDecoder());
        ch.readOutbound();
        try {
            ch.writeInbound(Unpooled.buffer().writeInt(0));
        } catch (ViciCodecException expected) {
            // EmbeddedChannel rethrows what the pipeline saw; the session handled it first
        }
        assertFalse(ch.isOpen());
        assertEquals(List.of(new SaEvent.SourceLost("codec error: frame length: 0 (expected: 1..524288)")), delivered);
        assertEquals(1.0, registry.counter(Meters.SOURCE_ERRORS, "reason", "codec").count());
        ch.finishAndReleaseAll();
    }

    @Test
    void silentDaemonTimesOutAndTheConnectionCloses() {
        EmbeddedChannel ch = connect();
        ch.readOutbound();
        ch.advanceTimeBy(29, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen());
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen());
        assertEquals(List.of(new SaEvent.SourceLost("no reply to EVENT_REGISTER child-updown within 30000 ms")), delivered);
        ch.finishAndReleaseAll();
    }

    @Test
    void badEventAndFailingSinkAreCountedAndTheNextEventStillArrives() {
        EmbeddedChannel ch = connect();
        registerAll(ch);
        ch.writeInbound(ViciPacket.response(ViciMessage.EMPTY));
        ch.writeInbound(ViciPacket.event("child-updown", ViciMessage.builder().add("up", "yes").build()));
        assertEquals(1.0, registry.counter(Meters.SOURCE_ERRORS, "reason", "bad-layout").count());
        sink = e -> {
            throw new IllegalStateException("core full");
        };
        ch.writeInbound(event("A-child-up"));
        assertEquals(1.0, registry.counter(Meters.SOURCE_ERRORS, "reason", "sink").count());
        sink = delivered::add;
        ch.writeInbound(event("E2-child-down"));
        assertInstanceOf(SaEvent.ChildDown.class, delivered.get(delivered.size() - 1));
        assertTrue(ch.isOpen(), "a bad event never costs the connection");
        ch.finishAndReleaseAll();
    }

    @Test
    void daemonClosingTheConnectionIsASourceLost() {
        EmbeddedChannel ch = connect();
        registerAll(ch);
        ch.writeInbound(ViciPacket.response(ViciMessage.EMPTY));
        ch.close();
        assertEquals(new SaEvent.SourceLost("connection closed by charon"), delivered.get(delivered.size() - 1));
        ch.finishAndReleaseAll();
    }

    @Test
    void backoffDoublesToTheCapAndResets() {
        Backoff b = new Backoff(500, 10_000);
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 10_000L, 10_000L),
                List.of(b.next(), b.next(), b.next(), b.next(), b.next(), b.next(), b.next()));
        b.reset();
        assertEquals(500L, b.next());
    }
}
