package net.rrispeaker.source.vici;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seeded random byte streams into the VICI decoder: random frames, valid frames of random
 * messages, and mutations of those (bytes flipped, inserted, deleted, cut; lengths changed; frames
 * joined), fed in random chunks. Whatever arrives, the decoder throws nothing but its own
 * {@link ViciCodecException}, and only for broken framing; it emits only packets and
 * {@link ViciMalformed} records; it never buffers more than one frame; a valid frame decodes to
 * what was encoded. A second test drives the whole session: malformed {@code list-sa} records with
 * intact framing never cost the connection or the snapshot. Reproduce a failure with
 * {@code -Drri.fuzz.seed=N} (the failure message prints the seed, the case and the bytes).
 */
class ViciDecoderFuzzTest {
    private static final long SEED = Long.getLong("rri.fuzz.seed", 20_260_501L);
    private static final int CASES = 20_000;
    private static final int MAX_FRAME = 4096;
    private static final int MAX_DEPTH = 8;

    private final ch.qos.logback.classic.Logger[] logs = {
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ViciDelivery.class),
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ViciSession.class)};
    private final ch.qos.logback.classic.Level[] levels = new ch.qos.logback.classic.Level[logs.length];

    private int packets;
    private int malformed;
    private int framingErrors;

    @BeforeEach
    void quiet() {
        for (int i = 0; i < logs.length; i++) {
            levels[i] = logs[i].getLevel();
            logs[i].setLevel(ch.qos.logback.classic.Level.ERROR);   // thousands of skipped records, one line each
        }
    }

    @AfterEach
    void loud() {
        for (int i = 0; i < logs.length; i++) {
            logs[i].setLevel(levels[i]);
        }
    }

    @Test
    void decoderEmitsPacketsOrMalformedRecordsAndThrowsOnlyItsOwnFramingError() {
        Random rnd = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            byte[] stream = switch (i % 5) {
                case 0 -> randomFrames(rnd);
                case 1 -> validFrames(rnd, 1 + rnd.nextInt(3));
                case 2 -> frame(rawEvent(rnd));
                default -> mutate(validFrames(rnd, 1 + rnd.nextInt(3)), rnd);
            };
            try {
                decode(stream, rnd);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("decoder fuzz failed: seed=" + SEED + " case=" + i + " bytes="
                        + io.netty.buffer.ByteBufUtil.hexDump(stream) + ": " + e, e);
            }
        }
        assertTrue(packets > CASES / 4 && malformed > CASES / 20 && framingErrors > CASES / 20,
                "every outcome exercised: packets=" + packets + " malformed=" + malformed + " framing=" + framingErrors);
    }

    private void decode(byte[] stream, Random rnd) {
        int frames = intactFrames(stream);
        ViciDecoder decoder = new ViciDecoder(MAX_FRAME, MAX_DEPTH);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        int at = 0;
        int out = 0;
        ViciCodecException lost = null;
        while (at < stream.length && lost == null) {
            int n = Math.min(stream.length - at, 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 600));
            try {
                ch.writeInbound(Unpooled.wrappedBuffer(stream, at, n));
            } catch (ViciCodecException e) {
                lost = e;
            }
            at += n;
            assertTrue(decoder.buffered() <= 4 + MAX_FRAME, "buffered " + decoder.buffered() + " bytes");
            out += drain(ch);
        }
        if (lost != null) {
            ch.writeInbound(Unpooled.wrappedBuffer(validFrames(rnd, 1)));
            assertNull(ch.readInbound(), "nothing is decoded after a framing error");
        } else {
            try {
                ch.finish();
            } catch (ViciCodecException e) {
                lost = e;   // the stream ended inside a frame
            }
            out += drain(ch);
        }
        ch.finishAndReleaseAll();
        if (frames >= 0) {
            assertNull(lost, "intact framing, yet the connection would be lost");
            assertEquals(frames, out, "one packet or malformed record per frame");
        } else {
            assertTrue(lost != null, "broken framing must be noticed");
            framingErrors++;
        }
    }

    /** How many frames the stream holds if its framing is intact (lengths 1..MAX_FRAME, known types, nothing cut); else -1. */
    private static int intactFrames(byte[] s) {
        int at = 0;
        int frames = 0;
        while (at < s.length) {
            if (s.length - at < 4) {
                return -1;
            }
            long len = ((s[at] & 0xffL) << 24) | ((s[at + 1] & 0xff) << 16) | ((s[at + 2] & 0xff) << 8) | (s[at + 3] & 0xff);
            if (len < 1 || len > MAX_FRAME || s.length - at - 4 < len || (s[at + 4] & 0xff) > 7) {
                return -1;
            }
            at += 4 + (int) len;
            frames++;
        }
        return frames;
    }

    private int drain(EmbeddedChannel ch) {
        int n = 0;
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            n++;
            if (o instanceof ViciMalformed m) {
                malformed++;
                assertTrue(!m.problem().isEmpty());
            } else {
                packets++;
                ViciPacket p = assertInstanceOf(ViciPacket.class, o);
                ByteBuf again = Unpooled.buffer();
                ViciEncoder.encode(p, again);
                EmbeddedChannel round = new EmbeddedChannel(new ViciDecoder(ViciDecoder.MAX_FRAME, MAX_DEPTH));
                round.writeInbound(again);
                assertEquals(p, round.readInbound(), "a decoded packet encodes to itself");
                round.finishAndReleaseAll();
            }
        }
        return n;
    }

    @Test
    void malformedListSaRecordsNeverCostTheConnectionOrTheSnapshot() {
        Map<String, TranscriptMessages.Event> lists = TranscriptMessages.load("list-sa-events.txt");
        List<ViciMessage> records = lists.values().stream().map(TranscriptMessages.Event::message).toList();
        Random rnd = new Random(SEED);
        for (int i = 0; i < CASES / 10; i++) {
            List<SaEvent> delivered = new ArrayList<>();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ViciSession session = new ViciSession(new ViciDelivery(e -> {
                // the parts are the snapshot's, ahead of it
                if (!(e instanceof SaEvent.SnapshotStarted || e instanceof SaEvent.SnapshotPart)) {
                    delivered.add(e);
                }
            }, registry), () -> { }, 30_000);
            EmbeddedChannel ch = new EmbeddedChannel(new ViciDecoder(), session);
            for (int k = 0; k < 6; k++) {
                ch.readOutbound();
                writeInbound(ch, frame(new byte[] {5}));   // EVENT_CONFIRM for each registration
            }
            ViciMessage record = records.get(rnd.nextInt(records.size()));
            byte[] good = packet(ViciPacket.event("list-sa", records.get(rnd.nextInt(records.size()))));
            byte[] bad = packet(ViciPacket.event("list-sa", record));
            int header = 1 + 1 + "list-sa".length();
            byte[] mutated = mutateContent(bad, header, rnd);
            try {
                writeInbound(ch, frame(good), frame(mutated), frame(good));
                writeInbound(ch, frame(new byte[] {1}));   // the empty CMD_RESPONSE ending list-sas
                assertTrue(ch.isOpen(), "a malformed record never costs the connection");
                assertInstanceOf(SaEvent.Snapshot.class, delivered.get(0), "the snapshot completes");
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("session fuzz failed: seed=" + SEED + " case=" + i + " record="
                        + io.netty.buffer.ByteBufUtil.hexDump(mutated) + ": " + e, e);
            }
            ch.finishAndReleaseAll();
        }
    }

    private static byte[] frame(byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(payload.length >>> 24);
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static void writeInbound(EmbeddedChannel ch, byte[]... frames) {
        for (byte[] f : frames) {
            ch.writeInbound(Unpooled.wrappedBuffer(f));
        }
    }

    /** The payload of a packet (no length prefix). */
    private static byte[] packet(ViciPacket p) {
        ByteBuf b = Unpooled.buffer();
        ViciEncoder.encode(p, b);
        b.skipBytes(4);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /** Flips, inserts and deletes bytes after the packet header only: the framing stays intact. */
    private static byte[] mutateContent(byte[] payload, int header, Random rnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(payload, 0, header);
        int edits = 1 + rnd.nextInt(4);
        byte[] body = java.util.Arrays.copyOfRange(payload, header, payload.length);
        for (int e = 0; e < edits && body.length > 0; e++) {
            int at = rnd.nextInt(body.length);
            switch (rnd.nextInt(3)) {
                case 0 -> body[at] = (byte) (rnd.nextInt(3) == 0 ? rnd.nextInt(8) : rnd.nextInt(256));
                case 1 -> body = java.util.Arrays.copyOf(body, at);
                default -> {
                    byte[] n = new byte[body.length + 1];
                    System.arraycopy(body, 0, n, 0, at);
                    n[at] = (byte) rnd.nextInt(8);
                    System.arraycopy(body, at, n, at + 1, body.length - at);
                    body = n;
                }
            }
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] randomFrames(Random rnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = 1 + rnd.nextInt(3);
        for (int f = 0; f < frames; f++) {
            byte[] payload = new byte[rnd.nextInt(64)];
            rnd.nextBytes(payload);
            if (payload.length > 0 && rnd.nextBoolean()) {
                payload[0] = (byte) rnd.nextInt(8);   // mostly a known packet type
            }
            out.writeBytes(rnd.nextInt(10) == 0 ? payload : frame(payload));
        }
        return out.toByteArray();
    }

    /** An event whose names and values are random bytes (any UTF-8 validity) of random, consistent lengths. */
    private static byte[] rawEvent(Random rnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(7);
        writeRandom(out, 1 + rnd.nextInt(255), 1, rnd);
        for (int e = rnd.nextInt(4); e > 0; e--) {
            out.write(3);
            writeRandom(out, rnd.nextInt(256), 1, rnd);
            writeRandom(out, rnd.nextInt(rnd.nextBoolean() ? 64 : 1500), 2, rnd);
        }
        return out.toByteArray();
    }

    private static void writeRandom(ByteArrayOutputStream out, int length, int lengthBytes, Random rnd) {
        if (lengthBytes == 2) {
            out.write(length >>> 8);
        }
        out.write(length);
        byte[] b = new byte[length];
        rnd.nextBytes(b);
        if (rnd.nextBoolean()) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) ('a' + (b[i] & 15));   // plain text too, not only invalid UTF-8
            }
        }
        out.writeBytes(b);
    }

    private static byte[] validFrames(Random rnd, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int f = 0; f < count; f++) {
            ViciPacketType type = ViciPacketType.values()[rnd.nextInt(ViciPacketType.values().length)];
            String name = type.named() ? name(rnd) : null;
            ViciMessage m = type.hasMessage() ? message(rnd, 0) : null;
            out.writeBytes(frame(packet(new ViciPacket(type, name, m))));
        }
        return out.toByteArray();
    }

    private static ViciMessage message(Random rnd, int depth) {
        ViciMessage.Builder b = ViciMessage.builder();
        int entries = rnd.nextInt(depth == 0 ? 6 : 4);
        for (int e = 0; e < entries; e++) {
            switch (rnd.nextInt(depth < MAX_DEPTH - 1 ? 3 : 2)) {
                case 0 -> b.add(name(rnd), value(rnd));
                case 1 -> {
                    List<String> items = new ArrayList<>();
                    for (int k = rnd.nextInt(4); k > 0; k--) {
                        items.add(value(rnd));
                    }
                    b.list(name(rnd), items);
                }
                default -> b.section(name(rnd), message(rnd, depth + 1));
            }
        }
        return b.build();
    }

    private static String name(Random rnd) {
        return List.of("spokes", "child-sas", "remote-ts", "uniqueid", "state", "up", "n", "list-sa", "x-y-9")
                .get(rnd.nextInt(9));
    }

    private static String value(Random rnd) {
        return List.of("", "yes", "4", "10.81.2.0/29", "192.0.2.2", "INSTALLED", "::ffff:0:0/96", "z".repeat(300))
                .get(rnd.nextInt(8));
    }

    private static byte[] mutate(byte[] stream, Random rnd) {
        byte[] b = stream.clone();
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(5)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = (byte) rnd.nextInt(8);
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                case 3 -> {
                    byte[] n = new byte[b.length + 1];
                    System.arraycopy(b, 0, n, 0, at);
                    n[at] = (byte) rnd.nextInt(256);
                    System.arraycopy(b, at, n, at + 1, b.length - at);
                    b = n;
                }
                default -> {
                    byte[] n = new byte[b.length - 1];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(b, at + 1, n, at, b.length - at - 1);
                    b = n;
                }
            }
        }
        return b;
    }
}
