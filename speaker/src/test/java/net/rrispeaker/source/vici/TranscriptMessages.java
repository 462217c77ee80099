package net.rrispeaker.source.vici;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only reader for the text form of the captured VICI transcripts (src/test/resources/vici): {@code EVENT <name> <label>} lines, then
 * the message indented ({@code key = value}, {@code key = [a, b]}, {@code name {}, {@code }}).
 */
final class TranscriptMessages {
    record Event(String name, String label, ViciMessage message) {
    }

    private TranscriptMessages() {
    }

    /** The events of a resource file under {@code /vici/}, by label. */
    static Map<String, Event> load(String resource) {
        try (InputStream in = TranscriptMessages.class.getResourceAsStream("/vici/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource /vici/" + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Event> parse(String text) {
        Map<String, Event> out = new LinkedHashMap<>();
        String name = null;
        String label = null;
        List<String> body = new ArrayList<>();
        for (String line : (text + "\nEVENT end end").split("\n")) {
            if (line.startsWith("EVENT ")) {
                if (name != null) {
                    out.put(label, new Event(name, label, message(body)));
                }
                String[] parts = line.trim().split("\\s+");
                name = parts[1];
                label = parts.length > 2 ? parts[2] : parts[1];
                body = new ArrayList<>();
            } else if (line.startsWith("  ")) {
                body.add(line.trim());
            }
        }
        return out;
    }

    static ViciMessage message(List<String> lines) {
        Deque<ViciMessage.Builder> stack = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        stack.push(ViciMessage.builder());
        for (String line : lines) {
            if (line.equals("}")) {
                ViciMessage done = stack.pop().build();
                stack.peek().section(names.pop(), done);
            } else if (line.endsWith(" {")) {
                names.push(line.substring(0, line.length() - 2));
                stack.push(ViciMessage.builder());
            } else {
                int eq = line.indexOf(" = ");
                String key = line.substring(0, eq);
                String value = line.substring(eq + 3);
                if (value.startsWith("[") && value.endsWith("]")) {
                    String inner = value.substring(1, value.length() - 1);
                    stack.peek().list(key, inner.isEmpty() ? List.of() : Arrays.asList(inner.split(", ")));
                } else {
                    stack.peek().add(key, value);
                }
            }
        }
        if (stack.size() != 1) {
            throw new IllegalArgumentException("unbalanced braces in test message");
        }
        return stack.pop().build();
    }
}
