package net.rrispeaker.sink.gobgp;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.VrfDefinition;
import net.rrispeaker.sink.PathUpdate;

/**
 * The hand-over between the core and the sink's worker: the desired set as the core last told it,
 * and the work the worker has not taken yet. The core's calls ({@link #resync}, {@link #apply})
 * and the worker's {@link #take} cost work in proportion to the changes, with one bounded
 * exception: taking a full diff copies the references of the desired set (done only after a
 * resync, a reconnect, a change of the VRFs or an overflow, never per event).
 *
 * <p>Coalescing: changes wait in a map by key, so while the worker is busy a burst of changes to
 * one key collapses into the newest (latest wins) and the queue never holds more than one entry
 * per key. If more than {@code bound} keys wait, the pending changes are dropped and the worker
 * is asked for a full diff of the desired set instead: past that size a diff of everything costs
 * about as much as the keys one by one, and the queue stays bounded.
 *
 * <p>Pure and not thread-safe: {@link SinkWorker} guards it with its lock.
 */
final class PendingPaths {

    /** What the worker is to do next. */
    sealed interface Work permits Full, Changes, Preload {
        /** Done when the worker has applied this generation. */
        long generation();

        /** The VRFs the desired paths need. */
        Map<String, VrfDefinition> vrfs();
    }

    /** Diff everything: the complete desired set. */
    record Full(List<BgpPath> paths, Map<String, VrfDefinition> vrfs, long generation) implements Work {
    }

    /** Diff the keys of {@code updates} only: for each, the newest change. */
    record Changes(Collection<PathUpdate> updates, Map<String, VrfDefinition> vrfs, long generation)
            implements Work {
    }

    /**
     * Before the first resync: paths to announce where gobgpd holds nothing of ours, and nothing
     * else (see {@link net.rrispeaker.sink.PathSink#preload}).
     */
    record Preload(Collection<BgpPath> paths, Map<String, VrfDefinition> vrfs, long generation) implements Work {
    }

    private final int bound;
    /**
     * Preloaded paths not taken yet, by key (latest wins). Not bounded by {@code bound}: it never
     * holds more than the desired set, and there is no full diff to fall back on before the resync.
     */
    private Map<BgpPath.Key, BgpPath> preloads = new HashMap<>();
    private Map<BgpPath.Key, BgpPath> desired = new HashMap<>();
    private Map<String, VrfDefinition> vrfs = Map.of();
    /** The map last given, to skip comparing when the caller hands the same one again. */
    private Map<String, VrfDefinition> vrfsGiven;
    private Map<BgpPath.Key, PathUpdate> pending = new HashMap<>();
    private boolean known;
    private boolean full;
    private long generation;

    private long received;
    private long coalesced;
    private long overflows;

    /** @param bound how many keys may wait before the worker diffs everything instead */
    PendingPaths(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound: " + bound + " (expected: >= 1)");
        }
        this.bound = bound;
    }

    /**
     * The complete desired set; replaces everything before and asks for a full diff. Takes
     * ownership of {@code all} (the caller copies it outside the lock).
     */
    void resync(HashMap<BgpPath.Key, BgpPath> all, Map<String, VrfDefinition> vrfDefs) {
        desired = all;
        setVrfs(vrfDefs);
        pending = new HashMap<>();
        preloads = new HashMap<>(); // the full diff covers them
        known = true;
        full = true;
        generation++;
    }

    /** Paths wanted before the first resync; ignored after it (changes come through {@link #apply}). */
    void preload(List<BgpPath> paths, Map<String, VrfDefinition> vrfDefs) {
        if (known || paths.isEmpty()) {
            return;
        }
        setVrfs(vrfDefs);
        for (BgpPath p : paths) {
            received++;
            if (preloads.put(p.key(), p) != null) {
                coalesced++;
            }
        }
        generation++;
    }

    /** Changes to the desired set; a change of the VRFs asks for a full diff. */
    void apply(List<PathUpdate> changes, Map<String, VrfDefinition> vrfDefs) {
        if (setVrfs(vrfDefs)) {
            requestFull();
        }
        if (changes.isEmpty()) {
            return;
        }
        // before the first resync nothing is diffed (it replaces the set); during a full diff
        // pending the keys need no tracking: it reads the desired set
        boolean track = known && !full;
        for (PathUpdate u : changes) {
            received++;
            if (u.path() == null) {
                desired.remove(u.key());
            } else {
                desired.put(u.key(), u.path());
            }
            if (track && pending.put(u.key(), u) != null) {
                coalesced++;
            }
        }
        if (track && pending.size() > bound) {
            // the fall-back: too many keys wait; drop them and diff the whole desired set instead
            overflows++;
            requestFull();
        }
        generation++;
    }

    /**
     * gobgpd's state was read again (a (re)connect), or the worker lost track of what it did (an
     * unexpected error): the next work diffs everything.
     */
    void requestFull() {
        if (known && !full) {
            full = true;
            pending = new HashMap<>();
            generation++;
        }
    }

    private boolean setVrfs(Map<String, VrfDefinition> given) {
        if (given == vrfsGiven) {
            return false;
        }
        vrfsGiven = given;
        if (given.equals(vrfs)) {
            return false;
        }
        vrfs = Map.copyOf(given);
        return true;
    }

    /** Whether the worker has something to take. */
    boolean hasWork() {
        return known ? full || !pending.isEmpty() : !preloads.isEmpty();
    }

    /** Everything handed over so far is covered by work up to this generation. */
    long generation() {
        return generation;
    }

    /** The next work, or {@code null} when there is none; the worker owns what it gets. */
    Work take() {
        if (!hasWork()) {
            return null;
        }
        if (!known) {
            Collection<BgpPath> taken = preloads.values();
            preloads = new HashMap<>();
            return new Preload(taken, vrfs, generation);
        }
        if (full) {
            full = false;
            pending = new HashMap<>();
            return new Full(List.copyOf(desired.values()), vrfs, generation);
        }
        Collection<PathUpdate> taken = pending.values();
        pending = new HashMap<>();
        return new Changes(taken, vrfs, generation);
    }

    /** Changes received so far. */
    long received() {
        return received;
    }

    /** Changes that replaced a waiting change to the same key (latest wins). */
    long coalesced() {
        return coalesced;
    }

    /** Times the pending changes outgrew the bound and became a full diff. */
    long overflows() {
        return overflows;
    }

    /** Keys waiting now. */
    int waiting() {
        return known ? pending.size() : preloads.size();
    }
}
