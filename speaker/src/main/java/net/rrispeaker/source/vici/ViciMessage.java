package net.rrispeaker.source.vici;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable VICI message: an ordered tree of key/values, lists of values and named sections.
 * Every value is text (the daemon encodes numbers in decimal, booleans as {@code yes}/{@code no}).
 * Lookups return the first entry of that name: the protocol says names are unique within a
 * section, and a daemon that repeats one is tolerated rather than disconnected.
 *
 * <p>Kept as its wire bytes, the element stream, which {@link ViciMessageReader} checked once (or
 * the {@link Builder} wrote): nothing is converted until it is used. A section is a view of the
 * same bytes. Next to the bytes lies a table of where each section starts and ends and which one
 * it is in, so that a walk over the elements of one section steps over a nested section in one
 * jump, and an error can name a section's path without a scan. The conversion reads
 * elements by offset ({@link #first()}, {@link #next(int)}, {@link #nameAt(int)}, ...), comparing
 * names as bytes and converting only the values it needs; the tree view ({@link #entries()},
 * {@link #get}, {@link #sections()}) builds strings and is for requests, tests and error paths.
 */
final class ViciMessage {
    /** Longest element or packet name the wire can carry (1-byte length). */
    static final int MAX_NAME = 255;
    /** Longest value the wire can carry (2-byte length). */
    static final int MAX_VALUE = 65535;

    // wire values of the element types (ViciElementType), for walking the bytes
    static final byte SECTION_START = 1;
    static final byte SECTION_END = 2;
    static final byte KEY_VALUE = 3;
    static final byte LIST_START = 4;
    static final byte LIST_ITEM = 5;
    static final byte LIST_END = 6;

    private static final int[] NO_SECTIONS = new int[0];

    static final ViciMessage EMPTY = new ViciMessage(new byte[0], NO_SECTIONS);

    /** One element of a section. */
    sealed interface Entry permits KeyValue, ListValue, Section {
        String name();
    }

    record KeyValue(String name, String value) implements Entry {
        KeyValue {
            checkName(name);
            checkValue(value);
        }
    }

    record ListValue(String name, List<String> items) implements Entry {
        ListValue {
            checkName(name);
            items = List.copyOf(items);
            items.forEach(ViciMessage::checkValue);
        }
    }

    record Section(String name, ViciMessage message) implements Entry {
        Section {
            checkName(name);
            Objects.requireNonNull(message, "message");
        }
    }

    /** The element stream this message is part of, shared by all its sections. */
    private final byte[] wire;
    /** Offset of this section's first element. */
    private final int first;
    /** Offset just past its last element: its SECTION_END, or the end of the wire. */
    private final int end;
    /**
     * For the i-th SECTION_START of the wire: [3i] its offset, [3i + 1] the offset of its
     * SECTION_END, [3i + 2] the index of the section around it (-1 at the top).
     */
    private final int[] sections;
    /** Offset of this section's own SECTION_START; -1 for a whole message. */
    private final int at;

    /** A whole message: a well-formed element stream and its section table (see {@link ViciMessageReader}). */
    ViciMessage(byte[] wire, int[] sections) {
        this(wire, 0, wire.length, sections, -1);
    }

    private ViciMessage(byte[] wire, int first, int end, int[] sections, int at) {
        this.wire = wire;
        this.first = first;
        this.end = end;
        this.sections = sections;
        this.at = at;
    }

    static Builder builder() {
        return new Builder();
    }

    // ---- elements by offset (no allocation) ----

    /** The bytes the offsets refer to; never modified. */
    byte[] wire() {
        return wire;
    }

    /** Offset of the first element of this section (equal to {@link #end()} when empty). */
    int first() {
        return first;
    }

    int end() {
        return end;
    }

    /** The element type byte at {@code e}. */
    byte type(int e) {
        return wire[e];
    }

    /** Offset of the element after {@code e} in the same section (stepping over a nested section or list whole). */
    int next(int e) {
        switch (wire[e]) {
            case SECTION_START -> {
                return sectionEnd(e) + 1;
            }
            case KEY_VALUE -> {
                int v = e + 2 + nameLength(e);
                return v + 2 + u16(v);
            }
            case LIST_START -> {
                int i = firstItem(e);
                while (wire[i] == LIST_ITEM) {
                    i = nextItem(i);
                }
                return i + 1;
            }
            default -> throw new IllegalStateException("element type " + wire[e] + " at offset " + e + " in a section");
        }
    }

    /** Offset of the name of the SECTION_START, KEY_VALUE or LIST_START at {@code e}. */
    int nameAt(int e) {
        return e + 2;
    }

    int nameLength(int e) {
        return wire[e + 1] & 0xFF;
    }

    /** True if the element at {@code e} is named {@code name} (its UTF-8 bytes). */
    boolean nameIs(int e, byte[] name) {
        int n = nameLength(e);
        return n == name.length && Arrays.equals(wire, e + 2, e + 2 + n, name, 0, n);
    }

    /** Offset of the value of the KEY_VALUE at {@code e}. */
    int valueAt(int e) {
        return e + 2 + nameLength(e) + 2;
    }

    int valueLength(int e) {
        return u16(e + 2 + nameLength(e));
    }

    /** Offset of the first LIST_ITEM of the LIST_START at {@code e}, or of its LIST_END. */
    int firstItem(int e) {
        return e + 2 + nameLength(e);
    }

    /** True if {@code i} is a LIST_ITEM (not the LIST_END). */
    boolean isItem(int i) {
        return wire[i] == LIST_ITEM;
    }

    int itemAt(int i) {
        return i + 3;
    }

    int itemLength(int i) {
        return u16(i + 1);
    }

    int nextItem(int i) {
        return i + 3 + u16(i + 1);
    }

    /** The section whose SECTION_START is at {@code e}. */
    ViciMessage sectionAt(int e) {
        return new ViciMessage(wire, e + 2 + nameLength(e), sectionEnd(e), sections, e);
    }

    /** Offset of the first direct subsection; -1 if none. */
    int firstSection() {
        return sectionFrom(first);
    }

    /** Offset of the direct subsection after the element at {@code e}; -1 if none. */
    int nextSection(int e) {
        return sectionFrom(next(e));
    }

    private int sectionFrom(int e) {
        while (e < end && wire[e] != SECTION_START) {
            e = next(e);
        }
        return e < end ? e : -1;
    }

    /** Offset of the first element named {@code name}, of any type; -1 if none. */
    int find(byte[] name) {
        for (int e = first; e < end; e = next(e)) {
            if (nameIs(e, name)) {
                return e;
            }
        }
        return -1;
    }

    /** This section's name as the wire has it; empty for a whole message. */
    String name() {
        return at < 0 ? "" : WireText.name(wire, at + 2, nameLength(at));
    }

    /**
     * Where this section sits below {@code root} (which it must be part of), for error messages:
     * {@code /spokes/child-sas/lan-5}, each name escaped for a log line; empty for the root itself.
     */
    String pathFrom(ViciMessage root) {
        List<String> names = new ArrayList<>();
        for (int i = at < 0 ? -1 : sectionIndex(at); i >= 0 && sections[3 * i] >= root.first; i = sections[3 * i + 2]) {
            int start = sections[3 * i];
            names.add(0, LogText.safe(WireText.text(wire, start + 2, nameLength(start))));
        }
        return names.isEmpty() ? "" : "/" + String.join("/", names);
    }

    /** Offset of the SECTION_END of the section starting at {@code e}. */
    private int sectionEnd(int e) {
        return sections[3 * sectionIndex(e) + 1];
    }

    /** Index in the section table of the section starting at {@code e}: a binary search. */
    private int sectionIndex(int e) {
        int lo = 0;
        int hi = sections.length / 3 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int start = sections[3 * mid];
            if (start < e) {
                lo = mid + 1;
            } else if (start > e) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        throw new IllegalStateException("no section starts at offset " + e);
    }

    private int u16(int i) {
        return (wire[i] & 0xFF) << 8 | (wire[i + 1] & 0xFF);
    }

    // ---- the tree view (builds strings) ----

    /** The entries of this section, in wire order. */
    List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (int e = first; e < end; e = next(e)) {
            String name = WireText.text(wire, nameAt(e), nameLength(e));
            switch (wire[e]) {
                case KEY_VALUE -> out.add(new KeyValue(name, WireText.text(wire, valueAt(e), valueLength(e))));
                case LIST_START -> out.add(new ListValue(name, items(e)));
                default -> out.add(new Section(name, sectionAt(e)));
            }
        }
        return out;
    }

    boolean isEmpty() {
        return first == end;
    }

    /**
     * The value at a path of section names ending in a key, e.g. {@code get("spokes", "state")};
     * null when any step is missing or of another kind.
     */
    String get(String... path) {
        ViciMessage m = this;
        for (int i = 0; i < path.length - 1 && m != null; i++) {
            m = m.section(path[i]);
        }
        if (m == null) {
            return null;
        }
        int e = m.find(utf8(path[path.length - 1]));
        return e >= 0 && m.wire[e] == KEY_VALUE ? WireText.text(m.wire, m.valueAt(e), m.valueLength(e)) : null;
    }

    /** The section at a path of section names; null when missing. */
    ViciMessage section(String... path) {
        ViciMessage m = this;
        for (String name : path) {
            int e = m.find(utf8(name));
            if (e < 0 || m.wire[e] != SECTION_START) {
                return null;
            }
            m = m.sectionAt(e);
        }
        return m;
    }

    /** The list of that name in this section; null when missing. */
    List<String> list(String name) {
        int e = find(utf8(name));
        return e >= 0 && wire[e] == LIST_START ? items(e) : null;
    }

    /** The direct subsections, in wire order. */
    List<Section> sections() {
        List<Section> out = new ArrayList<>();
        for (int e = firstSection(); e >= 0; e = nextSection(e)) {
            out.add(new Section(WireText.text(wire, nameAt(e), nameLength(e)), sectionAt(e)));
        }
        return out;
    }

    private List<String> items(int e) {
        List<String> items = new ArrayList<>();
        for (int i = firstItem(e); isItem(i); i = nextItem(i)) {
            items.add(WireText.text(wire, itemAt(i), itemLength(i)));
        }
        return List.copyOf(items);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Equal when the element streams are: the same entries, in the same order, byte for byte. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ViciMessage m && Arrays.equals(wire, first, end, m.wire, m.first, m.end);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = first; i < end; i++) {
            h = 31 * h + wire[i];
        }
        return h;
    }

    /** Indented text in the layout of the test transcripts ({@code key = value}, {@code name { }}). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        append(sb, "");
        return sb.toString();
    }

    private void append(StringBuilder sb, String indent) {
        for (Entry e : entries()) {
            if (e instanceof KeyValue kv) {
                sb.append(indent).append(kv.name()).append(" = ").append(kv.value()).append('\n');
            } else if (e instanceof ListValue l) {
                sb.append(indent).append(l.name()).append(" = [").append(String.join(", ", l.items())).append("]\n");
            } else if (e instanceof Section s) {
                sb.append(indent).append(s.name()).append(" {\n");
                s.message().append(sb, indent + "  ");
                sb.append(indent).append("}\n");
            }
        }
    }

    static void checkName(String name) {
        checkLength(Objects.requireNonNull(name, "name"), "name length", MAX_NAME);
    }

    static void checkValue(String value) {
        checkLength(Objects.requireNonNull(value, "value"), "value length", MAX_VALUE);
    }

    /** The UTF-8 length bound; a string of at most a third of it in chars fits without encoding it. */
    private static void checkLength(String s, String field, int max) {
        if (s.length() <= max / 3) {
            return;
        }
        int len = s.getBytes(StandardCharsets.UTF_8).length;
        if (len > max) {
            throw ViciCodecException.of(field, len, "<= " + max);
        }
    }

    /** Collects entries in order, written straight into an element stream. */
    static final class Builder {
        private byte[] buf = new byte[64];
        private int size;

        Builder add(String key, String value) {
            checkName(key);
            checkValue(value);
            writeByte(KEY_VALUE);
            writeName(key);
            writeValue(value);
            return this;
        }

        Builder list(String name, List<String> items) {
            checkName(name);
            List<String> copy = List.copyOf(items);
            copy.forEach(ViciMessage::checkValue);
            writeByte(LIST_START);
            writeName(name);
            for (String item : copy) {
                writeByte(LIST_ITEM);
                writeValue(item);
            }
            writeByte(LIST_END);
            return this;
        }

        Builder section(String name, ViciMessage message) {
            checkName(name);
            Objects.requireNonNull(message, "message");
            writeByte(SECTION_START);
            writeName(name);
            write(message.wire, message.first, message.end - message.first);
            writeByte(SECTION_END);
            return this;
        }

        Builder entry(Entry e) {
            Objects.requireNonNull(e, "entry");
            if (e instanceof KeyValue kv) {
                return add(kv.name(), kv.value());
            } else if (e instanceof ListValue l) {
                return list(l.name(), l.items());
            }
            Section s = (Section) e;
            return section(s.name(), s.message());
        }

        ViciMessage build() {
            return size == 0 ? EMPTY : new ViciMessageReader(Integer.MAX_VALUE).read(Arrays.copyOf(buf, size));
        }

        private void writeName(String name) {
            byte[] b = utf8(name);
            writeByte(b.length);
            write(b, 0, b.length);
        }

        private void writeValue(String value) {
            byte[] b = utf8(value);
            writeByte(b.length >>> 8);
            writeByte(b.length);
            write(b, 0, b.length);
        }

        private void writeByte(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        private void write(byte[] b, int from, int n) {
            ensure(n);
            System.arraycopy(b, from, buf, size, n);
            size += n;
        }

        private void ensure(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }
    }
}
