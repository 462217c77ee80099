package net.rrispeaker.source.vici;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks the element stream of one message, in one pass over its bytes, and makes it a
 * {@link ViciMessage} over those same bytes (no copy, no string). A small state machine: in a
 * section it accepts section, key/value and list starts and section ends; in a list only list
 * items and the list end. Any other element, a length that runs past the segment end, or a section
 * depth above the bound is a {@link ViciCodecException} naming the offset and the open sections,
 * and carrying what was read up to there ({@link ViciCodecException#partial()}); its text is built
 * only then. No recursion: the open sections are a chain of parent links in the section table.
 *
 * <p>One reader serves one decoder (one connection) and reuses its table; not thread-safe.
 */
final class ViciMessageReader {
    /** Longest section table kept for the next message; a larger one was for a rare big message. */
    private static final int KEEP_TABLE = 1024;
    private static final int[] NONE = new int[0];

    private final int maxDepth;
    /**
     * The section table being built: for the i-th section, [3i] the offset of its SECTION_START,
     * [3i + 1] the offset of its SECTION_END (-1 while it is open), [3i + 2] the index of the
     * section around it (-1 at the root). See {@link ViciMessage}.
     */
    private int[] table = new int[24];

    // state of the message being read
    private byte[] w;
    private int pos;
    private int sectionCount;
    private int open;          // index of the innermost open section; -1 at the root
    private int depth;
    private boolean inList;
    private int listStart;     // offset of the open list's LIST_START
    private int done;          // offset just past the last complete element

    ViciMessageReader(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    /** Reads all of {@code wire} as one message; the message keeps the array, which must not change afterwards. */
    ViciMessage read(byte[] wire) {
        w = wire;
        pos = 0;
        sectionCount = 0;
        open = -1;
        depth = 0;
        inList = false;
        done = 0;
        try {
            return run();
        } finally {
            w = null;
            if (table.length > KEEP_TABLE) {
                table = new int[24];
            }
        }
    }

    private ViciMessage run() {
        int n = w.length;
        while (pos < n) {
            int e = pos;
            int type = w[pos++];
            if (type < ViciMessage.SECTION_START || type > ViciMessage.LIST_END) {
                throw fail(ViciCodecException.of("element type at offset " + e, type & 0xFF, "1..6"));
            }
            if (inList) {
                inList(type, e);
            } else {
                inSection(type, e);
            }
            done = pos;
        }
        if (inList) {
            throw fail(ViciCodecException.of("message end", "list '" + nameText(listStart) + "' still open", "LIST_END"));
        }
        if (depth > 0) {
            throw fail(ViciCodecException.of("message end", depth + " open section(s), innermost '"
                    + nameText(table[3 * open]) + "'", "0 open sections"));
        }
        return new ViciMessage(w, sectionCount == 0 ? NONE : Arrays.copyOf(table, 3 * sectionCount));
    }

    private void inSection(int type, int e) {
        switch (type) {
            case ViciMessage.SECTION_START -> {
                name(type);
                if (depth + 1 > maxDepth) {
                    throw fail(ViciCodecException.of("section depth at offset " + e, depth + 1, "<= " + maxDepth));
                }
                if (3 * sectionCount + 3 > table.length) {
                    table = Arrays.copyOf(table, table.length * 2);
                }
                table[3 * sectionCount] = e;
                table[3 * sectionCount + 1] = -1;
                table[3 * sectionCount + 2] = open;
                open = sectionCount++;
                depth++;
            }
            case ViciMessage.SECTION_END -> {
                if (depth == 0) {
                    throw fail(ViciCodecException.of("element at offset " + e, "SECTION_END at root", "an open section"));
                }
                table[3 * open + 1] = e;
                open = table[3 * open + 2];
                depth--;
            }
            case ViciMessage.KEY_VALUE -> {
                name(type);
                value(type);
            }
            case ViciMessage.LIST_START -> {
                name(type);
                inList = true;
                listStart = e;
            }
            default -> throw fail(ViciCodecException.of("element at offset " + e, typeName(type) + " outside a list",
                    "SECTION_START, SECTION_END, KEY_VALUE or LIST_START"));
        }
    }

    private void inList(int type, int e) {
        switch (type) {
            case ViciMessage.LIST_ITEM -> value(type);
            case ViciMessage.LIST_END -> inList = false;
            default -> throw fail(ViciCodecException.of("element at offset " + e, typeName(type) + " inside list '"
                    + nameText(listStart) + "'", "LIST_ITEM or LIST_END"));
        }
    }

    /** Steps over a 1-byte length and the name. */
    private void name(int type) {
        if (pos >= w.length) {
            throw fail(ViciCodecException.of(typeName(type) + " name length at offset " + pos, "missing", "1 byte"));
        }
        int at = pos;
        int length = w[pos++] & 0xFF;
        skip(type, " name length", at, length);
    }

    /** Steps over a 2-byte length and the value. */
    private void value(int type) {
        int left = w.length - pos;
        if (left < 2) {
            throw fail(ViciCodecException.of(typeName(type) + " value length at offset " + pos, left + " byte(s) left", "2 bytes"));
        }
        int at = pos;
        int length = (w[pos] & 0xFF) << 8 | (w[pos + 1] & 0xFF);
        pos += 2;
        skip(type, " value length", at, length);
    }

    private void skip(int type, String field, int at, int length) {
        int left = w.length - pos;
        if (length > left) {
            throw fail(ViciCodecException.of(typeName(type) + field + " at offset " + at, length, "<= " + left + " remaining bytes"));
        }
        pos += length;
    }

    private static ViciElementType typeName(int type) {
        return ViciElementType.fromWire(type, -1);
    }

    /** The name of the element at {@code e}, as text (for error messages). */
    private String nameText(int e) {
        return WireText.text(w, e + 2, w[e + 1] & 0xFF);
    }

    /**
     * The error with what was read so far (every complete element, the open list and sections
     * closed where they stood) and the path of the open sections appended.
     */
    private ViciCodecException fail(ViciCodecException e) {
        int closers = (inList ? 1 : 0) + depth;
        byte[] read = Arrays.copyOf(w, done + closers);
        int i = done;
        if (inList) {
            read[i++] = ViciMessage.LIST_END;
        }
        Arrays.fill(read, i, read.length, ViciMessage.SECTION_END);
        ViciMessage partial = new ViciMessageReader(Integer.MAX_VALUE).read(read);
        return e.withPartial(partial, openPath());
    }

    /** The open sections from the root, e.g. {@code spokes/child-sas}: up the parent links; empty at the root. */
    private String openPath() {
        List<String> names = new ArrayList<>();
        for (int s = open; s >= 0; s = table[3 * s + 2]) {
            names.add(0, LogText.safe(nameText(table[3 * s])));
        }
        return String.join("/", names);
    }
}
