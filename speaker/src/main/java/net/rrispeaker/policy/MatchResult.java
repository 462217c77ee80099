package net.rrispeaker.policy;

/**
 * The tri-state outcome of one match clause (FRR's MATCH / NOMATCH / NOOP).
 *
 * <p>{@link #NOOP} means the clause does not apply to the route at all: an IPv4 clause
 * ({@code match ip address ...}) tested against an IPv6 route, or the reverse. See {@link RouteMap}
 * for how an entry combines the three.
 */
public enum MatchResult {
    /** The clause holds for the route. */
    MATCH,
    /** The clause does not hold. */
    NOMATCH,
    /** The clause does not apply to this route's address family; it neither holds nor fails. */
    NOOP
}
