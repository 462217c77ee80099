package net.rrispeaker.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code match ip address prefix-list NAME...} / {@code match ipv6 address prefix-list NAME...}: one of
 * the lists permits the route. {@link MatchResult#NOOP} for a route of the other address family.
 * Each list has a slot in the evaluation's memo, so a list tested by several entries of one
 * route-map is looked up once per route.
 */
public record PrefixListMatch(boolean ipv6, List<PrefixList> lists, int[] memoSlots) implements MatchClause {

    public PrefixListMatch {
        lists = List.copyOf(lists);
        memoSlots = memoSlots.clone();
        if (memoSlots.length != lists.size()) {
            throw new IllegalArgumentException("memoSlots: " + memoSlots.length + " (expected: " + lists.size() + ")");
        }
    }

    @Override
    public MatchResult test(RouteFacts route) {
        if (route.v6 != ipv6) {
            return MatchResult.NOOP;
        }
        for (int i = 0; i < memoSlots.length; i++) {
            int slot = memoSlots[i];
            byte known = route.memo(slot);
            if (known == 0) {
                boolean permits = lists.get(i).permits(route);
                route.memo(slot, permits);
                if (permits) {
                    return MatchResult.MATCH;
                }
            } else if (known == 1) {
                return MatchResult.MATCH;
            }
        }
        return MatchResult.NOMATCH;
    }

    @Override
    public int cost() {
        return 3;
    }

    @Override
    public String text() {
        return "match " + (ipv6 ? "ipv6" : "ip") + " address prefix-list "
                + lists.stream().map(PrefixList::name).collect(Collectors.joining(" "));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrefixListMatch m && ipv6 == m.ipv6 && lists.equals(m.lists)
                && java.util.Arrays.equals(memoSlots, m.memoSlots);
    }

    @Override
    public int hashCode() {
        return lists.hashCode() * 31 + java.util.Arrays.hashCode(memoSlots);
    }

    @Override
    public String toString() {
        return text();
    }
}
