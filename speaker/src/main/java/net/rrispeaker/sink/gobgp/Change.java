package net.rrispeaker.sink.gobgp;

import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.gobgp.api.TableType;
import net.rrispeaker.model.BgpPath;

/**
 * One path change for gobgpd: an announcement of {@code desired} ({@code attributes} set) or a
 * withdrawal ({@code desired == null}, {@code attributes == null}). The API message is built only
 * when it is sent ({@link #path()}), so that for a large burst the conversion runs while gobgpd is
 * already ingesting the first messages instead of before the first one goes out.
 */
record Change(BgpPath.Key key, BgpPath desired, PathAttributes attributes, int identifier) {

    static Change announce(BgpPath desired, PathAttributes attributes, int identifier) {
        return new Change(desired.key(), desired, attributes, identifier);
    }

    /** {@link #announce(BgpPath, PathAttributes, int)} under {@code key} ({@code desired.key()}): no new key object. */
    static Change announce(BgpPath.Key key, BgpPath desired, PathAttributes attributes, int identifier) {
        return new Change(key, desired, attributes, identifier);
    }

    static Change withdraw(BgpPath.Key key, int identifier) {
        return new Change(key, null, null, identifier);
    }

    boolean withdraw() {
        return attributes == null;
    }

    /** The GoBGP API path: the announcement, or the withdrawal (family, NLRI, identifier). */
    Path path() {
        return withdraw() ? PathCodec.withdrawal(key, identifier) : PathCodec.announcement(desired, identifier);
    }

    TableType table() {
        return key.vrf().isEmpty() ? TableType.GLOBAL : TableType.VRF;
    }

    String op() {
        return withdraw() ? "withdraw" : "announce";
    }
}
