package net.rrispeaker.source.vici;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits the VICI byte stream into {@link ViciPacket}s: a 4-byte big-endian payload length, then
 * the packet type, the name for named types and the message. An explicit state machine:
 * {@code LENGTH} waits for the prefix and checks it against the frame bound before any payload
 * is buffered, {@code PAYLOAD} waits for the whole segment and parses it, {@code BAD_FRAME}
 * discards everything after a framing error.
 *
 * <p>Two kinds of error. <b>Framing</b>: a length outside 1..512 KiB, an unknown packet type, or
 * the stream ending inside a frame. The decoder cannot tell where the next frame starts, so the
 * stream cannot be trusted again: the error travels up the pipeline as a
 * {@link ViciCodecException}, the client closes the connection and resyncs on a new one.
 * <b>Content</b>: anything wrong inside a segment whose length and type were fine (a name or value
 * running past the segment, an element out of place, unbalanced sections, nesting deeper than the
 * bound, trailing bytes). The segment is stepped over whole and handed up as a
 * {@link ViciMalformed}; the connection and the next frame are unaffected.
 *
 * <p>Resources: at most one frame (4 + 512 KiB) is buffered, checked before any payload is read;
 * a message is one copy of its frame's bytes plus a table of three ints per section (a section takes
 * at least three bytes), read in place ({@link ViciMessage}); checking it is one iterative pass.
 */
final class ViciDecoder extends ByteToMessageDecoder {
    /** The daemon's own segment bound (VICI_MESSAGE_SIZE_MAX). */
    static final int MAX_FRAME = 512 * 1024;
    static final int DEFAULT_MAX_DEPTH = 64;

    /** The events the source registers for, by their bytes: a known name costs no new string. */
    private static final String[] KNOWN_NAMES = knownNames();
    private static final byte[][] KNOWN_BYTES = Arrays.stream(KNOWN_NAMES)
            .map(n -> n.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    private enum State { LENGTH, PAYLOAD, BAD_FRAME }

    private final int maxFrame;
    private final ViciMessageReader reader;
    private State state = State.LENGTH;
    private int frameLength;

    ViciDecoder() {
        this(MAX_FRAME, DEFAULT_MAX_DEPTH);
    }

    ViciDecoder(int maxFrame, int maxDepth) {
        if (maxFrame < 1 || maxFrame > MAX_FRAME) {
            throw new IllegalArgumentException("maxFrame: " + maxFrame + " (expected: 1.." + MAX_FRAME + ")");
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth: " + maxDepth + " (expected: >= 1)");
        }
        this.maxFrame = maxFrame;
        this.reader = new ViciMessageReader(maxDepth);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case LENGTH -> {
                    if (in.readableBytes() < 4) {
                        return;
                    }
                    long length = in.readUnsignedInt();
                    if (length < 1 || length > maxFrame) {
                        throw fail(ViciCodecException.of("frame length", length, "1.." + maxFrame));
                    }
                    frameLength = (int) length;
                    state = State.PAYLOAD;
                }
                case PAYLOAD -> {
                    if (in.readableBytes() < frameLength) {
                        return;
                    }
                    ByteBuf frame = in.readSlice(frameLength);
                    state = State.LENGTH;
                    try {
                        out.add(readPacket(frame));
                    } catch (ViciCodecException e) {
                        throw fail(e);
                    }
                }
                case BAD_FRAME -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        // in PAYLOAD the length prefix is already consumed: the frame is cut even with no byte left
        if (state == State.PAYLOAD || (state == State.LENGTH && in.isReadable())) {
            int have = in.readableBytes();
            String what = state == State.LENGTH ? have + " of 4 length bytes" : have + " of " + frameLength + " payload bytes";
            in.skipBytes(have);
            throw fail(ViciCodecException.of("stream end inside a frame", what, "a complete frame"));
        }
    }

    /** Bytes buffered while waiting for the rest of a frame; never more than 4 + the frame bound. */
    int buffered() {
        ByteBuf b = internalBuffer();
        return b == null ? 0 : b.readableBytes();
    }

    private ViciCodecException fail(ViciCodecException e) {
        state = State.BAD_FRAME;
        return e;
    }

    /** A {@link ViciPacket}, or a {@link ViciMalformed} for bad content; throws only for an unknown type. */
    private Object readPacket(ByteBuf frame) {
        ViciPacketType type = ViciPacketType.fromWire(frame.readUnsignedByte());
        String name = null;
        if (type.named()) {
            if (!frame.isReadable()) {
                return malformed(type, null, ViciCodecException.of(type + " name length", "missing", "1 byte"));
            }
            int len = frame.readUnsignedByte();
            if (len == 0 || len > frame.readableBytes()) {
                return malformed(type, null, ViciCodecException.of(type + " name length", len,
                        "1.." + frame.readableBytes() + " remaining bytes"));
            }
            name = packetName(frame, frame.readerIndex(), len);
            frame.skipBytes(len);
        }
        ViciMessage message = ViciMessage.EMPTY;
        if (type.hasMessage()) {
            if (frame.isReadable()) {
                // one copy of the message bytes, which the message then reads in place
                byte[] wire = new byte[frame.readableBytes()];
                frame.readBytes(wire);
                try {
                    message = reader.read(wire);
                } catch (ViciCodecException e) {
                    return malformed(type, name, e);
                }
            }
        } else if (frame.isReadable()) {
            return malformed(type, name, ViciCodecException.of(type + " trailing bytes", frame.readableBytes(), "0"));
        }
        return new ViciPacket(type, name, message);
    }

    private static String[] knownNames() {
        List<String> names = new ArrayList<>(ViciEvents.SUBSCRIBED);
        names.add(ViciEvents.LIST_SA);
        return names.toArray(String[]::new);
    }

    /** The packet name: one of the known event names, or text made from the bytes. */
    private static String packetName(ByteBuf frame, int index, int length) {
        for (int k = 0; k < KNOWN_BYTES.length; k++) {
            byte[] known = KNOWN_BYTES[k];
            if (known.length == length && sameBytes(frame, index, known)) {
                return KNOWN_NAMES[k];
            }
        }
        byte[] b = new byte[length];
        frame.getBytes(index, b);
        return WireText.text(b, 0, length);
    }

    private static boolean sameBytes(ByteBuf frame, int index, byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (frame.getByte(index + i) != b[i]) {
                return false;
            }
        }
        return true;
    }

    private static ViciMalformed malformed(ViciPacketType type, String name, ViciCodecException e) {
        return new ViciMalformed(type, name, e.getMessage(), e.partial());
    }
}
