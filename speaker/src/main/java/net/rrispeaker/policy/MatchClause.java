package net.rrispeaker.policy;

/**
 * One compiled {@code match} clause of a route-map entry. Several values in one clause, and several
 * lines of the same clause type in one entry, are ORed (IOS); the clauses of an entry are ANDed by
 * {@link RouteMapEntry}. References to lists are resolved when the configuration is loaded, never
 * while evaluating.
 */
public sealed interface MatchClause permits TagMatch, AclMatch, PrefixListMatch, InterfaceMatch, RouteTypeMatch {

    /** Tests the route; {@link MatchResult#NOOP} when the clause does not apply to its address family. */
    MatchResult test(RouteFacts route);

    /** Relative cost; an entry tests cheap clauses first (the result does not depend on the order). */
    int cost();

    /** The clause as it would be written in the configuration. */
    String text();
}
