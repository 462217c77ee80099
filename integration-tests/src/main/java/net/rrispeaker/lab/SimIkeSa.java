package net.rrispeaker.lab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An IKE_SA of the VICI simulator with its CHILD_SAs: the values charon 5.9.8 reports in the IKE
 * block of {@code list-sa} and of every SA event (layout in {@link CharonMessages}). The algorithm
 * keys are fixed to what the lab's real charon negotiated (AES_CBC-128, HMAC_SHA2_256_128,
 * PRF_HMAC_SHA2_256, CURVE_25519; NAT-T). {@link #raw} works as in {@link SimChildSa}: any key's
 * wire value replaced, left out ({@code null}) or added, for malformed records.
 *
 * @param name         the IKE config (connection) name: the section name of the IKE block
 * @param initiatorSpi 16 hex digits, or null for a value derived from the unique id
 * @param responderSpi 16 hex digits, or null for a value derived from the unique id
 * @param established  seconds since establishment; with {@code rekeyTime} only written in state ESTABLISHED
 */
public record SimIkeSa(String name, long uniqueId, String state, String localHost, int localPort, String localId,
                       String remoteHost, int remotePort, String remoteId, boolean initiator, String initiatorSpi,
                       String responderSpi, long established, long rekeyTime, List<SimChildSa> children,
                       Map<String, String> raw) {
    /** The hub's outer address in the transcripts (TEST-NET-1). */
    public static final String HUB_HOST = "192.0.2.1";
    public static final String HUB_ID = "hub.rri.test";

    public SimIkeSa {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(remoteHost, "remoteHost");
        children = List.copyOf(children);
        raw = raw == null || raw.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(raw));
    }

    /**
     * An ESTABLISHED IKE_SA of connection {@code name} from peer {@code remoteHost} (also its
     * identity), NAT-T ports 4500, responder (the hub), established just now, rekey in 13679 s.
     */
    public static SimIkeSa of(String name, long uniqueId, String remoteHost, SimChildSa... children) {
        return new SimIkeSa(name, uniqueId, "ESTABLISHED", HUB_HOST, 4500, HUB_ID, remoteHost, 4500, remoteHost, false,
                null, null, 0, 13679, List.of(children), null);
    }

    /** The same IKE_SA under a new unique id (new SPIs), as after an IKE rekey. */
    public SimIkeSa withUniqueId(long id) {
        return new SimIkeSa(name, id, state, localHost, localPort, localId, remoteHost, remotePort, remoteId, initiator,
                null, null, established, rekeyTime, children, raw);
    }

    public SimIkeSa withState(String s) {
        return new SimIkeSa(name, uniqueId, s, localHost, localPort, localId, remoteHost, remotePort, remoteId, initiator,
                initiatorSpi, responderSpi, established, rekeyTime, children, raw);
    }

    public SimIkeSa withLocal(String host, int port, String id) {
        return new SimIkeSa(name, uniqueId, state, host, port, id, remoteHost, remotePort, remoteId, initiator,
                initiatorSpi, responderSpi, established, rekeyTime, children, raw);
    }

    public SimIkeSa withRemote(String host, int port, String id) {
        return new SimIkeSa(name, uniqueId, state, localHost, localPort, localId, host, port, id, initiator,
                initiatorSpi, responderSpi, established, rekeyTime, children, raw);
    }

    public SimIkeSa withInitiator(boolean yes) {
        return new SimIkeSa(name, uniqueId, state, localHost, localPort, localId, remoteHost, remotePort, remoteId, yes,
                initiatorSpi, responderSpi, established, rekeyTime, children, raw);
    }

    public SimIkeSa withSpis(String initiatorSpi, String responderSpi) {
        return new SimIkeSa(name, uniqueId, state, localHost, localPort, localId, remoteHost, remotePort, remoteId, initiator,
                initiatorSpi, responderSpi, established, rekeyTime, children, raw);
    }

    /** {@code established} and {@code rekey-time} in seconds. */
    public SimIkeSa withTimes(long established, long rekeyTime) {
        return new SimIkeSa(name, uniqueId, state, localHost, localPort, localId, remoteHost, remotePort, remoteId, initiator,
                initiatorSpi, responderSpi, established, rekeyTime, children, raw);
    }

    public SimIkeSa withChildren(List<SimChildSa> list) {
        return new SimIkeSa(name, uniqueId, state, localHost, localPort, localId, remoteHost, remotePort, remoteId, initiator,
                initiatorSpi, responderSpi, established, rekeyTime, list, raw);
    }

    /** This IKE_SA with {@code key} written as {@code value} on the wire ({@code null}: key left out). */
    public SimIkeSa withRaw(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(raw);
        m.put(key, value);
        return new SimIkeSa(name, uniqueId, state, localHost, localPort, localId, remoteHost, remotePort, remoteId, initiator,
                initiatorSpi, responderSpi, established, rekeyTime, children, m);
    }

    /** The CHILD_SA with that unique id, or null. */
    public SimChildSa child(long childUniqueId) {
        for (SimChildSa c : children) {
            if (c.uniqueId() == childUniqueId) {
                return c;
            }
        }
        return null;
    }

    /** With {@code child} added, or replacing the CHILD_SA of the same unique id. */
    public SimIkeSa withChild(SimChildSa child) {
        List<SimChildSa> list = new ArrayList<>(children.size() + 1);
        boolean replaced = false;
        for (SimChildSa c : children) {
            if (c.uniqueId() == child.uniqueId()) {
                list.add(child);
                replaced = true;
            } else {
                list.add(c);
            }
        }
        if (!replaced) {
            list.add(child);
        }
        return withChildren(list);
    }

    /** Without the CHILD_SA of that unique id. */
    public SimIkeSa withoutChild(long childUniqueId) {
        List<SimChildSa> list = new ArrayList<>(children);
        list.removeIf(c -> c.uniqueId() == childUniqueId);
        return withChildren(list);
    }

    String initiatorSpiOrDerived() {
        return initiatorSpi != null ? initiatorSpi : CharonMessages.spi16(uniqueId * 2 + 1);
    }

    String responderSpiOrDerived() {
        return responderSpi != null ? responderSpi : CharonMessages.spi16(uniqueId * 2 + 2);
    }
}
