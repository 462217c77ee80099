package net.rrispeaker.paths;

import net.rrispeaker.model.Route;
import net.rrispeaker.policy.PolicyDecision;

/**
 * A route-map's decision on the route that won its destination, labelled as the speaker counts
 * decisions ({@code Meters.POLICY_DECISIONS}, like FRR's "applied" counter): per route-map,
 * sequence that decided ({@code none} when no entry matched) and result ({@code permit}/{@code deny}).
 *
 * @param route    the route that was redistributed (or not)
 * @param decision the full decision, never without a route-map
 */
public record RouteMapDecision(Route route, PolicyDecision decision) {

    public RouteMapDecision {
        if (decision.map() == null) {
            throw new IllegalArgumentException("decision on " + route.prefix() + ": no route-map decided");
        }
    }

    /** The route-map's name. */
    public String map() {
        return decision.map();
    }

    /** The sequence of the entry that decided, or {@code none} (implicit deny, undefined route-map). */
    public String seq() {
        return decision.matchedSeq() < 0 ? "none" : Integer.toString(decision.matchedSeq());
    }

    /** {@code permit} or {@code deny}. */
    public String result() {
        return decision.result();
    }
}
