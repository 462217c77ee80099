package net.rrispeaker.sink;

import java.util.Map;
import net.rrispeaker.model.VrfDefinition;
import net.rrispeaker.model.BgpPath;

/**
 * A daemon the speaker makes equal to its desired state (level-triggered): each call hands over the
 * complete desired set; the sink diffs it against what the daemon holds. Must not block the caller.
 */
public interface PathSink extends AutoCloseable {

    /** The complete set of paths that should be announced now, and the VRFs they need. */
    void reconcile(Map<BgpPath.Key, BgpPath> desired, Map<String, VrfDefinition> vrfs);

    @Override
    void close();
}
