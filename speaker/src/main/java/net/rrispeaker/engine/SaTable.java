package net.rrispeaker.engine;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.SaEvent;

/**
 * What is up now: every installed CHILD_SA one source reported, keyed by {@link ChildSa.Id}. The
 * core keeps one table per source, so a snapshot replaces only what its own source reported.
 * Events update it; {@link #apply} says which SAs appeared and which went, so the route table can
 * follow. Not thread-safe: owned by the core's single writer thread.
 */
public final class SaTable {
    private final Map<ChildSa.Id, ChildSa> sas = new LinkedHashMap<>();

    /**
     * The SAs that appeared and went in one step. A rekey shows up as one of each; an SA whose
     * peer moved ({@link SaEvent.IkeAddressChanged}) shows up in both with the same id.
     */
    public record Change(List<ChildSa> added, List<ChildSa> removed) {
        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty();
        }
    }

    public Change apply(SaEvent event) {
        List<ChildSa> added = new ArrayList<>();
        List<ChildSa> removed = new ArrayList<>();
        if (event instanceof SaEvent.ChildUp up) {
            ChildSa old = sas.put(up.sa().id(), up.sa());
            if (old != null) {
                removed.add(old);
            }
            added.add(up.sa());
        } else if (event instanceof SaEvent.SnapshotPart part) {
            // each SA as if it came up; nothing goes until the snapshot itself says so
            for (ChildSa sa : part.sas()) {
                ChildSa old = sas.put(sa.id(), sa);
                if (old == null || !old.equals(sa)) {
                    if (old != null) {
                        removed.add(old);
                    }
                    added.add(sa);
                }
            }
        } else if (event instanceof SaEvent.ChildDown down) {
            ChildSa old = sas.remove(down.sa().id());
            if (old != null) {
                removed.add(old);
            }
        } else if (event instanceof SaEvent.ChildRekeyed rk) {
            ChildSa old = sas.remove(rk.old().id());
            if (old != null) {
                removed.add(old);
            }
            ChildSa prev = sas.put(rk.replacement().id(), rk.replacement());
            if (prev != null) {
                removed.add(prev);
            }
            added.add(rk.replacement());
        } else if (event instanceof SaEvent.IkeRekeyed ik) {
            for (ChildSa sa : List.copyOf(sas.values())) {
                if (sa.connection().equals(ik.connection()) && sa.ikeId() == ik.oldIkeId()) {
                    sas.put(sa.id(), withIke(sa, ik.newIkeId()));
                }
            }
        } else if (event instanceof SaEvent.IkeAddressChanged moved) {
            // same ids, new next hop: reported as removed + added so the core replaces their routes in place
            for (ChildSa sa : List.copyOf(sas.values())) {
                if (sa.connection().equals(moved.connection()) && sa.ikeId() == moved.ikeId()
                        && !sa.remoteHost().equals(moved.newRemoteHost())) {
                    ChildSa now = withRemoteHost(sa, moved.newRemoteHost());
                    sas.put(sa.id(), now);
                    removed.add(sa);
                    added.add(now);
                }
            }
        } else if (event instanceof SaEvent.IkeDown ike) {
            sas.values().removeIf(sa -> {
                if (sa.connection().equals(ike.connection()) && sa.ikeId() == ike.ikeId()) {
                    removed.add(sa);
                    return true;
                }
                return false;
            });
        } else if (event instanceof SaEvent.Snapshot snap) {
            Map<ChildSa.Id, ChildSa> next = new LinkedHashMap<>();
            for (ChildSa sa : snap.sas()) {
                next.put(sa.id(), sa);
            }
            // An IKE_SA whose record the source could not read keeps what was known of it.
            for (ChildSa old : sas.values()) {
                if (!next.containsKey(old.id()) && snap.keeps(old)) {
                    next.put(old.id(), old);
                }
            }
            for (ChildSa old : sas.values()) {
                ChildSa now = next.get(old.id());
                if (now == null || !now.equals(old)) {
                    removed.add(old);
                }
            }
            for (ChildSa now : next.values()) {
                ChildSa old = sas.get(now.id());
                if (old == null || !old.equals(now)) {
                    added.add(now);
                }
            }
            sas.clear();
            sas.putAll(next);
        }
        return new Change(added, removed);
    }

    /** The SA with this id, or null. */
    public ChildSa get(ChildSa.Id id) {
        return sas.get(id);
    }

    public Collection<ChildSa> all() {
        return Collections.unmodifiableCollection(sas.values());
    }

    public int size() {
        return sas.size();
    }

    private static ChildSa withRemoteHost(ChildSa sa, InetAddress remoteHost) {
        return new ChildSa(sa.connection(), sa.ikeId(), sa.child(), sa.childId(), sa.reqid(), sa.localHost(),
                remoteHost, sa.remoteId(), sa.localTs(), sa.remoteTs(), sa.ifId(), sa.unroutableTs(), sa.source());
    }

    private static ChildSa withIke(ChildSa sa, long ikeId) {
        return new ChildSa(sa.connection(), ikeId, sa.child(), sa.childId(), sa.reqid(), sa.localHost(),
                sa.remoteHost(), sa.remoteId(), sa.localTs(), sa.remoteTs(), sa.ifId(), sa.unroutableTs(), sa.source());
    }
}
