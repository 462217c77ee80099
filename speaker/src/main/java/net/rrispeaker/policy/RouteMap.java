package net.rrispeaker.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.rrispeaker.model.Route;

/**
 * A compiled IOS route-map: entries in ascending sequence order, evaluated against one route.
 * Immutable; every list reference was resolved when the configuration was loaded.
 *
 * <h2>Truth table</h2>
 *
 * <p>Each entry first tests its match clauses. A clause answers MATCH, NOMATCH or NOOP (it does not
 * apply to the route's address family: {@code match ip address ...} on an IPv6 route and the
 * reverse). Values inside one clause are ORed; the clauses of an entry are ANDed; an entry with no
 * clause matches every route. The entry's result is:
 *
 * <pre>
 *   clauses                               entry result
 *   ------------------------------------  ------------
 *   none configured                       MATCH
 *   any clause NOMATCH                    NOMATCH
 *   all MATCH or NOOP, at least one MATCH MATCH
 *   all NOOP                              NOOP
 * </pre>
 *
 * <p>Then, walking the entries by ascending sequence:
 *
 * <pre>
 *   entry result   permit entry                                   deny entry
 *   ------------   ---------------------------------------------  ----------------------------------
 *   MATCH          remember its sets; no continue: PERMIT, stop;   DENY, stop; its sets and the sets
 *                  continue: go on with the next entry, or with   remembered from earlier continue
 *                  the first entry whose sequence is >= N         entries are dropped
 *   NOMATCH        next entry                                     next entry
 *   NOOP           next entry (like NOMATCH)                      next entry (like NOMATCH)
 *
 *   end of map, no set remembered (nothing matched)        DENY  (implicit deny)
 *   end of map after a permit entry with continue matched  PERMIT (IOS/NX-OS; FRR would deny)
 * </pre>
 *
 * <p>On PERMIT, the remembered sets are applied after the evaluation, in configuration order, to
 * the default attributes (IOS: matches always see the original route; a later set of the same
 * attribute overrides an earlier one, additive forms accumulate). FRR applies each entry's sets at
 * once instead, so its later matches and relative sets see modified attributes.
 *
 * <p>{@code continue} only jumps forward (checked at load), so an evaluation visits each entry at
 * most once and always ends.
 */
public final class RouteMap {
    private final String name;
    private final RouteMapEntry[] entries;
    /** Per entry, its match clauses as an array (cheapest first): the hot loop avoids List iterators. */
    private final MatchClause[][] clauses;
    private final int[] continueTo;
    private final PolicyDecision[] denyAt;
    private final PolicyDecision implicitDeny;
    private final int memoSlots;
    private final String file;
    private final int line;

    /**
     * Compiles a route-map.
     *
     * @param memoSlots the number of distinct prefix-lists its clauses reference (their memo slots)
     */
    public RouteMap(String name, List<RouteMapEntry> entries, int memoSlots, String file, int line) {
        this.name = name;
        this.entries = entries.stream().sorted(Comparator.comparingInt(RouteMapEntry::sequence))
                .toArray(RouteMapEntry[]::new);
        this.memoSlots = memoSlots;
        this.file = file;
        this.line = line;
        int n = this.entries.length;
        clauses = new MatchClause[n][];
        for (int i = 0; i < n; i++) {
            clauses[i] = this.entries[i].matches().toArray(new MatchClause[0]);
        }
        continueTo = new int[n];
        denyAt = new PolicyDecision[n];
        for (int i = 0; i < n; i++) {
            RouteMapEntry e = this.entries[i];
            if (i > 0 && this.entries[i - 1].sequence() == e.sequence()) {
                throw new IllegalArgumentException("route-map " + name + ": sequence " + e.sequence() + " twice");
            }
            continueTo[i] = switch (e.exit().kind()) {
                case EXIT -> -1;
                case NEXT -> i + 1;
                case GOTO -> firstAtOrAbove(e.exit().target());
            };
            denyAt[i] = new PolicyDecision(name, PolicyDecision.Verdict.DENY, null, e.sequence(),
                    PolicyDecision.Reason.DENY_ENTRY);
        }
        implicitDeny = new PolicyDecision(name, PolicyDecision.Verdict.DENY, null, -1,
                PolicyDecision.Reason.IMPLICIT_DENY);
    }

    private int firstAtOrAbove(int seq) {
        for (int j = 0; j < entries.length; j++) {
            if (entries[j].sequence() >= seq) {
                return j;
            }
        }
        return entries.length;
    }

    public String name() {
        return name;
    }

    public List<RouteMapEntry> entries() {
        return List.of(entries);
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    /**
     * Evaluates the route-map for one route (see the truth table above).
     *
     * @param route     the route
     * @param defaults  the attributes the route has before any set clause (redistribution defaults)
     */
    public PolicyDecision evaluate(Route route, PathAttributes defaults) {
        return evaluate(route, defaults, null);
    }

    /** The number of entries: the size of a permit memo for {@link #evaluate(Route, PathAttributes, PolicyDecision[])}. */
    public int size() {
        return entries.length;
    }

    /**
     * As {@link #evaluate(Route, PathAttributes)}, with a memo of the decisions of single permit
     * entries (no {@code continue} before them) for this very {@code defaults} object and address
     * family: such a decision depends only on the defaults, the entry's sets and the family (the
     * only route fact a set reads), so routes that share them share one immutable decision.
     *
     * @param permitMemo {@code null}, or one slot per entry, owned by the caller for one
     *                   (defaults, address family) pair; filled here
     */
    public PolicyDecision evaluate(Route route, PathAttributes defaults, PolicyDecision[] permitMemo) {
        RouteFacts facts = new RouteFacts(route, memoSlots);
        int first = -1;
        List<RouteMapEntry> more = null;
        int lastSeq = -1;
        int i = 0;
        while (i < entries.length) {
            RouteMapEntry e = entries[i];
            if (RouteMapEntry.test(clauses[i], facts) != MatchResult.MATCH) {
                i++;
                continue;
            }
            if (!e.permit()) {
                return denyAt[i];
            }
            if (first < 0) {
                first = i;
            } else {
                if (more == null) {
                    more = new ArrayList<>(4);
                }
                more.add(e);
            }
            lastSeq = e.sequence();
            if (continueTo[i] < 0) {
                if (more == null && permitMemo != null) {
                    PolicyDecision d = permitMemo[i];
                    if (d == null) {
                        d = permit(facts, defaults, first, null, lastSeq, PolicyDecision.Reason.PERMIT_ENTRY);
                        permitMemo[i] = d;
                    }
                    return d;
                }
                return permit(facts, defaults, first, more, lastSeq, PolicyDecision.Reason.PERMIT_ENTRY);
            }
            i = continueTo[i];
        }
        if (first < 0) {
            return implicitDeny;
        }
        return permit(facts, defaults, first, more, lastSeq, PolicyDecision.Reason.PERMIT_AFTER_CONTINUE);
    }

    private PolicyDecision permit(RouteFacts facts, PathAttributes defaults, int first, List<RouteMapEntry> more,
                                  int seq, PolicyDecision.Reason reason) {
        PathAttributes result = defaults;
        boolean anySet = !entries[first].sets().isEmpty() || more != null;
        if (anySet) {
            PathAttributes.Builder b = defaults.toBuilder();
            applySets(entries[first], b, facts);
            if (more != null) {
                for (RouteMapEntry e : more) {
                    applySets(e, b, facts);
                }
            }
            result = b.build();
        }
        return new PolicyDecision(name, PolicyDecision.Verdict.PERMIT, result, seq, reason);
    }

    private static void applySets(RouteMapEntry e, PathAttributes.Builder b, RouteFacts facts) {
        for (SetClause s : e.sets()) {
            s.apply(b, facts);
        }
    }

    @Override
    public String toString() {
        return "route-map " + name + " (" + entries.length + " entries)";
    }
}
