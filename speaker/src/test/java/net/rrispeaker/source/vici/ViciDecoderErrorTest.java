package net.rrispeaker.source.vici;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two kinds of bad input. Content that is malformed inside an intact frame (its length in bounds,
 * its packet type known) is one clear {@link ViciMalformed}, stepped over whole: the next frame
 * decodes normally. Broken framing (a length out of bounds, an unknown packet type, the stream
 * ending inside a frame) is one {@link ViciCodecException}, after which the decoder discards the
 * rest of the stream (the client closes and resyncs), so a valid frame that follows is not decoded.
 */
class ViciDecoderErrorTest {
    private static final String EVENT_E = "07" + "01" + "65";   // EVENT, name "e"
    private final EmbeddedChannel channel = new EmbeddedChannel(new ViciDecoder());

    @AfterEach
    void nothingLeft() {
        assertFalse(channel.finish());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("truncated key name", EVENT_E + "03" + "05" + "6b6b",
                        "KEY_VALUE name length at offset 1: 5 (expected: <= 2 remaining bytes)"),
                Arguments.of("key without name length", EVENT_E + "03",
                        "KEY_VALUE name length at offset 1: missing (expected: 1 byte)"),
                Arguments.of("value past the end", EVENT_E + "03" + "016b" + "000a" + "616263",
                        "KEY_VALUE value length at offset 3: 10 (expected: <= 3 remaining bytes)"),
                Arguments.of("value length cut in half", EVENT_E + "03" + "016b" + "00",
                        "KEY_VALUE value length at offset 3: 1 byte(s) left (expected: 2 bytes)"),
                Arguments.of("unknown element type", EVENT_E + "09", "element type at offset 0: 9 (expected: 1..6)"),
                Arguments.of("parser-internal VICI_START on the wire", EVENT_E + "00",
                        "element type at offset 0: 0 (expected: 1..6)"),
                Arguments.of("unbalanced section", EVENT_E + "01" + "0173" + "03016b0001" + "76",
                        "message end: 1 open section(s), innermost 's' (expected: 0 open sections) in section s"),
                Arguments.of("SECTION_END at root", EVENT_E + "02",
                        "element at offset 0: SECTION_END at root (expected: an open section)"),
                Arguments.of("list item outside a list", EVENT_E + "05" + "000176",
                        "element at offset 0: LIST_ITEM outside a list"),
                Arguments.of("list end outside a list", EVENT_E + "06", "element at offset 0: LIST_END outside a list"),
                Arguments.of("key inside a list", EVENT_E + "04016c" + "03016b000176",
                        "element at offset 3: KEY_VALUE inside list 'l' (expected: LIST_ITEM or LIST_END)"),
                Arguments.of("nested list", EVENT_E + "04016c" + "04016d",
                        "element at offset 3: LIST_START inside list 'l'"),
                Arguments.of("section inside a list", EVENT_E + "04016c" + "010173",
                        "element at offset 3: SECTION_START inside list 'l'"),
                Arguments.of("list never closed", EVENT_E + "04016c" + "05000176",
                        "message end: list 'l' still open (expected: LIST_END)"),
                Arguments.of("section depth 65", EVENT_E + "010173".repeat(65) + "02".repeat(65),
                        "section depth at offset 192: 65 (expected: <= 64) in section s/s/s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedContentIsSkippedWithAClearProblemAndTheNextFrameDecodes(String what, String payloadHex, String expected) {
        byte[] payload = ByteBufUtil.decodeHexDump(payloadHex);
        ByteBuf frame = Unpooled.buffer().writeInt(payload.length).writeBytes(payload);
        int half = frame.readableBytes() / 2;
        channel.writeInbound(frame.readRetainedSlice(half));
        assertNull(channel.readInbound(), "half a frame waits");
        channel.writeInbound(frame);
        ViciMalformed m = assertInstanceOf(ViciMalformed.class, channel.readInbound());
        assertEquals(ViciPacketType.EVENT, m.type());
        assertEquals("e", m.name());
        assertStarts(expected, m.problem());
        assertValidFrameIsDecoded();
    }

    static Stream<Arguments> malformedNameOrTrailer() {
        return Stream.of(
                Arguments.of("empty event name", "07" + "00", ViciPacketType.EVENT,
                        "EVENT name length: 0 (expected: 1..0 remaining bytes)"),
                Arguments.of("event name past the end", "07" + "09" + "6162", ViciPacketType.EVENT,
                        "EVENT name length: 9 (expected: 1..2 remaining bytes)"),
                Arguments.of("named type without name", "03", ViciPacketType.EVENT_REGISTER,
                        "EVENT_REGISTER name length: missing (expected: 1 byte)"),
                Arguments.of("confirm with trailing bytes", "05" + "0102", ViciPacketType.EVENT_CONFIRM,
                        "EVENT_CONFIRM trailing bytes: 2 (expected: 0)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedNameOrTrailer")
    void malformedNameOrTrailerIsSkippedToo(String what, String payloadHex, ViciPacketType type, String expected) {
        channel.writeInbound(frame(payloadHex));
        ViciMalformed m = assertInstanceOf(ViciMalformed.class, channel.readInbound());
        assertEquals(type, m.type());
        assertEquals(expected, m.problem());
        assertValidFrameIsDecoded();
    }

    @Test
    void malformedListSaKeepsWhatWasReadBeforeTheErrorToNameItsIkeSa() {
        // list-sa { spokes { uniqueid = 7  child-sas { LIST_ITEM outside a list ...
        String payload = "07" + "07" + hex("list-sa") + "01" + "06" + hex("spokes") + "03" + "08" + hex("uniqueid")
                + "0001" + hex("7") + "01" + "09" + hex("child-sas") + "05" + "0001" + "78";
        channel.writeInbound(frame(payload));
        ViciMalformed m = assertInstanceOf(ViciMalformed.class, channel.readInbound());
        assertEquals("list-sa", m.name());
        assertTrue(m.problem().endsWith("LIST_ITEM outside a list (expected: SECTION_START, SECTION_END, KEY_VALUE or"
                + " LIST_START) in section spokes/child-sas"), m.problem());
        assertEquals("7", m.partial().get("spokes", "uniqueid"));
        assertEquals(List.of(net.rrispeaker.model.SaEvent.UnreadableIkeSa.of("spokes", 7)),
                ViciEvents.unreadableFrom(m.partial()));
    }

    @Test
    void invalidUtf8InAFullLengthNameStillDecodes() {
        // U+FFFD for each bad byte would triple the name past the wire's 255-byte bound
        String payload = "07" + "ff" + "ff".repeat(255) + "03" + "016b" + "0003" + "c0c1fe";
        channel.writeInbound(frame(payload));
        ViciPacket p = assertInstanceOf(ViciPacket.class, channel.readInbound());
        assertEquals("?".repeat(255), p.name());
        assertEquals("???", p.message().get("k"));
    }

    @Test
    void unknownPacketTypeLosesTheFramingAndTheStreamIsDiscarded() {
        ViciCodecException e = assertThrows(ViciCodecException.class, () -> channel.writeInbound(frame("08")));
        assertEquals("packet type: 8 (expected: 0..7)", e.getMessage());
        assertNull(channel.readInbound());
        assertValidFrameIsIgnored();
    }

    @Test
    void depth64IsStillAccepted() {
        String payload = EVENT_E + "010173".repeat(64) + "02".repeat(64);
        channel.writeInbound(frame(payload));
        ViciPacket p = channel.readInbound();
        String[] path = new String[64];
        java.util.Arrays.fill(path, "s");
        assertEquals(ViciMessage.EMPTY, p.message().section(path));
    }

    @Test
    void zeroLengthFrameIsRejected() {
        ViciCodecException e = assertThrows(ViciCodecException.class,
                () -> channel.writeInbound(Unpooled.buffer().writeInt(0)));
        assertEquals("frame length: 0 (expected: 1..524288)", e.getMessage());
        assertValidFrameIsIgnored();
    }

    @Test
    void oversizedFrameIsRejectedBeforeItsPayloadArrives() {
        ViciCodecException e = assertThrows(ViciCodecException.class,
                () -> channel.writeInbound(Unpooled.buffer().writeInt(512 * 1024 + 1)));
        assertEquals("frame length: 524289 (expected: 1..524288)", e.getMessage());
        assertValidFrameIsIgnored();
    }

    @Test
    void lengthAbove2GiBIsNotReadAsNegative() {
        ViciCodecException e = assertThrows(ViciCodecException.class,
                () -> channel.writeInbound(Unpooled.buffer().writeInt(0xFFFFFFFF)));
        assertEquals("frame length: 4294967295 (expected: 1..524288)", e.getMessage());
    }

    @Test
    void streamEndingInsideAFrameIsReported() {
        channel.writeInbound(Unpooled.buffer().writeInt(10).writeByte(7));
        assertNull(channel.readInbound(), "a partial frame waits for more bytes");
        ViciCodecException e = assertThrows(ViciCodecException.class, channel::finish);
        assertEquals("stream end inside a frame: 1 of 10 payload bytes (expected: a complete frame)", e.getMessage());
    }

    private void assertValidFrameIsDecoded() {
        channel.writeInbound(frame("05"));
        assertEquals(ViciPacket.of(ViciPacketType.EVENT_CONFIRM), channel.readInbound(), "the stream goes on");
    }

    private static String hex(String s) {
        return ByteBufUtil.hexDump(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private void assertValidFrameIsIgnored() {
        channel.writeInbound(frame("05"));
        assertNull(channel.readInbound(), "decoder must discard after an error");
    }

    private static ByteBuf frame(String payloadHex) {
        byte[] payload = ByteBufUtil.decodeHexDump(payloadHex);
        return Unpooled.buffer().writeInt(payload.length).writeBytes(payload);
    }

    private static void assertStarts(String expected, String actual) {
        if (!actual.startsWith(expected)) {
            assertEquals(expected, actual);
        }
    }
}
