package net.rrispeaker.model;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

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
     * Replaces everything this source reported before.
     */
    record Snapshot(List<ChildSa> sas) implements SaEvent {
        public Snapshot {
            sas = List.copyOf(sas);
        }
    }

    /**
     * The source lost its daemon (socket closed, charon stopped). The core keeps the SAs for the
     * configured hold time, then drops them unless a {@link Snapshot} arrives first.
     */
    record SourceLost(String reason) implements SaEvent {
    }
}
