package net.rrispeaker.source.vici;

import java.net.InetAddress;
import java.util.List;
import net.rrispeaker.model.Addresses;

/**
 * A section of an event together with where it sits ({@code child-updown spokes/child-sas/x}),
 * so that every conversion error names the event and the path. Typed getters throw
 * {@link ViciEventException} with "key: actual (expected: ...)".
 */
record ViciBlock(String where, String name, ViciMessage message) {

    /** The root of an event: {@code where} and {@code name} are the event name. */
    ViciBlock(String event, ViciMessage message) {
        this(event, event, message);
    }

    ViciBlock child(String name) {
        ViciMessage m = message.section(name);
        if (m == null) {
            throw new ViciEventException(ViciEventException.BAD_LAYOUT,
                    where + ": section '" + name + "' missing (expected: a section)");
        }
        return new ViciBlock(where + "/" + name, name, m);
    }

    List<ViciBlock> sections() {
        return message.sections().stream().map(s -> new ViciBlock(where + "/" + s.name(), s.name(), s.message())).toList();
    }

    /** The single subsection; the IKE section at the root of an event. */
    ViciBlock onlySection() {
        List<ViciBlock> s = sections();
        if (s.isEmpty()) {
            throw new ViciEventException(ViciEventException.BAD_LAYOUT, where + ": no section (expected: one IKE section)");
        }
        return s.get(0);
    }

    String optional(String key) {
        return message.get(key);
    }

    String text(String key) {
        String v = message.get(key);
        if (v == null) {
            throw new ViciEventException(ViciEventException.MISSING_KEY, where + ": " + key + ": missing (expected: a value)");
        }
        return v;
    }

    long number(String key) {
        String v = text(key);
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, "a decimal number");
        }
    }

    /** A hex value such as {@code if-id-out}; 0 when the key is absent (the daemon omits zero). */
    long hexOrZero(String key) {
        String v = message.get(key);
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(v, 16);
        } catch (NumberFormatException e) {
            throw bad(key, v, "hex digits");
        }
    }

    InetAddress address(String key) {
        return parseAddress(key, text(key));
    }

    InetAddress addressOrNull(String key) {
        String v = message.get(key);
        return v == null ? null : parseAddress(key, v);
    }

    List<String> listOrEmpty(String key) {
        List<String> l = message.list(key);
        return l == null ? List.of() : l;
    }

    private InetAddress parseAddress(String key, String v) {
        try {
            return Addresses.parse(v);
        } catch (IllegalArgumentException e) {
            throw bad(key, v, "an IP address");
        }
    }

    private ViciEventException bad(String key, String value, String expected) {
        return new ViciEventException(ViciEventException.BAD_VALUE,
                where + ": " + key + ": '" + value + "' (expected: " + expected + ")");
    }
}
