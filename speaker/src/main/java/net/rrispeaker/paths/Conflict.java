package net.rrispeaker.paths;

import java.util.List;
import net.rrispeaker.engine.RouteTable;
import net.rrispeaker.model.Route;

/**
 * One destination claimed in ways that disagree; only one route becomes its BGP path, chosen
 * deterministically (lowest distance, then route kind, tag, origin, lowest next hop).
 *
 * @param dest       the destination (VRF + prefix)
 * @param kind       what disagrees
 * @param winner     the route that becomes the path
 * @param candidates every route of the destination, best first (one per next hop or interface)
 * @param claims     for {@link Kind#OWNERS_DISAGREE}: every owner's version of the routes whose
 *                   owners disagree, sorted by distance, tag and origin; empty otherwise
 */
public record Conflict(RouteTable.Dest dest, Kind kind, Route winner, List<Route> candidates, List<Route> claims) {

    public enum Kind {
        /** Two or more next hops (or interfaces) for one prefix: two peers claiming the same network. */
        SEVERAL_NEXT_HOPS("claimed-by-several-next-hops"),
        /**
         * One next hop, but its owners disagree on distance, tag or kind: a manual static and an RRI
         * route for the same prefix and next hop with different tags, say.
         */
        OWNERS_DISAGREE("owners-disagree-on-distance-or-tag");

        private final String reason;

        Kind(String reason) {
            this.reason = reason;
        }

        /** The {@code reason=} of the log line. */
        public String reason() {
            return reason;
        }
    }

    public Conflict {
        candidates = List.copyOf(candidates);
        claims = List.copyOf(claims);
    }

    /** The warning an operator reads: what is claimed, by whom, who wins and how to avoid it. */
    public String message() {
        Route w = winner;
        if (kind == Kind.SEVERAL_NEXT_HOPS) {
            String via = w.nextHop() != null ? w.nextHop().getHostAddress() : w.iface();
            return "prefix=" + dest.prefix() + " vrf=" + dest.vrf() + " reason=" + kind.reason()
                    + " candidates=" + candidates.size() + " winner=\"" + w.origin() + "\" via " + via
                    + " distance " + w.distance();
        }
        return "prefix=" + dest.prefix() + " vrf=" + dest.vrf() + " reason=" + kind.reason()
                + " claims=" + claims.stream().map(r -> r.origin() + " [" + r.distance() + "] tag " + r.tag()).toList()
                + " winner=\"" + w.origin() + "\" distance " + w.distance() + " tag " + w.tag()
                + " (give the manual static and the crypto map the same tag)";
    }
}
