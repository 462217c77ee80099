package net.rrispeaker.source.vici;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Writes a message as its element stream (the inverse of {@link ViciMessageReader}). */
final class ViciMessageWriter {
    private ViciMessageWriter() {
    }

    /** The message's element stream, as it is kept. */
    static void write(ViciMessage message, ByteBuf out) {
        out.writeBytes(message.wire(), message.first(), message.end() - message.first());
    }

    /** A 1-byte length and the UTF-8 bytes; the length bound was checked when the name was built. */
    static void writeName(String name, ByteBuf out) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        out.writeByte(b.length);
        out.writeBytes(b);
    }
}
