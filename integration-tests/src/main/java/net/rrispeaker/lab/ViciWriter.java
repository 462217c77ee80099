package net.rrispeaker.lab;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The simulator's VICI encoder: builds one message as its element stream (section start and end,
 * key/value, list with items) into a growable byte array, and frames it as a segment (4-byte
 * big-endian length, packet type, 1-byte-length name for named types, message).
 *
 * <p>It only writes well-formed messages: sections balance, lists do not nest, names fit in one
 * length byte, values in two, a segment in the daemon's 512 KiB bound. Anything else is an
 * {@link IllegalArgumentException} here; broken input for a hostile test goes through
 * {@link ViciServer#injectEvent} (a hand-made message body) or {@link ViciServer#injectRaw}.
 *
 * <p>One writer can be {@link #reset()} and reused, so streaming 100,000 {@code list-sa} records
 * allocates one array per record and nothing per element.
 */
public final class ViciWriter {
    /** Packet types (first byte of a segment). */
    public static final int CMD_REQUEST = 0;
    public static final int CMD_RESPONSE = 1;
    public static final int CMD_UNKNOWN = 2;
    public static final int EVENT_REGISTER = 3;
    public static final int EVENT_UNREGISTER = 4;
    public static final int EVENT_CONFIRM = 5;
    public static final int EVENT_UNKNOWN = 6;
    public static final int EVENT = 7;

    /** Message element types. */
    static final int SECTION_START = 1;
    static final int SECTION_END = 2;
    static final int KEY_VALUE = 3;
    static final int LIST_START = 4;
    static final int LIST_ITEM = 5;
    static final int LIST_END = 6;

    /** The daemon's segment bound (payload bytes after the length prefix). */
    public static final int MAX_SEGMENT = 512 * 1024;
    static final int MAX_NAME = 255;
    static final int MAX_VALUE = 65535;

    private byte[] buf = new byte[512];
    private int len;
    private int depth;

    /** Empties the writer for the next message. */
    public ViciWriter reset() {
        len = 0;
        depth = 0;
        return this;
    }

    /** Opens a section; close it with {@link #end()}. */
    public ViciWriter section(String name) {
        put(SECTION_START);
        name(name);
        depth++;
        return this;
    }

    /** Closes the innermost open section. */
    public ViciWriter end() {
        if (depth == 0) {
            throw new IllegalArgumentException("vici writer: end() with no open section");
        }
        put(SECTION_END);
        depth--;
        return this;
    }

    public ViciWriter kv(String name, String value) {
        put(KEY_VALUE);
        name(name);
        value(value);
        return this;
    }

    public ViciWriter kv(String name, long value) {
        return kv(name, Long.toString(value));
    }

    /** A list with its items (an empty list is allowed). */
    public ViciWriter list(String name, List<String> items) {
        put(LIST_START);
        name(name);
        for (String item : items) {
            put(LIST_ITEM);
            value(item);
        }
        put(LIST_END);
        return this;
    }

    /** Open sections right now (0 when the message is complete). */
    public int depth() {
        return depth;
    }

    /** The message written so far; every section must be closed. */
    public byte[] toBytes() {
        requireBalanced();
        return Arrays.copyOf(buf, len);
    }

    /** The message written so far as one segment of {@code type} (with {@code name} for named types). */
    public byte[] frame(int type, String name) {
        requireBalanced();
        return frame(type, name, buf, len);
    }

    /** One segment: length, type, name for the named types (request, register, unregister, event), body. */
    public static byte[] frame(int type, String name, byte[] body) {
        return frame(type, name, body, body.length);
    }

    private static byte[] frame(int type, String name, byte[] body, int bodyLength) {
        boolean named = type == CMD_REQUEST || type == EVENT_REGISTER || type == EVENT_UNREGISTER || type == EVENT;
        if (type < CMD_REQUEST || type > EVENT) {
            throw new IllegalArgumentException("vici packet type: " + type + " (expected: 0..7)");
        }
        byte[] n = named ? nameBytes(name) : new byte[0];
        if (named && n.length == 0) {
            throw new IllegalArgumentException("vici packet type " + type + ": empty name");
        }
        int payload = 1 + (named ? 1 + n.length : 0) + bodyLength;
        if (payload > MAX_SEGMENT) {
            throw new IllegalArgumentException("vici segment: " + payload + " bytes (expected: <= " + MAX_SEGMENT + ")");
        }
        byte[] out = new byte[4 + payload];
        out[0] = (byte) (payload >>> 24);
        out[1] = (byte) (payload >>> 16);
        out[2] = (byte) (payload >>> 8);
        out[3] = (byte) payload;
        out[4] = (byte) type;
        int at = 5;
        if (named) {
            out[at++] = (byte) n.length;
            System.arraycopy(n, 0, out, at, n.length);
            at += n.length;
        }
        System.arraycopy(body, 0, out, at, bodyLength);
        return out;
    }

    private void requireBalanced() {
        if (depth != 0) {
            throw new IllegalArgumentException("vici writer: " + depth + " section(s) still open");
        }
    }

    private void name(String name) {
        byte[] b = nameBytes(name);
        put(b.length);
        putBytes(b);
    }

    private static byte[] nameBytes(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_NAME) {
            throw new IllegalArgumentException("vici name '" + name + "': " + b.length + " bytes (expected: <= " + MAX_NAME + ")");
        }
        return b;
    }

    private void value(String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_VALUE) {
            throw new IllegalArgumentException("vici value: " + b.length + " bytes (expected: <= " + MAX_VALUE + ")");
        }
        put(b.length >>> 8);
        put(b.length);
        putBytes(b);
    }

    private void put(int b) {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[len++] = (byte) b;
    }

    private void putBytes(byte[] b) {
        if (len + b.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + b.length));
        }
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }
}
