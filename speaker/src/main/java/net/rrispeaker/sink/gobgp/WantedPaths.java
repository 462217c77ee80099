package net.rrispeaker.sink.gobgp;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.VrfDefinition;

/**
 * The desired paths as gobgpd will hold them: each with its attributes in normalised form
 * ({@link PathAttributes#of}, a VRF path with its VRF's export route targets added), so that they
 * compare equal to what a listing reads back ({@link HeldPaths}).
 *
 * <p>A desired path that cannot be written now is <em>frozen</em>: its VRF is not usable in gobgpd
 * (not defined, or AddVrf failed), or its attributes cannot be encoded (a bad route target). The
 * diff leaves whatever gobgpd holds under a frozen key alone, neither replaced nor withdrawn.
 *
 * <p>Built whole from a desired set ({@link #of}) or changed one path at a time ({@link #put},
 * {@link #remove}); both go through the same normalisation. No I/O: the worker decides which VRFs
 * are usable (it may have to create them) and hands the answer in.
 */
final class WantedPaths {

    /**
     * One desired path and the attributes gobgpd will hold for it; {@code attributes == null} when
     * it is frozen.
     */
    record Wanted(BgpPath path, PathAttributes attributes) {
        boolean frozen() {
            return attributes == null;
        }
    }

    /** A desired path whose attributes cannot be encoded, and why. */
    record Invalid(BgpPath.Key key, String message) {
    }

    private final Map<String, VrfDefinition> vrfs;
    private final Set<String> usableVrfs;
    private final Map<BgpPath.Key, Wanted> paths = new HashMap<>();

    /**
     * @param vrfs       the configured VRFs (their export route targets are added to their paths)
     * @param usableVrfs the VRFs gobgpd has and that paths may go into now
     */
    WantedPaths(Map<String, VrfDefinition> vrfs, Set<String> usableVrfs) {
        this.vrfs = Map.copyOf(vrfs);
        this.usableVrfs = Set.copyOf(usableVrfs);
    }

    /** The desired set {@code desired}, each path normalised; {@code invalid} hears of each bad one. */
    static WantedPaths of(Collection<BgpPath> desired, Map<String, VrfDefinition> vrfs, Set<String> usableVrfs,
                          Consumer<Invalid> invalid) {
        WantedPaths w = new WantedPaths(vrfs, usableVrfs);
        for (BgpPath p : desired) {
            w.put(p).ifPresent(invalid);
        }
        return w;
    }

    /** The VRFs (not the global table) that {@code desired} paths go into, sorted by name. */
    static Set<String> vrfsOf(Collection<BgpPath> desired) {
        Set<String> names = new TreeSet<>();
        for (BgpPath p : desired) {
            if (!p.vrf().isEmpty()) {
                names.add(p.vrf());
            }
        }
        return names;
    }

    /**
     * Puts one desired path, replacing any earlier one with its key. Returns why it cannot be
     * encoded (it is then frozen), or empty.
     */
    Optional<Invalid> put(BgpPath p) {
        String vrf = p.vrf();
        if (!vrf.isEmpty() && !usableVrfs.contains(vrf)) {
            paths.put(p.key(), new Wanted(p, null));
            return Optional.empty(); // the VRF's own trouble is reported where it was found
        }
        VrfDefinition def = vrfs.get(vrf);
        try {
            paths.put(p.key(), new Wanted(p, PathAttributes.of(p, def == null ? List.of() : def.exportTargets())));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            paths.put(p.key(), new Wanted(p, null));
            return Optional.of(new Invalid(p.key(), e.getMessage()));
        }
    }

    /** The path under {@code key} is no longer desired. */
    void remove(BgpPath.Key key) {
        paths.remove(key);
    }

    /** The desired path under {@code key}, {@code null} when none is. */
    Wanted get(BgpPath.Key key) {
        return paths.get(key);
    }

    /** The keys desired, frozen or not (a live read-only view). */
    Set<BgpPath.Key> keys() {
        return Collections.unmodifiableSet(paths.keySet());
    }

    int size() {
        return paths.size();
    }
}
