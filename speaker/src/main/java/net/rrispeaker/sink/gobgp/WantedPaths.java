package net.rrispeaker.sink.gobgp;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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
 * {@link #remove}, {@link #makeUsable} when a VRF becomes usable); all go through the same
 * normalisation, and each costs work in proportion to the paths it touches. No I/O: the worker
 * decides which VRFs are usable (it may have to create them) and hands the answer in.
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
    /** Equal attribute sets are one object (nearly every path has one of a few). */
    private final AttributeCache shared = new AttributeCache();
    /** Per VRF (not the global table): how many desired paths go into it. */
    private final Map<String, Integer> perVrf = new HashMap<>();
    /** Per VRF that is not usable: the keys of its desired paths, frozen until it becomes usable. */
    private final Map<String, Set<BgpPath.Key>> waitingForVrf = new HashMap<>();

    /**
     * @param vrfs       the configured VRFs (their export route targets are added to their paths)
     * @param usableVrfs the VRFs gobgpd has and that paths may go into now
     */
    WantedPaths(Map<String, VrfDefinition> vrfs, Set<String> usableVrfs) {
        this.vrfs = Map.copyOf(vrfs);
        this.usableVrfs = new HashSet<>(usableVrfs);
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
        return put(p.key(), p);
    }

    /** {@link #put(BgpPath)} under {@code key} ({@code p.key()}), which the map keeps: no new key object. */
    Optional<Invalid> put(BgpPath.Key key, BgpPath p) {
        String vrf = p.vrf();
        if (!vrf.isEmpty() && !usableVrfs.contains(vrf)) {
            store(key, new Wanted(p, null));
            waitingForVrf.computeIfAbsent(vrf, v -> new HashSet<>()).add(key);
            return Optional.empty(); // the VRF's own trouble is reported where it was found
        }
        VrfDefinition def = vrfs.get(vrf);
        try {
            store(key, new Wanted(p, shared.share(PathAttributes.of(p, def == null ? List.of() : def.exportTargets()))));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            store(key, new Wanted(p, null));
            return Optional.of(new Invalid(key, e.getMessage()));
        }
    }

    private void store(BgpPath.Key key, Wanted w) {
        if (paths.put(key, w) == null && !w.path().vrf().isEmpty()) {
            perVrf.merge(w.path().vrf(), 1, Integer::sum);
        }
    }

    /** The path under {@code key} is no longer desired. */
    void remove(BgpPath.Key key) {
        if (paths.remove(key) != null && !key.vrf().isEmpty()) {
            perVrf.computeIfPresent(key.vrf(), (v, n) -> n == 1 ? null : n - 1);
            Set<BgpPath.Key> waiting = waitingForVrf.get(key.vrf());
            if (waiting != null && waiting.remove(key) && waiting.isEmpty()) {
                waitingForVrf.remove(key.vrf());
            }
        }
    }

    /**
     * VRF {@code vrf} can take paths now: its frozen paths are put again (normalised, or frozen for
     * a bad attribute, which {@code invalid} hears of). Returns their keys, to be diffed. Work in
     * proportion to the paths of that VRF that waited.
     */
    Set<BgpPath.Key> makeUsable(String vrf, Consumer<Invalid> invalid) {
        usableVrfs.add(vrf);
        Set<BgpPath.Key> waiting = waitingForVrf.remove(vrf);
        if (waiting == null) {
            return Set.of();
        }
        for (BgpPath.Key k : waiting) {
            put(k, paths.get(k).path()).ifPresent(invalid);
        }
        return waiting;
    }

    /** Whether paths may go into {@code vrf} now. */
    boolean usable(String vrf) {
        return vrf.isEmpty() || usableVrfs.contains(vrf);
    }

    /** The VRFs that desired paths wait for (not usable now), sorted by name. */
    Set<String> waitingVrfs() {
        return new TreeSet<>(waitingForVrf.keySet());
    }

    /** The VRFs (not the global table) that at least one desired path goes into. */
    Set<String> vrfsInUse() {
        return Collections.unmodifiableSet(perVrf.keySet());
    }

    /** The desired path under {@code key}, {@code null} when none is. */
    Wanted get(BgpPath.Key key) {
        return paths.get(key);
    }

    /** The desired paths, frozen or not (a live read-only view). */
    Collection<Wanted> all() {
        return Collections.unmodifiableCollection(paths.values());
    }

    /** The keys desired, frozen or not (a live read-only view). */
    Set<BgpPath.Key> keys() {
        return Collections.unmodifiableSet(paths.keySet());
    }

    int size() {
        return paths.size();
    }
}
