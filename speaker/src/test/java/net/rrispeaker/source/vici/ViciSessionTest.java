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
    /** {@code SnapshotStarted} signals, counted apart so the lists below read as the conversation. */
    private int started;
    /** The {@code SnapshotPart}s ahead of each snapshot, kept apart for the same reason. */
    private final List<SaEvent.SnapshotPart> parts = new ArrayList<>();
    private final Consumer<SaEvent> record = e -> {
        if (e instanceof SaEvent.SnapshotStarted) {
            started++;
        } else if (e instanceof SaEvent.SnapshotPart p) {
            parts.add(p);
        } else {
            delivered.add(e);
        }
    };
    private Consumer<SaEvent> sink = record;
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
        assertEquals(1, started, "the core was told a snapshot was on its way when the connection came up");
        assertEquals(ViciPacket.unregister("list-sa"), ch.readOutbound());
        ch.writeInbound(CONFIRM);
        assertNull(ch.readOutbound());
        assertEquals(1.0, registry.counter(Meters.SOURCE_CONNECTS, "source", "vici").count());
        assertFalse(ch.finish());
    }

    /**
     * A long list-sas goes to the core in parts while it is read: every {@code PART_SIZE} SAs, and
     * the rest when the response ends it; then the snapshot, which still lists every SA; events
     * that came meanwhile still follow the snapshot.
     */
    @Test
    void aLongListSasGoesAheadInPartsAndTheSnapshotStillListsEverySa() {
        EmbeddedChannel ch = connect();
        registerAll(ch);
        int records = ViciSession.PART_SIZE / 2 + 100; // at least two installed CHILD_SAs each
        for (int i = 0; i < records; i++) {
            ch.writeInbound(event("hub-two-children"));
        }
        ch.writeInbound(event("E2-child-down"));
        assertEquals(1, parts.size(), "the first part while the rest is still coming");
        int first = parts.get(0).sas().size();
        assertTrue(first >= ViciSession.PART_SIZE && first < ViciSession.PART_SIZE + 4, "a part of " + first);
        assertTrue(delivered.isEmpty(), "no snapshot and no event before the response");
        ch.writeInbound(ViciPacket.response(ViciMessage.EMPTY));
        assertEquals(2, parts.size(), "the rest when the response ends the stream");
        SaEvent.Snapshot s = assertInstanceOf(SaEvent.Snapshot.class, delivered.get(0));
        assertEquals(0, s.sas().size() % records);
        assertEquals(s.sas(), parts.stream().flatMap(p -> p.sas().stream()).toList(), "the parts, in order, are the snapshot");
        assertInstanceOf(SaEvent.ChildDown.class, delivered.get(1));
        assertEquals(2.0, registry.counter(Meters.SA_EVENTS, "type", "snapshot-part").count());
        ch.finishAndReleaseAll();
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
        assertEquals(new SaEvent.SourceLost("charon does not know event 'list-sa' needed for list-sas", true), delivered.get(0));
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownListSasCommandClosesTheConnection() {
        EmbeddedChannel ch = connect();
        registerAll(ch);
        ch.writeInbound(ViciPacket.of(ViciPacketType.CMD_UNKNOWN));
        assertFalse(ch.isOpen());
        assertEquals(List.of(new SaEvent.SourceLost("charon does not know command 'list-sas'", true)), delivered);
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
                + " (expected: EVENT_CONFIRM or EVENT_UNKNOWN)", true), delivered.get(0));
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
        assertEquals(List.of(new SaEvent.SourceLost("codec error: frame length: 0 (expected: 1..524288)", true)), delivered);
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
        assertEquals(List.of(new SaEvent.SourceLost("no reply to EVENT_REGISTER child-updown within 30000 ms", true)), delivered);
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
        sink = record;
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

    /** A list-sa for spokes[7] whose child-sas section holds a LIST_ITEM outside any list: framing intact, content not. */
    private static io.netty.buffer.ByteBuf malformedListSaFrame() {
        io.netty.buffer.ByteBuf b = Unpooled.buffer();
        b.writeInt(0).writeByte(7).writeByte(7).writeBytes("list-sa".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.writeByte(1).writeByte(6).writeBytes("spokes".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.writeByte(3).writeByte(8).writeBytes("uniqueid".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).writeShort(1).writeByte('7');
        b.writeByte(1).writeByte(9).writeBytes("child-sas".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.writeByte(5).writeShort(1).writeByte('x');
        b.setInt(0, b.readableBytes() - 4);
        return b;
    }

    @Test
    void malformedListSaRecordCostsNeitherTheConnectionNorTheSnapshotAndItsIkeSaIsKept() {
        EmbeddedChannel ch = connect(new ViciDecoder());
        registerAll(ch);
        ch.writeInbound(event("real-5.9.8"));
        ch.writeInbound(malformedListSaFrame());
        ch.writeInbound(event("no-children-yet"));
        ch.writeInbound(ViciPacket.response(ViciMessage.EMPTY));
        assertTrue(ch.isOpen(), "a bad record never costs the connection");
        SaEvent.Snapshot s = assertInstanceOf(SaEvent.Snapshot.class, delivered.get(0));
        assertEquals(List.of(3L), s.sas().stream().map(sa -> sa.childId()).toList(), "the good records still count");
        assertEquals(List.of(SaEvent.UnreadableIkeSa.of("spokes", 7)), s.unreadable(), "the bad one keeps its known state");
        assertEquals(1.0, registry.counter(Meters.SOURCE_ERRORS, "reason", "malformed-message").count());
        assertEquals(1, snapshots);
        ch.finishAndReleaseAll();
    }

    @Test
    void listSaRecordWithABadChildStillCompletesTheSnapshotAndMarksItsIkeSa() {
        EmbeddedChannel ch = connect();
        registerAll(ch);
        ch.writeInbound(event("hub-two-children"), event("bad-remote-host"));
        ch.writeInbound(ViciPacket.response(ViciMessage.EMPTY));
        SaEvent.Snapshot s = assertInstanceOf(SaEvent.Snapshot.class, delivered.get(0));
        assertEquals(List.of(5L, 6L, 7L), s.sas().stream().map(sa -> sa.childId()).toList());
        assertEquals(List.of(SaEvent.UnreadableIkeSa.of("spokes", 4), SaEvent.UnreadableIkeSa.of("other", 13)), s.unreadable());
        assertEquals(1.0, registry.counter(Meters.SOURCE_ERRORS, "reason", "missing-key").count());
        assertEquals(1.0, registry.counter(Meters.SOURCE_ERRORS, "reason", "bad-value").count());
        assertTrue(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void undecodableRecordOfUnknownNameDuringListSasKeepsEverything() {
        EmbeddedChannel ch = connect();
        registerAll(ch);
        ch.writeInbound(new ViciMalformed(ViciPacketType.EVENT, null, "EVENT name length: 9 (expected: 1..2 remaining bytes)", null));
        ch.writeInbound(ViciPacket.response(ViciMessage.EMPTY));
        SaEvent.Snapshot s = assertInstanceOf(SaEvent.Snapshot.class, delivered.get(0));
        assertEquals(List.of(SaEvent.UnreadableIkeSa.unidentified()), s.unreadable());
        ch.finishAndReleaseAll();
    }

    @Test
    void malformedReplyStillCountsAsThatReply() {
        EmbeddedChannel ch = connect();
        assertEquals(ViciPacket.register("child-updown"), ch.readOutbound());
        ch.writeInbound(new ViciMalformed(ViciPacketType.EVENT_CONFIRM, null, "EVENT_CONFIRM trailing bytes: 2 (expected: 0)", null));
        assertEquals(ViciPacket.register("child-rekey"), ch.readOutbound(), "registration goes on");
        for (String name : List.of("child-rekey", "ike-updown", "ike-rekey", "ike-update", "list-sa")) {
            if (!name.equals("child-rekey")) {
                assertEquals(ViciPacket.register(name), ch.readOutbound());
            }
            ch.writeInbound(CONFIRM);
        }
        assertEquals(ViciPacket.request("list-sas", ViciMessage.EMPTY), ch.readOutbound());
        ch.writeInbound(new ViciMalformed(ViciPacketType.CMD_RESPONSE, null, "element at offset 0: SECTION_END at root", null));
        assertInstanceOf(SaEvent.Snapshot.class, delivered.get(0), "the malformed response still ends list-sas");
        assertEquals(2.0, registry.counter(Meters.SOURCE_ERRORS, "reason", "malformed-message").count());
        assertTrue(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void malformedBroadcastEventIsSkippedAndTheNextOneArrives() {
        EmbeddedChannel ch = connect(new ViciDecoder());
        registerAll(ch);
        ch.writeInbound(ViciPacket.response(ViciMessage.EMPTY));
        io.netty.buffer.ByteBuf bad = Unpooled.buffer().writeInt(16).writeByte(7).writeByte(12)
                .writeBytes("child-updown".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).writeByte(2).writeByte(2);
        ch.writeInbound(bad);
        ch.writeInbound(event("E2-child-down"));
        assertTrue(ch.isOpen());
        assertInstanceOf(SaEvent.ChildDown.class, delivered.get(delivered.size() - 1));
        assertEquals(1.0, registry.counter(Meters.SOURCE_ERRORS, "reason", "malformed-message").count());
        ch.finishAndReleaseAll();
    }

    @Test
    void refusedSelectorIsCountedByReasonAndTheSaStillComesUp() {
        EmbeddedChannel ch = connect();
        registerAll(ch);
        ch.writeInbound(ViciPacket.response(ViciMessage.EMPTY));
        ViciMessage child = ViciMessage.builder().add("name", "lan").add("uniqueid", "5").add("reqid", "1")
                .list("remote-ts", List.of("::ffff:0:0/96", "10.81.2.0/29", "0.0.0.1..255.255.255.254")).build();
        ViciMessage up = ViciMessage.builder().add("up", "yes").section("spokes", ViciMessage.builder().add("uniqueid", "4")
                .add("remote-host", "192.0.2.2").section("child-sas", ViciMessage.builder().section("lan-5", child).build())
                .build()).build();
        ch.writeInbound(ViciPacket.event("child-updown", up));
        SaEvent.ChildUp u = assertInstanceOf(SaEvent.ChildUp.class, delivered.get(delivered.size() - 1));
        assertEquals(List.of(net.rrispeaker.model.Prefix.parse("10.81.2.0/29")), u.sa().remoteTs());
        assertEquals(1.0, registry.counter(Meters.SELECTORS_REFUSED, "reason", "ipv4-mapped").count());
        assertEquals(1.0, registry.counter(Meters.SELECTORS_REFUSED, "reason", "range-too-wide").count());
        ch.finishAndReleaseAll();
    }

    @Test
    void backoffDoublesToTheCapAndResets() {
        // the VICI source's reconnect delays (ViciSource): 0.5 s doubling to 10 s
        net.rrispeaker.retry.Backoff b = new net.rrispeaker.retry.Backoff(java.time.Duration.ofMillis(500),
                java.time.Duration.ofSeconds(10));
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 10_000L, 10_000L),
                List.of(b.failed().toMillis(), b.failed().toMillis(), b.failed().toMillis(), b.failed().toMillis(),
                        b.failed().toMillis(), b.failed().toMillis(), b.failed().toMillis()));
        b.succeeded();
        assertEquals(500L, b.failed().toMillis());
    }
}
