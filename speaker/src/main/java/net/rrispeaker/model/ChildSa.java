package net.rrispeaker.model;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * An installed CHILD_SA as an event source reports it: the IKE connection it belongs to, its
 * negotiated traffic selectors and the remote peer's outer address.
 *
 * <p>{@link #id()} identifies this SA instance; it changes on every rekey (strongSwan gives the new
 * CHILD_SA a new unique id), so a rekey is "new id appears, old id goes" and route ownership stays
 * continuous when the source reports the rekey as one {@link SaEvent.ChildRekeyed}.
 *
 * @param connection  the IKE connection (config) name, e.g. {@code spokes}; what a crypto map's
 *                    {@code match ipsec-connection} is matched against
 * @param ikeId       the IKE_SA unique id
 * @param child       the CHILD config name
 * @param childId     the CHILD_SA unique id
 * @param reqid       the reqid (kept across rekeys)
 * @param localHost   our outer address
 * @param remoteHost  the peer's outer address (post-NAT), the RRI next hop
 * @param remoteId    the peer's IKE identity, for display
 * @param localTs     negotiated local traffic selectors (prefixes only; see {@link #unroutableTs()})
 * @param remoteTs    negotiated remote traffic selectors: the remote proxies
 * @param ifId        XFRM interface id for route-based tunnels ({@code if-id-out}), 0 if none
 * @param unroutableTs remote selectors that are well-formed but name no network ({@code dynamic});
 *                    kept for diagnostics, never routed. Malformed or refused selectors never get
 *                    here: the source refuses them (see docs/security.md).
 * @param source      the event source that reported it: {@link #VICI} for strongSwan's VICI socket,
 *                    else the name of a publisher on the control API. SAs are namespaced by source:
 *                    two sources may use the same connection name and ids without meeting, and
 *                    one source's snapshot replaces only its own SAs.
 *
 * <p>Invariants (an {@link IllegalArgumentException} otherwise): connection and child names are
 * not empty; no selector list holds an IPv4 network written as IPv6 ({@link Prefix#embedsIpv4()});
 * the diagnostic texts are printable, without control characters.
 */
public record ChildSa(String connection, long ikeId, String child, long childId, long reqid,
                      InetAddress localHost, InetAddress remoteHost, String remoteId,
                      List<Prefix> localTs, List<Prefix> remoteTs, long ifId, List<String> unroutableTs,
                      String source) {

    /** The source name of strongSwan's VICI socket, the speaker's built-in event source. */
    public static final String VICI = "vici";

    /** An SA the VICI source reported. */
    public ChildSa(String connection, long ikeId, String child, long childId, long reqid,
                   InetAddress localHost, InetAddress remoteHost, String remoteId,
                   List<Prefix> localTs, List<Prefix> remoteTs, long ifId, List<String> unroutableTs) {
        this(connection, ikeId, child, childId, reqid, localHost, remoteHost, remoteId, localTs, remoteTs, ifId,
                unroutableTs, VICI);
    }

    public ChildSa {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(child, "child");
        Objects.requireNonNull(remoteHost, "remoteHost");
        if (connection.isEmpty() || child.isEmpty()) {
            throw new IllegalArgumentException("CHILD_SA '" + connection + "/" + child + "': empty connection or child name");
        }
        remoteId = remoteId == null ? "" : remoteId;
        localTs = selectors("localTs", localTs);
        remoteTs = selectors("remoteTs", remoteTs);
        unroutableTs = unroutableTs == null ? List.of() : List.copyOf(unroutableTs);
        for (String t : unroutableTs) {
            if (t.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("unroutableTs: control character in a selector text");
            }
        }
    }

    private static List<Prefix> selectors(String what, List<Prefix> prefixes) {
        List<Prefix> out = List.copyOf(prefixes);
        for (Prefix p : out) {
            if (p.embedsIpv4()) {
                throw new IllegalArgumentException(what + ": " + p + " is an IPv4 network written as IPv6 (refused)");
            }
        }
        return out;
    }

    /** Identity of this SA instance, unique across sources. */
    public Id id() {
        return new Id(source, connection, childId);
    }

    /** The same SA as reported by {@code other} source (nothing else changes). */
    public ChildSa fromSource(String other) {
        return new ChildSa(connection, ikeId, child, childId, reqid, localHost, remoteHost, remoteId, localTs, remoteTs,
                ifId, unroutableTs, other);
    }

    /** Identity of a CHILD_SA instance: source, connection name and CHILD_SA unique id. */
    public record Id(String source, String connection, long childId) {
        /** The id of an SA of the VICI source. */
        public Id(String connection, long childId) {
            this(VICI, connection, childId);
        }

        /** {@code connection/childId} for VICI (as before sources were named), {@code source:connection/childId} else. */
        @Override
        public String toString() {
            return (VICI.equals(source) ? "" : source + ":") + connection + "/" + childId;
        }
    }
}
