package net.rrispeaker.model;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What an IPsec event source tells the core. Events only update the SA table; what is announced
 * is recomputed from the table (level-triggered), so a source may repeat itself harmlessly.
 */
public sealed interface SaEvent {

    /** A CHILD_SA was installed. */
    record ChildUp(ChildSa sa) implements SaEvent {
    }

    /** A CHILD_SA was deleted (terminate, DPD, IKE down, ...). */
    record ChildDown(ChildSa sa) implements SaEvent {
    }

    /** A CHILD_SA was rekeyed: {@code replacement} takes over from {@code old} without a gap. */
    record ChildRekeyed(ChildSa old, ChildSa replacement) implements SaEvent {
    }

    /** An IKE_SA was rekeyed: CHILD_SAs of {@code oldIkeId} now belong to {@code newIkeId}. */
    record IkeRekeyed(String connection, long oldIkeId, long newIkeId) implements SaEvent {
    }

    /**
     * The peer of an IKE_SA moved to a new outer address (MOBIKE, NAT rebinding): every CHILD_SA
     * under it keeps its id and selectors, only its {@link ChildSa#remoteHost()} (the RRI next hop)
     * changes.
     */
    record IkeAddressChanged(String connection, long ikeId, InetAddress newRemoteHost) implements SaEvent {
        public IkeAddressChanged {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(newRemoteHost, "newRemoteHost");
        }
    }

    /** An IKE_SA went down: every CHILD_SA under it is gone. */
    record IkeDown(String connection, long ikeId) implements SaEvent {
    }

    /**
     * The complete set of installed CHILD_SAs, e.g. from {@code list-sas} after a (re)connect.
     * Replaces everything this source reported before, except the SAs of the IKE_SAs listed in
     * {@code unreadable}: their records could not be read, so what the table knew of them stays as
     * it was (withdrawing them would let one malformed record drop a peer's routes).
     *
     * @param sas        the installed CHILD_SAs the source could read
     * @param unreadable IKE_SAs present in the daemon whose record was (partly) unreadable
     */
    record Snapshot(List<ChildSa> sas, List<UnreadableIkeSa> unreadable) implements SaEvent {
        public Snapshot {
            sas = List.copyOf(sas);
            unreadable = List.copyOf(unreadable);
        }

        /** A snapshot in which every record could be read. */
        public Snapshot(List<ChildSa> sas) {
            this(sas, List.of());
        }

        /** True if {@code sa}, known before this snapshot, belongs to an IKE_SA whose record was unreadable. */
        public boolean keeps(ChildSa sa) {
            for (UnreadableIkeSa u : unreadable) {
                if (u.covers(sa)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Part of a {@link Snapshot} still arriving: CHILD_SAs installed now, listed before the rest
     * of the snapshot has been read. The source sends parts while it reads a long {@code list-sas}
     * and then the {@link Snapshot} itself, which still lists every SA. Unlike the snapshot, a
     * part removes nothing: an SA missing from it may be in a later part.
     */
    record SnapshotPart(List<ChildSa> sas) implements SaEvent {
        public SnapshotPart {
            sas = List.copyOf(sas);
        }
    }

    /**
     * An IKE_SA a snapshot could not read, as precisely as the record allowed: one IKE_SA
     * ({@code connection} and {@code ikeId}), every IKE_SA of a connection (the unique id itself
     * was unreadable), or, with a null connection, any IKE_SA at all (not even the connection name
     * could be read).
     */
    record UnreadableIkeSa(String connection, OptionalLong ikeId) {
        public UnreadableIkeSa {
            Objects.requireNonNull(ikeId, "ikeId");
            if (connection == null && ikeId.isPresent()) {
                throw new IllegalArgumentException("an IKE_SA id needs its connection");
            }
        }

        public static UnreadableIkeSa of(String connection, long ikeId) {
            return new UnreadableIkeSa(Objects.requireNonNull(connection, "connection"), OptionalLong.of(ikeId));
        }

        public static UnreadableIkeSa connection(String connection) {
            return new UnreadableIkeSa(Objects.requireNonNull(connection, "connection"), OptionalLong.empty());
        }

        public static UnreadableIkeSa unidentified() {
            return new UnreadableIkeSa(null, OptionalLong.empty());
        }

        public boolean covers(ChildSa sa) {
            return connection == null
                    || (connection.equals(sa.connection()) && (ikeId.isEmpty() || ikeId.getAsLong() == sa.ikeId()));
        }

        @Override
        public String toString() {
            return connection == null ? "(unidentified)" : connection + (ikeId.isPresent() ? "[" + Long.toUnsignedString(ikeId.getAsLong()) + "]" : "[*]");
        }
    }

    /**
     * The source lost its daemon (socket closed, charon stopped). The core keeps the SAs for the
     * configured hold time, then drops them unless a {@link Snapshot} arrives first.
     * {@code daemonAlive} is true when the daemon was there but the conversation failed (the source
     * closed the connection itself: unreadable framing, no reply in time): then what happens at the
     * end of the hold time is the operator's choice ({@code rri source-failure keep|withdraw}).
     */
    record SourceLost(String reason, boolean daemonAlive) implements SaEvent {
        /** The daemon closed the connection or could not be reached: its tunnels are likely gone with it. */
        public SourceLost(String reason) {
            this(reason, false);
        }
    }

    /**
     * The source is connected and a {@link Snapshot} is on its way (charon streams {@code list-sas}
     * one IKE_SA at a time; 10,000 SAs take seconds). While one is arriving the core's start-up and
     * hold timers wait for it: a slow snapshot is not a missing source.
     */
    record SnapshotStarted() implements SaEvent {
    }
}
