package net.rrispeaker.lab;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A CHILD_SA of the VICI simulator, with the values charon 5.9.8 reports for it (the CHILD block of
 * {@code list-sa}, {@code child-updown}, {@code child-rekey}; layout in {@link CharonMessages}).
 * Traffic selectors are plain strings, written to the wire as given, so a test can send anything
 * charon could print ({@code 10.1.0.0/16}, {@code a..b} ranges, {@code [tcp/443]} suffixes,
 * {@code dynamic}) and anything it never would.
 *
 * <p>{@link #raw} replaces the value of a key on the wire with any text ({@code null}: leave the
 * key out; a key the block does not have is appended): a record with intact framing but malformed
 * content, such as a non-numeric {@code uniqueid}.
 *
 * @param spiIn  8 hex digits, or null for a value derived from the unique id
 * @param spiOut 8 hex digits, or null for a value derived from the unique id
 * @param ifId   XFRM interface id for {@code if-id-in}/{@code if-id-out}; 0 leaves both out, as charon does
 */
public record SimChildSa(String name, long uniqueId, long reqId, String state, List<String> localTs, List<String> remoteTs,
                         String spiIn, String spiOut, long rekeyTime, long lifeTime, long installTime, long ifId,
                         Map<String, String> raw) {

    public SimChildSa {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        localTs = List.copyOf(localTs);
        remoteTs = List.copyOf(remoteTs);
        raw = raw == null || raw.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(raw));
    }

    /**
     * An INSTALLED CHILD_SA whose reqid is its unique id, with the transcript's lifetimes
     * (rekey in 3320 s, life 3960 s, installed just now).
     */
    public static SimChildSa of(String name, long uniqueId, List<String> localTs, List<String> remoteTs) {
        return new SimChildSa(name, uniqueId, uniqueId, "INSTALLED", localTs, remoteTs, null, null, 3320, 3960, 0, 0, null);
    }

    public SimChildSa withUniqueId(long id) {
        return new SimChildSa(name, id, reqId, state, localTs, remoteTs, null, null, rekeyTime, lifeTime, installTime, ifId, raw);
    }

    public SimChildSa withReqId(long id) {
        return new SimChildSa(name, uniqueId, id, state, localTs, remoteTs, spiIn, spiOut, rekeyTime, lifeTime, installTime, ifId, raw);
    }

    public SimChildSa withState(String s) {
        return new SimChildSa(name, uniqueId, reqId, s, localTs, remoteTs, spiIn, spiOut, rekeyTime, lifeTime, installTime, ifId, raw);
    }

    public SimChildSa withSelectors(List<String> local, List<String> remote) {
        return new SimChildSa(name, uniqueId, reqId, state, local, remote, spiIn, spiOut, rekeyTime, lifeTime, installTime, ifId, raw);
    }

    public SimChildSa withSpis(String in, String out) {
        return new SimChildSa(name, uniqueId, reqId, state, localTs, remoteTs, in, out, rekeyTime, lifeTime, installTime, ifId, raw);
    }

    /** {@code rekey-time}, {@code life-time}, {@code install-time} in seconds. */
    public SimChildSa withTimes(long rekey, long life, long install) {
        return new SimChildSa(name, uniqueId, reqId, state, localTs, remoteTs, spiIn, spiOut, rekey, life, install, ifId, raw);
    }

    public SimChildSa withIfId(long id) {
        return new SimChildSa(name, uniqueId, reqId, state, localTs, remoteTs, spiIn, spiOut, rekeyTime, lifeTime, installTime, id, raw);
    }

    /** This SA with {@code key} written as {@code value} on the wire ({@code null}: key left out). */
    public SimChildSa withRaw(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(raw);
        m.put(key, value);
        return new SimChildSa(name, uniqueId, reqId, state, localTs, remoteTs, spiIn, spiOut, rekeyTime, lifeTime, installTime, ifId, m);
    }

    /** The section name charon gives this CHILD_SA in {@code list-sa} and {@code child-updown}: {@code <name>-<uniqueid>}. */
    public String sectionName() {
        String id = raw.containsKey("uniqueid") && raw.get("uniqueid") != null ? raw.get("uniqueid") : Long.toString(uniqueId);
        return name + "-" + id;
    }

    String spiInOrDerived() {
        return spiIn != null ? spiIn : CharonMessages.spi8(uniqueId * 2 + 1);
    }

    String spiOutOrDerived() {
        return spiOut != null ? spiOut : CharonMessages.spi8(uniqueId * 2 + 2);
    }
}
