package net.rrispeaker.paths;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.rrispeaker.engine.RouteTable;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.Route;
import net.rrispeaker.policy.PolicyDecision;
import net.rrispeaker.redistribution.Redistributor;

/**
 * The BGP paths the speaker wants announced: at most one per destination (VRF + prefix) of the
 * route table, made by redistributing the destination's best route. Pure and not thread-safe: the
 * core's writer thread owns it.
 *
 * <p>{@link #update} takes the destinations whose routes changed, re-decides only those, and returns
 * the paths that changed; its work is proportional to those destinations, not to the table. Along
 * the way it tells its {@link Recorder} about each route-map decision and, once per destination
 * until it is resolved, about a destination claimed in ways that disagree.
 */
public final class DesiredPaths {

    /** Where decisions and conflicts go (metrics and logs in the speaker, a list in tests). */
    public interface Recorder {
        /** A route-map decided on a destination's best route (not called when no route-map applies). */
        void decided(RouteMapDecision decision);

        /** A destination became conflicted; not repeated while it stays so. */
        void conflict(Conflict conflict);
    }

    private static final Comparator<Route> CLAIM_ORDER = Comparator.comparingInt(Route::distance)
            .thenComparingLong(Route::tag)
            .thenComparing(Route::kind)
            .thenComparing(Route::origin);

    /**
     * Redundancy groups: what the owners of a route (route table owner names) allow. The core
     * answers from the groups' VRRP states; without groups there is no gate and nothing is asked.
     */
    public interface Gate {
        Standing standing(Set<Object> owners);
    }

    private final Recorder recorder;
    private Gate gate;
    private final Map<BgpPath.Key, BgpPath> paths = new HashMap<>();
    private final Map<BgpPath.Key, BgpPath> readOnly = Collections.unmodifiableMap(paths);
    /** Destinations reported as conflicted and not resolved since. */
    private final Set<RouteTable.Dest> conflicted = new HashSet<>();

    public DesiredPaths(Recorder recorder) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
    }

    /**
     * Re-decides the given destinations against the route table and the redistribution in force.
     *
     * @param dirty         destinations whose routes (or whose redistribution) may have changed
     * @param routes        the route table, already updated
     * @param redistributor {@code redistribute static} and route-maps of the configuration in force
     * @return the paths that changed, in no particular order; empty if none did
     */
    public List<PathChange> update(Collection<RouteTable.Dest> dirty, RouteTable routes, Redistributor redistributor) {
        List<PathChange> changes = new ArrayList<>();
        for (RouteTable.Dest d : dirty) {
            BgpPath.Key key = new BgpPath.Key(d.vrf(), d.prefix());
            BgpPath after = decide(d, routes, redistributor);
            BgpPath before = after != null ? paths.put(key, after) : paths.remove(key);
            if (!Objects.equals(before, after)) {
                changes.add(new PathChange(key, before, after));
            }
        }
        return changes;
    }

    /**
     * Sets (or, {@code null}, removes) the redundancy gate. The caller marks the destinations whose
     * standing changed dirty and calls {@link #update}: nothing is re-decided here.
     */
    public void setGate(Gate gate) {
        this.gate = gate;
    }

    /** The desired paths now: a read-only live view, valid on the owning thread only. */
    public Map<BgpPath.Key, BgpPath> paths() {
        return readOnly;
    }

    /**
     * An immutable copy of the desired paths, to hand to another thread: costs a copy of the whole
     * table, so it is for reads (the control API) and the sinks' one complete set when the source
     * comes in sync, never for an event, which hands on what {@link #update} returned.
     */
    public Map<BgpPath.Key, BgpPath> snapshot() {
        return Map.copyOf(paths);
    }

    public int size() {
        return paths.size();
    }

    /** The path one destination becomes, or {@code null} (no route left, or not redistributed). */
    private BgpPath decide(RouteTable.Dest d, RouteTable routes, Redistributor redistributor) {
        List<Route> candidates = routes.routes(d);
        if (candidates.isEmpty()) {
            conflicted.remove(d); // a conflict that comes back later is reported and counted again
            return null;
        }
        noteConflict(d, candidates, routes);
        Route best = candidates.get(0);
        Standing standing = Standing.ACTIVE;
        if (gate != null) {
            // the best route an active owner justifies; else the best a standby that announces does
            Route standbyBest = null;
            Standing standbyStanding = null;
            best = null;
            for (Route c : candidates) {
                Standing s = gate.standing(routes.owners(c.key()));
                if (s.active()) {
                    best = c;
                    break;
                }
                if (s.announce() && standbyBest == null) {
                    standbyBest = c;
                    standbyStanding = s;
                }
            }
            if (best == null) {
                if (standbyBest == null) {
                    return null; // standby, withdraw: the route stays in the table, not in BGP
                }
                best = standbyBest;
                standing = standbyStanding;
            }
        }
        PolicyDecision decision = redistributor.decide(best);
        if (decision.map() != null) {
            recorder.decided(new RouteMapDecision(best, decision));
        }
        BgpPath path = Redistributor.path(best, decision).orElse(null);
        return path == null ? null : standing.applyTo(path);
    }

    /**
     * Reports a destination claimed by several next hops (two peers), or by owners that disagree on
     * distance, tag or kind for the same next hop (a tagged manual static and an untagged RRI
     * route), once until the conflict is resolved. The winner is the first candidate either way.
     */
    private void noteConflict(RouteTable.Dest d, List<Route> candidates, RouteTable routes) {
        if (candidates.size() == 1 && routes.refCount(candidates.get(0).key()) <= 1) {
            // the common case (one SA, one route): nothing to compare; keep 100,000-SA bursts cheap
            if (!conflicted.isEmpty()) {
                conflicted.remove(d);
            }
            return;
        }
        // the candidates of one destination are distinct (next hop, interface) pairs
        boolean severalNextHops = candidates.size() > 1;
        List<Route> disagreeing = new ArrayList<>();
        for (Route r : candidates) {
            Collection<Route> claims = routes.claims(r.key()).values();
            if (disagree(claims)) {
                disagreeing.addAll(claims);
            }
        }
        if (!severalNextHops && disagreeing.isEmpty()) {
            conflicted.remove(d);
            return;
        }
        if (conflicted.add(d)) {
            disagreeing.sort(CLAIM_ORDER);
            Conflict.Kind kind = severalNextHops ? Conflict.Kind.SEVERAL_NEXT_HOPS : Conflict.Kind.OWNERS_DISAGREE;
            recorder.conflict(new Conflict(d, kind, candidates.get(0), candidates,
                    kind == Conflict.Kind.OWNERS_DISAGREE ? disagreeing : List.of()));
        }
    }

    /** True if the claims of one route key differ in distance, tag or kind. */
    private static boolean disagree(Collection<Route> claims) {
        Route first = null;
        for (Route c : claims) {
            if (first == null) {
                first = c;
            } else if (c.distance() != first.distance() || c.tag() != first.tag() || c.kind() != first.kind()) {
                return true;
            }
        }
        return false;
    }
}
