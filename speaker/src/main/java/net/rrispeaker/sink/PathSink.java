package net.rrispeaker.sink;

import java.util.List;
import java.util.Map;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.VrfDefinition;

/**
 * A daemon the speaker makes equal to its desired state. The sink keeps the desired set itself:
 * the core hands it the complete set once ({@link #resync}) and from then on only what changed
 * ({@link #apply}), so that one SA event costs the sink work in proportion to the paths it
 * touches, not to the table. What the daemon holds is still diffed against the whole desired set
 * whenever the sink cannot trust its picture of the daemon (its own (re)connect, a resync).
 *
 * <p>Both calls come from the core's one writer thread, in order, and must not block it (no I/O,
 * no waiting for a worker): a sink records the request and does the work on its own thread.
 * Arguments are not changed by the caller after the call.
 */
public interface PathSink extends AutoCloseable {

    /**
     * The complete set of paths that should be announced now, and the VRFs they need; replaces
     * whatever the sink was told before, and asks for a diff of everything against the daemon.
     * The core calls it when its source first comes in sync (until then it calls nothing: a
     * partial set would withdraw live paths); a sink must not act on {@link #apply} before it.
     */
    void resync(Map<BgpPath.Key, BgpPath> desired, Map<String, VrfDefinition> vrfs);

    /**
     * Paths the core already wants while its source's first snapshot is still arriving, before
     * the first {@link #resync}: the desired set is not complete yet. So that the daemon ingests
     * while the speaker still reads the snapshot, the sink may announce each of them whose key
     * the daemon holds nothing of ours under; it must withdraw nothing and replace nothing (a path
     * left from before a restart may be live, and what it should be is known only with the
     * resync, which then diffs everything). Several calls add up; a later path under a key
     * replaces an earlier one. Default: nothing (the resync does all the work).
     */
    default void preload(List<BgpPath> paths, Map<String, VrfDefinition> vrfs) {
    }

    /**
     * Changes to the desired set since the last call, at most one per key, and the VRFs the paths
     * need now (usually the same map as before; a sink notices when they change).
     */
    void apply(List<PathUpdate> changes, Map<String, VrfDefinition> vrfs);

    @Override
    void close();
}
