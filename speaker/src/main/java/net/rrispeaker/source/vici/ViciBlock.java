package net.rrispeaker.source.vici;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.rrispeaker.model.Addresses;

/**
 * Reads one section of an event (the event's root, an IKE section, a CHILD section) for the
 * conversion. {@link #read} makes one pass over the section and notes where the first element of
 * each {@link Key} is; the typed getters then convert just that value, from its bytes: a number
 * without a string, an address straight into its bytes. Errors name the event and where in it
 * ({@code child-updown/spokes/child-sas/lan-5: reqid: missing (expected: a value)}) and throw
 * {@link ViciEventException}; their text is built only when they happen.
 *
 * <p>Reusable: {@link #read} points it at the next section (a {@code list-sa} record reads every
 * CHILD section with the same block). Not thread-safe.
 */
final class ViciBlock {
    /** The keys the conversion reads: the handful, of the many charon sends, that an SA event needs. */
    enum Key {
        UP("up"),
        NAME("name"),
        UNIQUEID("uniqueid"),
        REQID("reqid"),
        STATE("state"),
        IF_ID_OUT("if-id-out"),
        LOCAL_TS("local-ts"),
        REMOTE_TS("remote-ts"),
        LOCAL_HOST("local-host"),
        REMOTE_HOST("remote-host"),
        REMOTE_ID("remote-id"),
        CHILD_SAS("child-sas"),
        OLD("old"),
        NEW("new");

        private static final Key[] ALL = values();
        /** The keys of each name length: a name is compared with at most four keys, usually none. */
        private static final Key[][] BY_LENGTH = new Key[ViciMessage.MAX_NAME + 1][];

        static {
            for (Key k : ALL) {
                Key[] same = BY_LENGTH[k.bytes.length];
                same = same == null ? new Key[1] : Arrays.copyOf(same, same.length + 1);
                same[same.length - 1] = k;
                BY_LENGTH[k.bytes.length] = same;
            }
        }

        final String text;
        private final byte[] bytes;

        Key(String text) {
            this.text = text;
            this.bytes = text.getBytes(StandardCharsets.US_ASCII);
        }

        /** The key named by {@code b[at, at + length)}; null for every other name. */
        static Key of(byte[] b, int at, int length) {
            Key[] candidates = BY_LENGTH[length];
            if (candidates != null) {
                for (Key k : candidates) {
                    if (Arrays.equals(b, at, at + length, k.bytes, 0, length)) {
                        return k;
                    }
                }
            }
            return null;
        }
    }

    private static final RepeatCache<InetAddress> SHARED_ADDRESSES = new RepeatCache<>(64);

    private String event;
    private ViciMessage root;
    /** For each key: the offset of the first element of that name, plus one; 0 when there is none. */
    private final int[] found = new int[Key.ALL.length];
    private byte[] address;   // scratch for parsing an address, made on first use
    private ViciMessage message;

    /** A block not yet pointing at any event: {@link #start} first. */
    ViciBlock() {
        this.event = "";
        this.root = ViciMessage.EMPTY;
        this.message = ViciMessage.EMPTY;
    }

    /** A block for sections of the same event as {@code other}. */
    ViciBlock(ViciBlock other) {
        start(other.event, other.root);
    }

    /** Makes this a block for the sections of the event {@code event} whose message is {@code root}; {@link #read} points it at one. */
    ViciBlock start(String event, ViciMessage root) {
        this.event = event;
        this.root = root;
        this.message = root;
        return this;
    }

    /** Points this block at {@code section} (part of the event's message). */
    ViciBlock read(ViciMessage section) {
        message = section;
        Arrays.fill(found, 0);
        byte[] w = section.wire();
        for (int e = section.first(); e < section.end(); e = section.next(e)) {
            Key k = Key.of(w, section.nameAt(e), section.nameLength(e));
            if (k != null && found[k.ordinal()] == 0) {
                found[k.ordinal()] = e + 1;
            }
        }
        return this;
    }

    ViciMessage message() {
        return message;
    }

    /** Where this section is, for errors: {@code child-updown/spokes/child-sas/lan-5}. */
    String where() {
        return event + message.pathFrom(root);
    }

    /** The section's name (for an IKE section, the connection); the event's name at the root. */
    String name() {
        return message == root ? event : message.name();
    }

    /** The element of the first entry of that name, whatever its kind; -1 if none. */
    int element(Key key) {
        return found[key.ordinal()] - 1;
    }

    /** True if the entry is a key/value whose value is exactly {@code value}. */
    boolean valueIs(Key key, byte[] value) {
        int e = keyValue(key);
        return e >= 0 && message.valueLength(e) == value.length
                && Arrays.equals(message.wire(), message.valueAt(e), message.valueAt(e) + value.length, value, 0, value.length);
    }

    /** True if the value, which must be there, is one of {@code values}. */
    boolean valueIn(Key key, byte[][] values) {
        int e = required(key);
        for (byte[] v : values) {
            if (message.valueLength(e) == v.length
                    && Arrays.equals(message.wire(), message.valueAt(e), message.valueAt(e) + v.length, v, 0, v.length)) {
                return true;
            }
        }
        return false;
    }

    /** The value as text; null if the entry is missing or not a key/value. */
    String optional(Key key) {
        int e = keyValue(key);
        return e < 0 ? null : WireText.text(message.wire(), message.valueAt(e), message.valueLength(e));
    }

    String text(Key key) {
        int e = required(key);
        return WireText.text(message.wire(), message.valueAt(e), message.valueLength(e));
    }

    /** The value as text shared with earlier reads of the same bytes (a CHILD config name). */
    String name(Key key) {
        int e = required(key);
        return WireText.name(message.wire(), message.valueAt(e), message.valueLength(e));
    }

    /** An unsigned decimal of 1 to 20 ASCII digits (no sign: the JDK's parser would also take {@code +7} and non-Latin digits). */
    long number(Key key) {
        int e = required(key);
        byte[] w = message.wire();
        int at = message.valueAt(e);
        int length = message.valueLength(e);
        if (length < 1 || length > 20) {
            throw bad(key, e, "a decimal number");
        }
        long v = 0;
        for (int i = at; i < at + length; i++) {
            int d = w[i] - '0';
            if (d < 0 || d > 9 || Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                throw bad(key, e, "a decimal number");
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                throw bad(key, e, "a decimal number");   // above 2^64 - 1
            }
            v = next;
        }
        return v;
    }

    /** A hex value of 1 to 16 digits such as {@code if-id-out}; 0 when the key is absent (the daemon omits zero). */
    long hexOrZero(Key key) {
        int e = keyValue(key);
        if (e < 0) {
            return 0;
        }
        byte[] w = message.wire();
        int at = message.valueAt(e);
        int length = message.valueLength(e);
        if (length < 1 || length > 16) {
            throw bad(key, e, "hex digits");
        }
        long v = 0;
        for (int i = at; i < at + length; i++) {
            int d = hexDigit(w[i]);
            if (d < 0) {
                throw bad(key, e, "hex digits");
            }
            v = v << 4 | d;
        }
        return v;
    }

    InetAddress address(Key key) {
        return parseAddress(key, required(key));
    }

    InetAddress addressOrNull(Key key) {
        int e = keyValue(key);
        return e < 0 ? null : parseAddress(key, e);
    }

    /** As {@link #addressOrNull}, shared with earlier reads of the same bytes: for our own address, the same in every SA. */
    InetAddress sharedAddressOrNull(Key key) {
        int e = keyValue(key);
        if (e < 0) {
            return null;
        }
        int at = message.valueAt(e);
        int to = at + message.valueLength(e);
        InetAddress a = SHARED_ADDRESSES.get(message.wire(), at, to);
        if (a == null) {
            a = parseAddress(key, e);
            SHARED_ADDRESSES.put(message.wire(), at, to, a);
        }
        return a;
    }

    /** The section of that name; null if the entry is missing or not a section. */
    ViciMessage section(Key key) {
        int e = element(key);
        return e >= 0 && message.type(e) == ViciMessage.SECTION_START ? message.sectionAt(e) : null;
    }

    /** The section of that name, which must be there. */
    ViciMessage child(Key key) {
        ViciMessage m = section(key);
        if (m == null) {
            throw new ViciEventException(ViciEventException.BAD_LAYOUT,
                    where() + ": section '" + key.text + "' missing (expected: a section)");
        }
        return m;
    }

    /** The first direct subsection: the IKE section at the root of an event. */
    ViciMessage onlySection() {
        int s = message.firstSection();
        if (s < 0) {
            throw new ViciEventException(ViciEventException.BAD_LAYOUT, where() + ": no section (expected: one IKE section)");
        }
        return message.sectionAt(s);
    }

    /** The element of a key/value of that name; -1 if missing or of another kind. */
    private int keyValue(Key key) {
        int e = element(key);
        return e >= 0 && message.type(e) == ViciMessage.KEY_VALUE ? e : -1;
    }

    private int required(Key key) {
        int e = keyValue(key);
        if (e < 0) {
            throw new ViciEventException(ViciEventException.MISSING_KEY, where() + ": " + key.text + ": missing (expected: a value)");
        }
        return e;
    }

    /**
     * Strict address text only (see {@link Addresses#parseStrict}); an IPv4 address written as
     * IPv6 ({@code ::ffff:192.0.2.1}, {@code ::192.0.2.1}, also {@code ::} and {@code ::1}) is
     * refused too: charon reports IPv4 peers as IPv4, and such a next hop would be misfiled.
     */
    private InetAddress parseAddress(Key key, int e) {
        if (address == null) {
            address = new byte[16];
        }
        int at = message.valueAt(e);
        int n = Addresses.strictBytes(message.wire(), at, at + message.valueLength(e), address);
        if (n == 0) {
            throw bad(key, e, "an IP address");
        }
        if (n == 16 && embedsIpv4(address)) {
            throw bad(key, e, "an IP address, not an IPv4-mapped or IPv4-compatible IPv6 one");
        }
        return Addresses.fromBytes(Arrays.copyOf(address, n));
    }

    private static int hexDigit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** True for an IPv6 address in {@code ::ffff:0:0/96} or {@code ::/96}. */
    private static boolean embedsIpv4(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] == 0 && a[11] == 0) || (a[10] == (byte) 0xff && a[11] == (byte) 0xff);
    }

    private ViciEventException bad(Key key, int e, String expected) {
        String value = WireText.text(message.wire(), message.valueAt(e), message.valueLength(e));
        return new ViciEventException(ViciEventException.BAD_VALUE,
                where() + ": " + key.text + ": '" + LogText.safe(value) + "' (expected: " + expected + ")");
    }
}
