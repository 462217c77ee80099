package net.rrispeaker.sink.frr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.rrispeaker.model.Route;

/**
 * What the FRR sink wants, what staticd holds, and which of staticd's routes are the speaker's;
 * from these the next {@link Batch}. Pure and not thread-safe: the sink's worker owns it.
 *
 * <p>Wanted: one line per destination (the route that wins it in the speaker's table), kept up to
 * date from the core's changes. Held: staticd's static routes as last read, updated by every batch
 * that succeeded. Ours: the held lines the speaker wrote (staticd routes carry no owner; the worker
 * keeps this set in a state file across restarts). A line of staticd that is not ours is an
 * operator's and is never removed or changed:
 * <ul>
 *   <li>if the operator already has exactly the wanted line, it is not added again (nor claimed);</li>
 *   <li>if the operator has a route for the same prefix and distance with another tag, the wanted
 *       line is not added: staticd keeps one tag per prefix and distance (its path), so adding ours
 *       would re-tag the operator's route. The conflict is reported once until it is resolved.</li>
 * </ul>
 */
final class StaticSync {

    /** Where the sync tells about routes it cannot write and lines FRR refused. */
    interface Reporter {
        /** {@code route} cannot be an FRR static route; once per destination until one can. */
        void unwritable(Route route, String reason);

        /** {@code ours} is not added because of the operator's {@code theirs}; once until resolved. */
        void conflict(StaticLine ours, StaticLine theirs);

        /** FRR refused {@code line} in a batch ({@code removal}: refused to remove it). */
        void refused(StaticLine line, boolean removal);
    }

    private final Reporter reporter;
    private final Map<StaticLine.Dest, StaticLine> wanted = new HashMap<>();
    private final Map<StaticLine.Dest, List<StaticLine>> held = new HashMap<>();
    private final Set<StaticLine> ours = new HashSet<>();
    private final Set<StaticLine.Dest> dirty = new HashSet<>();
    /** Lines FRR refused, not retried until staticd's configuration is read again. */
    private final Set<StaticLine> refused = new HashSet<>();
    private final Set<StaticLine> conflicted = new HashSet<>();
    /** Destinations whose route could not be written, reported once until one can be. */
    private final Set<StaticLine.Dest> unwritable = new HashSet<>();
    private boolean haveWanted;
    private boolean haveHeld;
    private boolean everything;

    StaticSync(Reporter reporter) {
        this.reporter = reporter;
    }

    // ---- what the core wants

    /** Routes no longer wanted, then routes wanted now (see {@code RouteSink#changed}). */
    void changed(Collection<Route> removed, Collection<Route> added) {
        for (Route r : removed) {
            StaticLine.Dest d = new StaticLine.Dest(r.vrf(), r.prefix().toString());
            StaticLine w = wanted.get(d);
            if (w != null && w.equals(render(r, false))) {
                wanted.remove(d);
            }
            dirty.add(d);
        }
        for (Route r : added) {
            StaticLine.Dest d = new StaticLine.Dest(r.vrf(), r.prefix().toString());
            StaticLine line = render(r, unwritable.add(d));
            if (line == null) {
                wanted.remove(d);
            } else {
                unwritable.remove(d);
                wanted.put(d, line);
            }
            dirty.add(d);
        }
    }

    /** The complete wanted set, replacing everything said before. */
    void resync(Collection<Route> all) {
        dirty.addAll(wanted.keySet());
        wanted.clear();
        changed(List.of(), all);
        haveWanted = true;
        everything = true;
    }

    private StaticLine render(Route r, boolean report) {
        try {
            return StaticLine.of(r);
        } catch (StaticLine.RenderException e) {
            if (report) {
                reporter.unwritable(r, e.getMessage());
            }
            return null;
        }
    }

    // ---- what FRR holds

    /**
     * staticd's static routes as just read, and the lines the speaker believes it wrote; of those,
     * the ones staticd still holds become ours. Lines refused before are tried again.
     */
    void held(List<StaticLine> running, Set<StaticLine> claimed) {
        held.clear();
        for (StaticLine l : running) {
            List<StaticLine> at = held.computeIfAbsent(l.dest(), d -> new ArrayList<>());
            if (!at.contains(l)) {
                at.add(l);
            }
        }
        Set<StaticLine> present = new HashSet<>(running);
        Set<StaticLine> next = new HashSet<>();
        for (StaticLine c : claimed) {
            if (c.plain() && present.contains(c)) {
                next.add(c);
            }
        }
        ours.clear();
        ours.addAll(next);
        refused.clear();
        haveHeld = true;
        everything = true;
    }

    /** True once the complete wanted set and staticd's configuration are known. */
    boolean ready() {
        return haveWanted && haveHeld;
    }

    boolean haveWanted() {
        return haveWanted;
    }

    // ---- planning

    /** True if {@link #plan} may have something to do. */
    boolean pending() {
        return ready() && (everything || !dirty.isEmpty());
    }

    /**
     * The changes that make staticd hold the wanted lines (ours only), for the destinations changed
     * since the last plan, or for all after a read of staticd or a full wanted set.
     */
    Batch plan() {
        if (!ready()) {
            return new Batch(List.of(), List.of());
        }
        Collection<StaticLine.Dest> dests;
        if (everything) {
            Set<StaticLine.Dest> all = new LinkedHashSet<>(wanted.keySet());
            ours.forEach(l -> all.add(l.dest()));
            all.addAll(dirty);
            dests = all;
        } else {
            dests = dirty;
        }
        List<StaticLine> removes = new ArrayList<>();
        List<StaticLine> adds = new ArrayList<>();
        for (StaticLine.Dest d : dests) {
            plan(d, removes, adds);
        }
        dirty.clear();
        everything = false;
        return new Batch(removes, adds);
    }

    private void plan(StaticLine.Dest d, List<StaticLine> removes, List<StaticLine> adds) {
        StaticLine w = wanted.get(d);
        List<StaticLine> lines = held.getOrDefault(d, List.of());
        for (StaticLine l : lines) {
            if (ours.contains(l) && !l.equals(w) && !refused.contains(l)) {
                removes.add(l);
            }
        }
        if (w == null || lines.contains(w) || refused.contains(w)) {
            if (w != null) {
                conflicted.remove(w);
            }
            return;
        }
        for (StaticLine l : lines) {
            if (!ours.contains(l) && l.table() == 0 && l.distance() == w.distance() && l.tag() != w.tag()) {
                if (conflicted.add(w)) {
                    reporter.conflict(w, l);
                }
                return;
            }
        }
        conflicted.remove(w);
        adds.add(w);
    }

    // ---- results

    /** The batch went through: staticd now holds its adds (ours) and no longer its removes. */
    void applied(Batch b) {
        for (StaticLine l : b.removes()) {
            List<StaticLine> at = held.get(l.dest());
            if (at != null) {
                at.remove(l);
                if (at.isEmpty()) {
                    held.remove(l.dest());
                }
            }
            ours.remove(l);
        }
        for (StaticLine l : b.adds()) {
            List<StaticLine> at = held.computeIfAbsent(l.dest(), x -> new ArrayList<>());
            if (!at.contains(l)) {
                at.add(l);
            }
            ours.add(l);
        }
    }

    /**
     * The batch failed in part: {@code running} is staticd's configuration read after it. Whatever
     * of the batch took effect is taken as it is; each line that did not is reported and not tried
     * again until the next read of staticd's configuration.
     */
    void failed(Batch b, List<StaticLine> running) {
        Set<StaticLine> claimed = new HashSet<>(ours);
        claimed.addAll(b.adds());
        held(running, claimed);
        Set<StaticLine> present = new HashSet<>(running);
        for (StaticLine l : b.adds()) {
            if (!present.contains(l)) {
                refused.add(l);
                reporter.refused(l, false);
            }
        }
        for (StaticLine l : b.removes()) {
            if (present.contains(l)) {
                ours.add(l); // still there, still ours
                refused.add(l);
                reporter.refused(l, true);
            }
        }
    }

    /** The lines the speaker wrote and staticd holds (a copy). */
    Set<StaticLine> ours() {
        return Set.copyOf(ours);
    }

    /** Number of wanted lines. */
    int wantedSize() {
        return wanted.size();
    }
}
