package net.rrispeaker.policy;

import java.util.Comparator;
import java.util.List;

/**
 * One compiled {@code route-map NAME permit|deny SEQ} entry.
 *
 * @param sequence    0..65535
 * @param permit      permit or deny
 * @param description the {@code description} text, or {@code ""}
 * @param matches     match clauses, one per type (lines of the same type merged); ANDed
 * @param sets        set clauses in configuration order, one per attribute (a later line replaces)
 * @param exit        what happens after a match (IOS {@code continue})
 * @param line        the {@code route-map} line that opened the entry
 */
public record RouteMapEntry(int sequence, boolean permit, String description, List<MatchClause> matches,
                            List<SetClause> sets, ExitPolicy exit, int line) {

    public RouteMapEntry {
        if (sequence < 0 || sequence > 65535) {
            throw new IllegalArgumentException("sequence: " + sequence + " (expected: 0..65535)");
        }
        description = description == null ? "" : description;
        // AND does not depend on the order: test the cheap clauses (tag) before the lists
        matches = matches.stream().sorted(Comparator.comparingInt(MatchClause::cost)).toList();
        sets = List.copyOf(sets);
        if (exit.kind() == ExitPolicy.Kind.GOTO && exit.target() <= sequence) {
            throw new IllegalArgumentException("continue " + exit.target() + " (expected: > " + sequence + ")");
        }
    }

    /**
     * ANDs the clauses: {@code NOMATCH} as soon as one fails; {@code MATCH} if at least one applied
     * and all that applied hold (or there are no clauses at all); {@code NOOP} if none applied.
     */
    MatchResult test(RouteFacts route) {
        boolean applied = false;
        for (MatchClause c : matches) {
            MatchResult r = testOne(c, route);
            if (r == MatchResult.NOMATCH) {
                return MatchResult.NOMATCH;
            }
            applied |= r == MatchResult.MATCH;
        }
        return matches.isEmpty() || applied ? MatchResult.MATCH : MatchResult.NOOP;
    }

    /** {@link #test(RouteFacts)} over a compiled copy of the clauses (see {@link RouteMap}). */
    static MatchResult test(MatchClause[] clauses, RouteFacts route) {
        if (clauses.length == 0) {
            return MatchResult.MATCH;
        }
        boolean applied = false;
        for (MatchClause c : clauses) {
            MatchResult r = testOne(c, route);
            if (r == MatchResult.NOMATCH) {
                return MatchResult.NOMATCH;
            }
            applied |= r == MatchResult.MATCH;
        }
        return applied ? MatchResult.MATCH : MatchResult.NOOP;
    }

    /** The two common clauses by type, so the call sites stay monomorphic; the rest dispatch. */
    private static MatchResult testOne(MatchClause c, RouteFacts route) {
        if (c instanceof TagMatch t) {
            return t.test(route);
        }
        if (c instanceof PrefixListMatch p) {
            return p.test(route);
        }
        return c.test(route);
    }
}
