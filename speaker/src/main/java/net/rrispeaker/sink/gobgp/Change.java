package net.rrispeaker.sink.gobgp;

import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.gobgp.api.TableType;
import net.rrispeaker.policy.BgpPath;

/**
 * One path change for gobgpd: an announcement ({@code attributes} set) or a withdrawal
 * ({@code attributes == null}, {@code path.is_withdraw}).
 */
record Change(BgpPath.Key key, Path path, PathAttributes attributes) {
    boolean withdraw() {
        return attributes == null;
    }

    TableType table() {
        return key.vrf().isEmpty() ? TableType.GLOBAL : TableType.VRF;
    }

    String op() {
        return withdraw() ? "withdraw" : "announce";
    }
}
