package net.rrispeaker.policy;

import java.util.Objects;

/**
 * The outcome of redistributing one route: permitted with its attributes, or denied, with the
 * route-map and the sequence that decided and why. The caller counts decisions per map and
 * sequence ({@code Meters.POLICY_DECISIONS}) and logs them at DEBUG.
 *
 * @param map         route-map name, or {@code null} when none applies
 * @param verdict     permit or deny
 * @param attributes  the attributes of a permitted route; {@code null} when denied
 * @param matchedSeq  the sequence of the entry that decided, or -1 (no entry matched / no map)
 * @param reason      why
 */
public record PolicyDecision(String map, Verdict verdict, PathAttributes attributes, int matchedSeq, Reason reason) {

    public enum Verdict { PERMIT, DENY }

    /** Why a route was permitted or denied. */
    public enum Reason {
        /** A permit entry matched (and did not continue, or its continue target decided). */
        PERMIT_ENTRY,
        /** One or more permit entries with {@code continue} matched and nothing after them did (IOS/NX-OS: permit). */
        PERMIT_AFTER_CONTINUE,
        /** A deny entry matched; its set clauses and those of earlier continue entries are dropped. */
        DENY_ENTRY,
        /** No entry matched: implicit deny at the end of the route-map. */
        IMPLICIT_DENY,
        /** {@code redistribute static} without a route-map: every route, with the defaults. */
        NO_ROUTE_MAP,
        /** {@code redistribute static route-map X} with X not defined: nothing is redistributed (IOS). */
        UNDEFINED_ROUTE_MAP,
        /** The route's address family (IPv4/IPv6, VRF) has no {@code redistribute static}. */
        NOT_REDISTRIBUTED
    }

    public PolicyDecision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        if ((verdict == Verdict.PERMIT) != (attributes != null)) {
            throw new IllegalArgumentException("attributes: " + attributes + " (expected: present iff permitted)");
        }
    }

    public boolean permitted() {
        return verdict == Verdict.PERMIT;
    }

    /** A short text for logs and metrics: {@code permit}, {@code deny}. */
    public String result() {
        return verdict == Verdict.PERMIT ? "permit" : "deny";
    }
}
