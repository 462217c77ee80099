package net.rrispeaker.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.rrispeaker.paths.DesiredPaths;
import net.rrispeaker.engine.RouteTable;
import net.rrispeaker.model.Route;
import net.rrispeaker.sink.RouteSink;

/**
 * Feeds the {@link RouteSink}s: per destination the route that wins it in the route table, as
 * changes. It follows every flush of the core (dirty destinations) whether or not the source is in
 * sync yet, but tells the sinks nothing until it is; then each sink gets the complete set once
 * ({@link RouteSink#resync}) and from then on only what changed. Owned by the core thread.
 */
final class RouteFeed {
    private final List<RouteSink> sinks = new ArrayList<>();
    /** The winners as last handed over; kept only while a sink is attached (none: no memory per route). */
    private final Map<RouteTable.Dest, Route> winners = new HashMap<>();
    /** The route table the core flushes from (the same one always), once it has flushed. */
    private RouteTable table;
    private boolean synced;
    /**
     * Redundancy groups: a route of a standby group is not handed to the route sinks (an IGP has no
     * worse attribute to carry it with, so standby announce applies to BGP only); {@code null}: no groups.
     */
    private DesiredPaths.Gate gate;

    /** Sets or removes the redundancy gate; the caller marks the destinations dirty. */
    void setGate(DesiredPaths.Gate gate) {
        this.gate = gate;
    }

    private Route winner(List<Route> candidates, RouteTable routes) {
        if (gate == null) {
            return candidates.isEmpty() ? null : candidates.get(0);
        }
        for (Route c : candidates) {
            if (gate.standing(routes.owners(c.key())).active()) {
                return c;
            }
        }
        return null;
    }

    /** Attaches a sink; if the core is already in sync, it gets the complete set now. */
    void add(RouteSink sink) {
        if (sinks.isEmpty() && table != null) {
            // nothing was tracked without a sink: the winners now, from the table
            winners.clear();
            for (RouteTable.Dest d : table.dests()) {
                List<Route> candidates = table.routes(d);
                if (!candidates.isEmpty()) {
                    winners.put(d, candidates.get(0));
                }
            }
        }
        sinks.add(sink);
        if (synced) {
            sink.resync(List.copyOf(winners.values()));
        }
    }

    /** After the core drained {@code dirty} from {@code routes}: hand the changed winners over. */
    void flush(Collection<RouteTable.Dest> dirty, RouteTable routes, boolean inSync) {
        table = routes;
        if (sinks.isEmpty()) {
            synced |= inSync;
            return;
        }
        List<Route> removed = new ArrayList<>();
        List<Route> added = new ArrayList<>();
        for (RouteTable.Dest d : dirty) {
            List<Route> candidates = routes.routes(d);
            Route now = winner(candidates, routes);
            Route before = now == null ? winners.remove(d) : winners.put(d, now);
            if (!Objects.equals(before, now)) {
                if (before != null) {
                    removed.add(before);
                }
                if (now != null) {
                    added.add(now);
                }
            }
        }
        if (!inSync) {
            return;
        }
        if (!synced) {
            synced = true;
            List<Route> all = List.copyOf(winners.values());
            sinks.forEach(s -> s.resync(all));
        } else if (!removed.isEmpty() || !added.isEmpty()) {
            List<Route> r = List.copyOf(removed);
            List<Route> a = List.copyOf(added);
            sinks.forEach(s -> s.changed(r, a));
        }
    }
}
