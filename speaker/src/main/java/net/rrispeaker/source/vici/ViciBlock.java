package net.rrispeaker.source.vici;

import java.net.InetAddress;
import java.util.List;
import java.util.regex.Pattern;
import net.rrispeaker.model.Addresses;

/**
 * A section of an event together with where it sits ({@code child-updown spokes/child-sas/x}),
 * so that every conversion error names the event and the path. Typed getters throw
 * {@link ViciEventException} with "key: actual (expected: ...)".
 */
record ViciBlock(String where, String name, ViciMessage message) {
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,20}");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,16}");

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
        return new ViciBlock(where + "/" + LogText.safe(name), name, m);
    }

    List<ViciBlock> sections() {
        return message.sections().stream()
                .map(s -> new ViciBlock(where + "/" + LogText.safe(s.name()), s.name(), s.message())).toList();
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

    /** An unsigned decimal of ASCII digits only (no sign: the JDK's parser would also take {@code +7} and non-Latin digits). */
    long number(String key) {
        String v = text(key);
        if (!DECIMAL.matcher(v).matches()) {
            throw bad(key, v, "a decimal number");
        }
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
        if (!HEX.matcher(v).matches()) {
            throw bad(key, v, "hex digits");
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

    /**
     * Strict address text only (see {@link Addresses#parseStrict}); an IPv4 address written as
     * IPv6 ({@code ::ffff:192.0.2.1}, {@code ::192.0.2.1}, also {@code ::} and {@code ::1}) is
     * refused too: charon reports IPv4 peers as IPv4, and such a next hop would be misfiled.
     */
    private InetAddress parseAddress(String key, String v) {
        byte[] b = Addresses.strictBytes(v);
        if (b == null) {
            throw bad(key, v, "an IP address");
        }
        InetAddress a = Addresses.fromBytes(b);
        if (Addresses.isIpv4Mapped(a) || Addresses.isIpv4Compatible(a)) {
            throw bad(key, v, "an IP address, not an IPv4-mapped or IPv4-compatible IPv6 one");
        }
        return a;
    }

    private ViciEventException bad(String key, String value, String expected) {
        return new ViciEventException(ViciEventException.BAD_VALUE,
                where + ": " + key + ": '" + LogText.safe(value) + "' (expected: " + expected + ")");
    }
}
