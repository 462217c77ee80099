package net.rrispeaker.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The indented text form of VICI messages used by the recorded transcripts: {@code key = value},
 * {@code key = [a, b]} for a list, {@code name {} and {@code }} for a section; a transcript file
 * holds {@code EVENT <name> <label>} headers, each followed by its message indented by two spaces,
 * and {@code #} comment lines. Lets a test replay a recorded event byte for byte, or write a
 * hand-made (for example hostile) event as readable text.
 */
public final class ViciText {
    /** One event of a transcript: its VICI event name, its label in the file, the message as text. */
    public record Event(String name, String label, String text) {
        /** The message encoded by {@link ViciWriter}. */
        public byte[] body() {
            return encode(text);
        }
    }

    private ViciText() {
    }

    /** Encodes a message written in the text form (indentation is ignored, braces must balance). */
    public static byte[] encode(String text) {
        ViciWriter w = new ViciWriter();
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.equals("}")) {
                if (w.depth() == 0) {
                    throw new IllegalArgumentException("vici text line " + lineNo + ": '}' with no open section");
                }
                w.end();
            } else if (line.endsWith(" {")) {
                w.section(line.substring(0, line.length() - 2));
            } else {
                int eq = line.indexOf(" = ");
                if (eq <= 0) {
                    throw new IllegalArgumentException("vici text line " + lineNo + ": '" + line
                            + "' (expected: 'key = value', 'key = [a, b]', 'name {' or '}')");
                }
                String key = line.substring(0, eq);
                String value = line.substring(eq + 3);
                if (value.startsWith("[") && value.endsWith("]")) {
                    String inner = value.substring(1, value.length() - 1);
                    w.list(key, inner.isEmpty() ? List.of() : Arrays.asList(inner.split(", ")));
                } else {
                    w.kv(key, value);
                }
            }
        }
        if (w.depth() != 0) {
            throw new IllegalArgumentException("vici text: " + w.depth() + " section(s) not closed");
        }
        return w.toBytes();
    }

    /** The events of a transcript file, in file order. */
    public static List<Event> events(String transcript) {
        List<Event> out = new ArrayList<>();
        String name = null;
        String label = null;
        StringBuilder body = new StringBuilder();
        for (String line : transcript.split("\n")) {
            if (line.startsWith("EVENT ")) {
                if (name != null) {
                    out.add(new Event(name, label, body.toString()));
                }
                String[] parts = line.strip().split("\\s+");
                name = parts[1];
                label = parts.length > 2 ? parts[2] : parts[1];
                body = new StringBuilder();
            } else if (name != null && line.startsWith("  ")) {
                body.append(line.substring(2)).append('\n');
            }
        }
        if (name != null) {
            out.add(new Event(name, label, body.toString()));
        }
        return out;
    }
}
