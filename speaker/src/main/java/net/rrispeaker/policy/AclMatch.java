package net.rrispeaker.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code match ip address ACL...} / {@code match ipv6 address ACL...}: one of the access lists permits
 * the route (see {@link AclMatcher} for what an ACL entry tests). {@link MatchResult#NOOP} for a
 * route of the other address family.
 */
public record AclMatch(boolean ipv6, List<AclMatcher> lists) implements MatchClause {

    public AclMatch {
        lists = List.copyOf(lists);
    }

    @Override
    public MatchResult test(RouteFacts route) {
        if (route.v6 != ipv6) {
            return MatchResult.NOOP;
        }
        for (AclMatcher m : lists) {
            if (m.permits(route)) {
                return MatchResult.MATCH;
            }
        }
        return MatchResult.NOMATCH;
    }

    @Override
    public int cost() {
        return 2;
    }

    @Override
    public String text() {
        return "match " + (ipv6 ? "ipv6" : "ip") + " address "
                + lists.stream().map(m -> m.list().name()).collect(Collectors.joining(" "));
    }
}
