package net.rrispeaker.sink;

import java.util.Objects;
import net.rrispeaker.model.BgpPath;

/**
 * One change to the desired set, as a sink takes it: from now on {@code path} is desired under
 * {@code key}, or nothing is ({@code path == null}: withdraw whatever the daemon holds of ours there).
 *
 * @param key  the path's identity (VRF + prefix)
 * @param path the path desired from now on, {@code null} when none; its key is {@code key}
 */
public record PathUpdate(BgpPath.Key key, BgpPath path) {

    public PathUpdate {
        Objects.requireNonNull(key, "key");
        if (path != null && !(path.vrf().equals(key.vrf()) && path.prefix().equals(key.prefix()))) {
            throw new IllegalArgumentException("update of " + key + ": path is for " + path.key());
        }
    }

    /** {@code path} is desired (new, or replacing the one with its key). */
    public static PathUpdate announce(BgpPath path) {
        return new PathUpdate(path.key(), path);
    }

    /** Nothing is desired under {@code key} any more. */
    public static PathUpdate withdraw(BgpPath.Key key) {
        return new PathUpdate(key, null);
    }

    public boolean withdrawn() {
        return path == null;
    }
}
