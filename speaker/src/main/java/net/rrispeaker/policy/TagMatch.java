package net.rrispeaker.policy;

import java.util.Arrays;
import java.util.stream.Collectors;

/** {@code match tag T...}: the route's tag (0 = untagged) equals one of the values. */
public record TagMatch(long[] tags) implements MatchClause {

    public TagMatch {
        tags = tags.clone();
    }

    @Override
    public MatchResult test(RouteFacts route) {
        long t = route.route.tag();
        for (long v : tags) {
            if (v == t) {
                return MatchResult.MATCH;
            }
        }
        return MatchResult.NOMATCH;
    }

    @Override
    public int cost() {
        return 0;
    }

    @Override
    public String text() {
        return "match tag " + Arrays.stream(tags).mapToObj(Long::toString).collect(Collectors.joining(" "));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TagMatch m && Arrays.equals(tags, m.tags);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tags);
    }

    @Override
    public String toString() {
        return text();
    }
}
