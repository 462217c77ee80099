package net.rrispeaker.source.vici;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable VICI message: an ordered tree of key/values, lists of values and named sections,
 * kept in wire order. Every value is text (the daemon encodes numbers in decimal, booleans as
 * {@code yes}/{@code no}). Lookups return the first entry of that name: the protocol says names
 * are unique within a section, and a daemon that repeats one is tolerated rather than disconnected.
 */
final class ViciMessage {
    /** Longest element or packet name the wire can carry (1-byte length). */
    static final int MAX_NAME = 255;
    /** Longest value the wire can carry (2-byte length). */
    static final int MAX_VALUE = 65535;

    static final ViciMessage EMPTY = new ViciMessage(List.of());

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

    private final List<Entry> entries;

    private ViciMessage(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static Builder builder() {
        return new Builder();
    }

    List<Entry> entries() {
        return entries;
    }

    boolean isEmpty() {
        return entries.isEmpty();
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
        return m.entry(path[path.length - 1]) instanceof KeyValue kv ? kv.value() : null;
    }

    /** The section at a path of section names; null when missing. */
    ViciMessage section(String... path) {
        ViciMessage m = this;
        for (String name : path) {
            if (!(m.entry(name) instanceof Section s)) {
                return null;
            }
            m = s.message();
        }
        return m;
    }

    /** The list of that name in this section; null when missing. */
    List<String> list(String name) {
        return entry(name) instanceof ListValue l ? l.items() : null;
    }

    /** The direct subsections, in wire order. */
    List<Section> sections() {
        List<Section> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e instanceof Section s) {
                out.add(s);
            }
        }
        return out;
    }

    private Entry entry(String name) {
        for (Entry e : entries) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ViciMessage m && m.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    /** Indented text in the layout of the test transcripts ({@code key = value}, {@code name { }}). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        append(sb, "");
        return sb.toString();
    }

    private void append(StringBuilder sb, String indent) {
        for (Entry e : entries) {
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
        int len = Objects.requireNonNull(name, "name").getBytes(StandardCharsets.UTF_8).length;
        if (len > MAX_NAME) {
            throw ViciCodecException.of("name length", len, "<= " + MAX_NAME);
        }
    }

    static void checkValue(String value) {
        int len = Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8).length;
        if (len > MAX_VALUE) {
            throw ViciCodecException.of("value length", len, "<= " + MAX_VALUE);
        }
    }

    /** Collects entries in order. */
    static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        Builder add(String key, String value) {
            entries.add(new KeyValue(key, value));
            return this;
        }

        Builder list(String name, List<String> items) {
            entries.add(new ListValue(name, items));
            return this;
        }

        Builder section(String name, ViciMessage message) {
            entries.add(new Section(name, message));
            return this;
        }

        Builder entry(Entry e) {
            entries.add(Objects.requireNonNull(e, "entry"));
            return this;
        }

        ViciMessage build() {
            return entries.isEmpty() ? EMPTY : new ViciMessage(entries);
        }
    }
}
