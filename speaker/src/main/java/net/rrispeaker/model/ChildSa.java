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
 * <p>Components:<br>
 * {@code connection}: the IKE connection (config) name, e.g. {@code spokes}; what a crypto map's
 *                    {@code match ipsec-connection} is matched against
 * {@code ikeId}: the IKE_SA unique id
 * {@code child}: the CHILD config name
 * {@code childId}: the CHILD_SA unique id
 * {@code reqid}: the reqid (kept across rekeys)
 * {@code localHost}: our outer address
 * {@code remoteHost}: the peer's outer address (post-NAT), the RRI next hop
 * {@code remoteId}: the peer's IKE identity, for display
 * {@code localTs}: negotiated local traffic selectors (prefixes only; see {@link #unroutableTs()})
 * {@code remoteTs}: negotiated remote traffic selectors: the remote proxies
 * {@code ifId}: XFRM interface id for route-based tunnels ({@code if-id-out}), 0 if none
 * {@code unroutableTs}: remote selectors that are well-formed but name no network ({@code dynamic});
 *                    kept for diagnostics, never routed. Malformed or refused selectors never get
 *                    here: the source refuses them (see docs/security.md).
 * {@code source}: the event source that reported it: {@link #VICI} for strongSwan's VICI socket,
 *                    else the name of a publisher on the control API. SAs are namespaced by source:
 *                    two sources may use the same connection name and ids without meeting, and
 *                    one source's snapshot replaces only its own SAs.
 *
 * <p>Invariants (an {@link IllegalArgumentException} otherwise): connection and child names are
 * not empty; no selector list holds an IPv4 network written as IPv6 ({@link Prefix#embedsIpv4()});
 * the diagnostic texts are printable, without control characters.
 */
public final class ChildSa {
    private final String connection;
    private final long ikeId;
    private final String child;
    private final long childId;
    private final long reqid;
    private final InetAddress localHost;
    private final InetAddress remoteHost;
    private final String remoteId;
    private final List<Prefix> localTs;
    private final List<Prefix> remoteTs;
    private final long ifId;
    private final List<String> unroutableTs;
    private final String source;
    /**
     * Built once: the SA table, the guard and the route table all key by it, and a concentrator
     * holds 100,000 SAs (this is a class rather than a record only to keep this one instance).
     */
    private final Id id;

    /** The source name of strongSwan's VICI socket, the speaker's built-in event source. */
    public static final String VICI = "vici";

    /** An SA the VICI source reported. */
    public ChildSa(String connection, long ikeId, String child, long childId, long reqid,
                   InetAddress localHost, InetAddress remoteHost, String remoteId,
                   List<Prefix> localTs, List<Prefix> remoteTs, long ifId, List<String> unroutableTs) {
        this(connection, ikeId, child, childId, reqid, localHost, remoteHost, remoteId, localTs, remoteTs, ifId,
                unroutableTs, VICI);
    }

    public ChildSa(String connection, long ikeId, String child, long childId, long reqid,
                   InetAddress localHost, InetAddress remoteHost, String remoteId,
                   List<Prefix> localTs, List<Prefix> remoteTs, long ifId, List<String> unroutableTs,
                   String source) {
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
        this.connection = connection;
        this.ikeId = ikeId;
        this.child = child;
        this.childId = childId;
        this.reqid = reqid;
        this.localHost = localHost;
        this.remoteHost = remoteHost;
        this.remoteId = remoteId;
        this.localTs = localTs;
        this.remoteTs = remoteTs;
        this.ifId = ifId;
        this.unroutableTs = unroutableTs;
        this.source = VICI.equals(source) ? VICI : source; // one string instance for the common source
        this.id = new Id(this.source, connection, childId);
    }

    public String connection() {
        return connection;
    }

    public long ikeId() {
        return ikeId;
    }

    public String child() {
        return child;
    }

    public long childId() {
        return childId;
    }

    public long reqid() {
        return reqid;
    }

    public InetAddress localHost() {
        return localHost;
    }

    public InetAddress remoteHost() {
        return remoteHost;
    }

    public String remoteId() {
        return remoteId;
    }

    public List<Prefix> localTs() {
        return localTs;
    }

    public List<Prefix> remoteTs() {
        return remoteTs;
    }

    public long ifId() {
        return ifId;
    }

    public List<String> unroutableTs() {
        return unroutableTs;
    }

    public String source() {
        return source;
    }

    /** The same SA as reported by {@code other} source (nothing else changes). */
    public ChildSa fromSource(String other) {
        return new ChildSa(connection, ikeId, child, childId, reqid, localHost, remoteHost, remoteId, localTs, remoteTs,
                ifId, unroutableTs, other);
    }

    /** Value equality over every component, as a record has it. */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof ChildSa c && ikeId == c.ikeId && childId == c.childId && reqid == c.reqid
                && ifId == c.ifId && connection.equals(c.connection) && child.equals(c.child)
                && Objects.equals(localHost, c.localHost) && remoteHost.equals(c.remoteHost)
                && remoteId.equals(c.remoteId) && localTs.equals(c.localTs) && remoteTs.equals(c.remoteTs)
                && unroutableTs.equals(c.unroutableTs) && source.equals(c.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connection, ikeId, child, childId, reqid, localHost, remoteHost, remoteId, localTs,
                remoteTs, ifId, unroutableTs, source);
    }

    @Override
    public String toString() {
        return "ChildSa[connection=" + connection + ", ikeId=" + ikeId + ", child=" + child + ", childId=" + childId
                + ", reqid=" + reqid + ", localHost=" + localHost + ", remoteHost=" + remoteHost + ", remoteId="
                + remoteId + ", localTs=" + localTs + ", remoteTs=" + remoteTs + ", ifId=" + ifId + ", unroutableTs="
                + unroutableTs + ", source=" + source + "]";
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

    /** Identity of this SA instance, unique across sources (one instance per SA). */
    public Id id() {
        return id;
    }

    /** Identity of a CHILD_SA instance: source, connection name and CHILD_SA unique id. */
    public record Id(String source, String connection, long childId) {
        /** The id of an SA of the VICI source. */
        public Id(String connection, long childId) {
            this(VICI, connection, childId);
        }

        /** Written out: a hash key of every table of the core, hashed and compared on every event. */
        @Override
        public int hashCode() {
            return (31 * Objects.hashCode(source) + Objects.hashCode(connection)) * 31 + Long.hashCode(childId);
        }

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof Id i && childId == i.childId && Objects.equals(connection, i.connection)
                    && Objects.equals(source, i.source);
        }

        /** {@code connection/childId} for VICI (as before sources were named), {@code source:connection/childId} else. */
        @Override
        public String toString() {
            return (VICI.equals(source) ? "" : source + ":") + connection + "/" + childId;
        }
    }
}
