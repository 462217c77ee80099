package net.rrispeaker.sink.gobgp;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.model.BgpPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What gobgpd holds of ours, as the sink last listed or wrote it: each path's key and its
 * attributes in normalised form ({@link PathAttributes}). A listed path is ours when it carries our
 * path identifier and was injected locally (no peer); anything else is never taken in, so no diff
 * can ever withdraw or replace it. No I/O: the worker feeds it what ListPath returned
 * ({@link #take}) and what gobgpd accepted ({@link #applied}). Owned by the sink's worker thread;
 * other threads may only read {@link #keys}.
 */
final class HeldPaths {
    private static final Logger log = LoggerFactory.getLogger(HeldPaths.class);

    /** What {@link #take} did with a listed path. */
    enum Listed {
        /** Ours: now held. */
        TAKEN,
        /** Another identifier, or learned from a peer: not ours, left alone. */
        FOREIGN,
        /** Ours, in a VPN table, but no VRF of gobgpd has its RD: left alone. */
        UNKNOWN_RD
    }

    private final int identifier;
    /** Concurrent only so that other threads may read the keys ({@link #keys}); one thread writes. */
    private final Map<BgpPath.Key, PathAttributes> paths = new ConcurrentHashMap<>();
    /** Per VRF (not the global table): how many paths of ours gobgpd holds in it. */
    private final Map<String, Integer> perVrf = new HashMap<>();
    /** Equal attribute sets read back from a listing are one object. */
    private final AttributeCache shared = new AttributeCache();

    /** @param identifier the Path.identifier that marks our paths */
    HeldPaths(int identifier) {
        this.identifier = identifier;
    }

    /** Our path identifier. */
    int identifier() {
        return identifier;
    }

    /** Whether a listed path is ours: our identifier and injected locally. */
    boolean isOurs(Path p) {
        return p.getIdentifier() == identifier && isLocal(p);
    }

    /** Locally injected paths have no peer; gobgpd prints the empty address as {@code <nil>}. */
    static boolean isLocal(Path p) {
        String n = p.getNeighborIp();
        return n.isEmpty() || n.equals("<nil>") || n.equals("0.0.0.0") || n.equals("::");
    }

    /**
     * Takes one path listed by gobgpd if it is ours. {@code vrfForRd} names the VRF that has a VPN
     * path's route distinguisher ({@code null}: none). Throws {@link IllegalArgumentException}
     * naming what is wrong when a path of ours cannot be decoded.
     */
    Listed take(Path p, Function<String, String> vrfForRd) {
        if (!isOurs(p)) {
            return Listed.FOREIGN;
        }
        PathCodec.Held h = PathCodec.decode(p);
        String vrf = h.rd().isEmpty() ? "" : vrfForRd.apply(h.rd());
        if (vrf == null) {
            log.debug("sink=gobgp op=resync rd={} prefix={}: no VRF with this RD, left alone", h.rd(), h.prefix());
            return Listed.UNKNOWN_RD;
        }
        put(new BgpPath.Key(vrf, h.prefix()), shared.share(h.attributes()));
        return Listed.TAKEN;
    }

    /** Records a change gobgpd accepted. */
    void applied(Change c) {
        if (c.withdraw()) {
            remove(c.key());
        } else {
            put(c.key(), c.attributes());
        }
    }

    private void put(BgpPath.Key key, PathAttributes attributes) {
        if (paths.put(key, attributes) == null && !key.vrf().isEmpty()) {
            perVrf.merge(key.vrf(), 1, Integer::sum);
        }
    }

    private void remove(BgpPath.Key key) {
        if (paths.remove(key) != null && !key.vrf().isEmpty()) {
            perVrf.computeIfPresent(key.vrf(), (v, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Forgets everything (before a fresh listing). */
    void clear() {
        paths.clear();
        perVrf.clear();
    }

    /**
     * Forgets the paths of VRFs gobgpd no longer has: the VRF went, and its paths with it. Scans
     * the paths only when such a VRF holds some.
     */
    void forgetVrfsOtherThan(Set<String> present) {
        Set<String> gone = new HashSet<>(perVrf.keySet());
        gone.removeAll(present);
        if (!gone.isEmpty()) {
            paths.keySet().removeIf(k -> gone.contains(k.vrf()));
            perVrf.keySet().removeAll(gone);
        }
    }

    /** The attributes gobgpd holds for {@code key}, {@code null} when it holds no path of ours there. */
    PathAttributes get(BgpPath.Key key) {
        return paths.get(key);
    }

    /**
     * The keys held (a live read-only view). Other threads may read it while the owner writes; they
     * see each key either before or after a change.
     */
    Set<BgpPath.Key> keys() {
        return Collections.unmodifiableSet(paths.keySet());
    }

    int size() {
        return paths.size();
    }

    /** The VRFs (not the global table) in which we hold at least one path (a copy). */
    Set<String> vrfsInUse() {
        return new HashSet<>(perVrf.keySet());
    }
}
