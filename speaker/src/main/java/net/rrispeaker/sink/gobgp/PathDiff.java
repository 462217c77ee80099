package net.rrispeaker.sink.gobgp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.rrispeaker.model.BgpPath;

/**
 * The changes that make what gobgpd holds of ours ({@link HeldPaths}) equal to what is wanted
 * ({@link WantedPaths}). The decision is made key by key ({@link #change}): a held path no longer
 * wanted is withdrawn; a wanted path gobgpd lacks, or holds with other attributes, is announced
 * (gobgpd replaces a path with the same identity); a path already right, or frozen, gets nothing.
 * A path that is not ours is never in {@link HeldPaths}, so it is never touched.
 *
 * <p>{@link #full} asks for every key wanted or held (after a (re)connect, or for a new desired
 * set); {@link #of} asks only for the keys given (an incremental change of a few paths). Both
 * return the changes in the order {@link PathWriter} wants: one table after the other (the global
 * table first, then VRFs by name) so that stream messages stay full, withdrawals first in each.
 * Grouped, not sorted: a full sort of 100,000 changes by key cost more than the diff.
 *
 * <p>Pure: no I/O, no state of its own.
 */
final class PathDiff {

    private PathDiff() {
    }

    /** Every change needed: for each key wanted or held, exactly once. */
    static List<Change> full(WantedPaths wanted, HeldPaths held) {
        Batch b = new Batch();
        for (BgpPath.Key k : held.keys()) {
            if (wanted.get(k) == null) {
                b.add(change(k, null, held.get(k), held.identifier()));
            }
        }
        for (BgpPath.Key k : wanted.keys()) {
            b.add(change(k, wanted.get(k), held.get(k), held.identifier()));
        }
        return b.toList();
    }

    /** The changes needed for {@code keys} only (each key once; a key neither wanted nor held gives none). */
    static List<Change> of(Set<BgpPath.Key> keys, WantedPaths wanted, HeldPaths held) {
        Batch b = new Batch();
        for (BgpPath.Key k : keys) {
            b.add(change(k, wanted.get(k), held.get(k), held.identifier()));
        }
        return b.toList();
    }

    /**
     * The change for one key, or {@code null} when none is needed.
     *
     * @param wanted     the desired path, {@code null} when none is desired
     * @param held       what gobgpd holds of ours, {@code null} when nothing
     * @param identifier our path identifier, stamped on the change
     */
    static Change change(BgpPath.Key key, WantedPaths.Wanted wanted, PathAttributes held, int identifier) {
        if (wanted == null) {
            return held == null ? null : Change.withdraw(key, identifier);
        }
        if (wanted.frozen() || wanted.attributes().equals(held)) {
            return null;
        }
        return Change.announce(key, wanted.path(), wanted.attributes(), identifier);
    }

    /** Changes grouped by table (TreeMap: global table first, VRFs by name), withdrawals apart. */
    private static final class Batch {
        private record Table(List<Change> withdrawals, List<Change> announcements) {
        }

        private final Map<String, Table> tables = new TreeMap<>();
        private int size;

        void add(Change c) {
            if (c == null) {
                return;
            }
            Table t = tables.computeIfAbsent(c.key().vrf(), v -> new Table(new ArrayList<>(), new ArrayList<>()));
            (c.withdraw() ? t.withdrawals : t.announcements).add(c);
            size++;
        }

        /**
         * Every announcement (all tables) before any withdrawal: after a restart or a failover the
         * complete desired set is in gobgpd before the stale paths go (make before break; one
         * change per key, so no announcement and withdrawal of the same path meet).
         */
        List<Change> toList() {
            List<Change> out = new ArrayList<>(size);
            for (Table t : tables.values()) {
                out.addAll(t.announcements);
            }
            for (Table t : tables.values()) {
                out.addAll(t.withdrawals);
            }
            return out;
        }
    }
}
