package net.rrispeaker.paths;

import net.rrispeaker.model.BgpPath;

/**
 * One desired path that changed: announced for the first time ({@code before == null}), replaced
 * by different attributes, or withdrawn ({@code after == null}). Never both null, never equal.
 *
 * @param key    the path's identity (VRF + prefix)
 * @param before the path desired until now, or {@code null}
 * @param after  the path desired from now on, or {@code null}
 */
public record PathChange(BgpPath.Key key, BgpPath before, BgpPath after) {

    public PathChange {
        if (before == null && after == null) {
            throw new IllegalArgumentException("change of " + key + ": neither before nor after");
        }
    }

    /** The path is no longer desired. */
    public boolean withdrawn() {
        return after == null;
    }
}
