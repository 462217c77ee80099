package net.rrispeaker.sink;

import java.util.Collection;
import java.util.List;
import net.rrispeaker.model.Route;

/**
 * A daemon that takes the speaker's routes as routes (not as BGP paths): per destination (VRF and
 * prefix) the route that wins it in the route table, with its next hop or interface, tag and
 * distance. The core tells it what changed; the sink keeps the daemon equal to the sum of what it
 * was told. Calls come from the core's thread, in order, and must not block it.
 */
public interface RouteSink extends AutoCloseable {

    /**
     * Routes that changed since the last call: each route in {@code removed} is no longer wanted,
     * each in {@code added} is. A destination whose winner changed appears in both (the old route
     * removed, the new one added).
     */
    void changed(List<Route> removed, List<Route> added);

    /**
     * The complete set of wanted routes, replacing everything said before: once the source has
     * told the core the whole truth after start, and whenever the sink is attached later. Until
     * the first such call the sink must not change the daemon (a partial set would withdraw routes
     * that are still right).
     */
    void resync(Collection<Route> all);

    @Override
    void close();
}
