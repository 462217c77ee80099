package net.rrispeaker.lab;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The messages charon 5.9.8 sends, in its key order, as the simulator writes them. The layouts
 * and key order follow the events recorded from a real charon 5.9.8 (the speaker's VICI test
 * transcripts); {@code ViciServerWireIT} replays those recordings through these methods.
 *
 * <p>IKE block: {@code uniqueid, version, state, local-host, local-port, local-id, remote-host,
 * remote-port, remote-id, [initiator], initiator-spi, responder-spi, nat-remote, nat-any, encr-alg,
 * encr-keysize, integ-alg, prf-alg, dh-group, [established, rekey-time] (state ESTABLISHED only),
 * [tasks-*]}. CHILD block: {@code name, uniqueid, reqid, state, mode}, then for an SA with kernel
 * state (INSTALLED, REKEYING, REKEYED, DELETING, DELETED) {@code protocol, encap, spi-in, spi-out,
 * [if-id-in, if-id-out], encr-alg, encr-keysize, bytes-in, packets-in, bytes-out, packets-out,
 * rekey-time, life-time, install-time}, and always {@code local-ts, remote-ts}.
 *
 * <p>Which task lists an event carries depends on who started the exchange; the recordings give
 * the hub's side ({@link Tasks}). Every method returns a message body for
 * {@link ViciWriter#frame(int, String, byte[])} or writes into a reused {@link ViciWriter}.
 */
public final class CharonMessages {
    private static final Set<String> CHILD_WITH_KERNEL_STATE = Set.of("INSTALLED", "REKEYING", "REKEYED", "DELETING", "DELETED");
    private static final Set<String> IKE_KEYS = Set.of("uniqueid", "version", "state", "local-host", "local-port", "local-id",
            "remote-host", "remote-port", "remote-id", "initiator", "initiator-spi", "responder-spi", "nat-remote", "nat-any",
            "encr-alg", "encr-keysize", "integ-alg", "prf-alg", "dh-group", "established", "rekey-time");
    private static final Set<String> CHILD_KEYS = Set.of("name", "uniqueid", "reqid", "state", "mode", "protocol", "encap",
            "spi-in", "spi-out", "if-id-in", "if-id-out", "encr-alg", "encr-keysize", "bytes-in", "packets-in", "bytes-out",
            "packets-out", "rekey-time", "life-time", "install-time", "local-ts", "remote-ts");

    /** A task list in an IKE block ({@code tasks-queued}, {@code tasks-active} or {@code tasks-passive}). */
    public record Tasks(String key, List<String> names) {
        public static Tasks passive(String... names) {
            return new Tasks("tasks-passive", List.of(names));
        }

        public static Tasks active(String... names) {
            return new Tasks("tasks-active", List.of(names));
        }

        /** No task list (as in {@code list-sa} of an idle IKE_SA). */
        public static Tasks none() {
            return null;
        }
    }

    private CharonMessages() {
    }

    /** {@code version}: daemon, version 5.9.8, and this machine's sysname, release and machine. */
    public static byte[] version() {
        String arch = System.getProperty("os.arch", "x86_64");
        return new ViciWriter().kv("daemon", "charon").kv("version", "5.9.8").kv("sysname", System.getProperty("os.name", "Linux"))
                .kv("release", System.getProperty("os.version", "unknown")).kv("machine", "amd64".equals(arch) ? "x86_64" : arch)
                .toBytes();
    }

    /** One {@code list-sa} event: {@code <ike> { IKE block; child-sas { <child>-<id> { CHILD block } ... } }}. */
    public static byte[] listSa(SimIkeSa ike) {
        ViciWriter w = new ViciWriter();
        listSa(w, ike);
        return w.toBytes();
    }

    /** As {@link #listSa(SimIkeSa)}, into {@code w} (not reset first). */
    public static void listSa(ViciWriter w, SimIkeSa ike) {
        w.section(ike.name());
        ikeBlock(w, ike, null);
        w.section("child-sas");
        for (SimChildSa c : ike.children()) {
            w.section(c.sectionName());
            childBlock(w, c);
            w.end();
        }
        w.end();
        w.end();
    }

    /** {@code ike-updown}: {@code up = yes} only when up, then the IKE block without CHILD_SAs. */
    public static byte[] ikeUpdown(boolean up, SimIkeSa ike, Tasks tasks) {
        ViciWriter w = new ViciWriter();
        if (up) {
            w.kv("up", "yes");
        }
        w.section(ike.name());
        ikeBlock(w, ike, tasks);
        w.end();
        return w.toBytes();
    }

    /** {@code child-updown}: {@code up = yes} only when up; the IKE block with exactly one CHILD_SA. */
    public static byte[] childUpdown(boolean up, SimIkeSa ike, SimChildSa child, Tasks tasks) {
        ViciWriter w = new ViciWriter();
        if (up) {
            w.kv("up", "yes");
        }
        w.section(ike.name());
        ikeBlock(w, ike, tasks);
        w.section("child-sas").section(child.sectionName());
        childBlock(w, child);
        w.end().end().end();
        return w.toBytes();
    }

    /** {@code child-rekey}: the IKE block, then {@code child-sas { <child name> { old {} new {} } }} (plain name, no id). */
    public static byte[] childRekey(SimIkeSa ike, SimChildSa old, SimChildSa replacement, Tasks tasks) {
        ViciWriter w = new ViciWriter();
        w.section(ike.name());
        ikeBlock(w, ike, tasks);
        w.section("child-sas").section(old.name()).section("old");
        childBlock(w, old);
        w.end().section("new");
        childBlock(w, replacement);
        w.end().end().end().end();
        return w.toBytes();
    }

    /** {@code ike-rekey}: {@code <ike> { old { IKE block } new { IKE block } }}. */
    public static byte[] ikeRekey(SimIkeSa old, SimIkeSa replacement, Tasks oldTasks, Tasks newTasks) {
        ViciWriter w = new ViciWriter();
        w.section(old.name()).section("old");
        ikeBlock(w, old, oldTasks);
        w.end().section("new");
        ikeBlock(w, replacement, newTasks);
        w.end().end();
        return w.toBytes();
    }

    /**
     * {@code ike-update}: the new endpoints at the top ({@code local-host, local-port, remote-host,
     * remote-port}), then the IKE block, which still holds the old ones.
     */
    public static byte[] ikeUpdate(SimIkeSa ike, String newLocalHost, int newLocalPort, String newRemoteHost, int newRemotePort,
                                   Tasks tasks) {
        ViciWriter w = new ViciWriter();
        w.kv("local-host", newLocalHost).kv("local-port", newLocalPort).kv("remote-host", newRemoteHost)
                .kv("remote-port", newRemotePort);
        w.section(ike.name());
        ikeBlock(w, ike, tasks);
        w.end();
        return w.toBytes();
    }

    /** The keys of an IKE block (the caller opens and closes its section). */
    public static void ikeBlock(ViciWriter w, SimIkeSa ike, Tasks tasks) {
        Map<String, String> raw = ike.raw();
        put(w, raw, "uniqueid", Long.toString(ike.uniqueId()));
        put(w, raw, "version", "2");
        put(w, raw, "state", ike.state());
        put(w, raw, "local-host", ike.localHost());
        put(w, raw, "local-port", Integer.toString(ike.localPort()));
        put(w, raw, "local-id", ike.localId());
        put(w, raw, "remote-host", ike.remoteHost());
        put(w, raw, "remote-port", Integer.toString(ike.remotePort()));
        put(w, raw, "remote-id", ike.remoteId());
        if (ike.initiator() || raw.containsKey("initiator")) {
            put(w, raw, "initiator", "yes");
        }
        put(w, raw, "initiator-spi", ike.initiatorSpiOrDerived());
        put(w, raw, "responder-spi", ike.responderSpiOrDerived());
        put(w, raw, "nat-remote", "yes");
        put(w, raw, "nat-any", "yes");
        put(w, raw, "encr-alg", "AES_CBC");
        put(w, raw, "encr-keysize", "128");
        put(w, raw, "integ-alg", "HMAC_SHA2_256_128");
        put(w, raw, "prf-alg", "PRF_HMAC_SHA2_256");
        put(w, raw, "dh-group", "CURVE_25519");
        if ("ESTABLISHED".equals(ike.state())) {
            put(w, raw, "established", Long.toString(ike.established()));
            put(w, raw, "rekey-time", Long.toString(ike.rekeyTime()));
        }
        if (tasks != null) {
            w.list(tasks.key(), tasks.names());
        }
        extras(w, raw, IKE_KEYS);
    }

    /** The keys of a CHILD block (the caller opens and closes its section). */
    public static void childBlock(ViciWriter w, SimChildSa c) {
        Map<String, String> raw = c.raw();
        put(w, raw, "name", c.name());
        put(w, raw, "uniqueid", Long.toString(c.uniqueId()));
        put(w, raw, "reqid", Long.toString(c.reqId()));
        put(w, raw, "state", c.state());
        put(w, raw, "mode", "TUNNEL");
        if (CHILD_WITH_KERNEL_STATE.contains(c.state())) {
            put(w, raw, "protocol", "ESP");
            put(w, raw, "encap", "yes");
            put(w, raw, "spi-in", c.spiInOrDerived());
            put(w, raw, "spi-out", c.spiOutOrDerived());
            if (c.ifId() != 0) {
                put(w, raw, "if-id-in", hex8(c.ifId()));
                put(w, raw, "if-id-out", hex8(c.ifId()));
            }
            put(w, raw, "encr-alg", "AES_GCM_16");
            put(w, raw, "encr-keysize", "128");
            put(w, raw, "bytes-in", "0");
            put(w, raw, "packets-in", "0");
            put(w, raw, "bytes-out", "0");
            put(w, raw, "packets-out", "0");
            put(w, raw, "rekey-time", Long.toString(c.rekeyTime()));
            put(w, raw, "life-time", Long.toString(c.lifeTime()));
            put(w, raw, "install-time", Long.toString(c.installTime()));
        }
        putList(w, raw, "local-ts", c.localTs());
        putList(w, raw, "remote-ts", c.remoteTs());
        extras(w, raw, CHILD_KEYS);
    }

    private static void put(ViciWriter w, Map<String, String> raw, String key, String value) {
        if (!raw.isEmpty() && raw.containsKey(key)) {
            String v = raw.get(key);
            if (v != null) {
                w.kv(key, v);
            }
            return;
        }
        w.kv(key, value);
    }

    /** A list, unless {@code raw} replaces it (then a plain key/value: the wrong kind of element) or drops it. */
    private static void putList(ViciWriter w, Map<String, String> raw, String key, List<String> items) {
        if (!raw.isEmpty() && raw.containsKey(key)) {
            String v = raw.get(key);
            if (v != null) {
                w.kv(key, v);
            }
            return;
        }
        w.list(key, items);
    }

    private static void extras(ViciWriter w, Map<String, String> raw, Set<String> known) {
        if (raw.isEmpty()) {
            return;
        }
        for (Map.Entry<String, String> e : raw.entrySet()) {
            if (!known.contains(e.getKey()) && e.getValue() != null) {
                w.kv(e.getKey(), e.getValue());
            }
        }
    }

    /** 8 lowercase hex digits, as charon writes interface ids and marks. */
    static String hex8(long v) {
        return pad(Long.toHexString(v & 0xffffffffL), 8);
    }

    /** A CHILD_SA SPI derived from {@code seed}: 8 lowercase hex digits. */
    static String spi8(long seed) {
        return hex8(mix(seed));
    }

    /** An IKE SPI derived from {@code seed}: 16 lowercase hex digits. */
    static String spi16(long seed) {
        return pad(Long.toHexString(mix(seed)), 16);
    }

    private static String pad(String hex, int digits) {
        return hex.length() >= digits ? hex : "0".repeat(digits - hex.length()) + hex;
    }

    /** A fixed bijective scramble, so derived SPIs look random but are reproducible. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
