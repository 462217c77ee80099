package net.rrispeaker.source.vici;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Writes a message as its element stream (the inverse of {@link ViciMessageReader}). */
final class ViciMessageWriter {
    private ViciMessageWriter() {
    }

    static void write(ViciMessage message, ByteBuf out) {
        for (ViciMessage.Entry e : message.entries()) {
            if (e instanceof ViciMessage.KeyValue kv) {
                out.writeByte(ViciElementType.KEY_VALUE.wire());
                writeName(kv.name(), out);
                writeValue(kv.value(), out);
            } else if (e instanceof ViciMessage.ListValue l) {
                out.writeByte(ViciElementType.LIST_START.wire());
                writeName(l.name(), out);
                for (String item : l.items()) {
                    out.writeByte(ViciElementType.LIST_ITEM.wire());
                    writeValue(item, out);
                }
                out.writeByte(ViciElementType.LIST_END.wire());
            } else if (e instanceof ViciMessage.Section s) {
                out.writeByte(ViciElementType.SECTION_START.wire());
                writeName(s.name(), out);
                write(s.message(), out);
                out.writeByte(ViciElementType.SECTION_END.wire());
            }
        }
    }

    /** A 1-byte length and the UTF-8 bytes; the length bound was checked when the name was built. */
    static void writeName(String name, ByteBuf out) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        out.writeByte(b.length);
        out.writeBytes(b);
    }

    private static void writeValue(String value, ByteBuf out) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.writeBytes(b);
    }
}
