package net.rrispeaker.policy;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import net.rrispeaker.model.RouteKind;

/**
 * {@code match route-type rri|rri-static|vti|static...} (speaker extension): how the route was made.
 * {@code rri} = from an installed SA (dynamic map, or static map without {@code reverse-route
 * static}); {@code rri-static} = from a static map's ACL with {@code reverse-route static};
 * {@code vti} = route-based tunnel; {@code static} = a manual {@code ip route}.
 */
public record RouteTypeMatch(Set<RouteKind> kinds) implements MatchClause {

    public RouteTypeMatch {
        kinds = Set.copyOf(kinds);
    }

    /** The keyword for a kind, as written after {@code match route-type}. */
    public static String keyword(RouteKind k) {
        return switch (k) {
            case RRI -> "rri";
            case RRI_STATIC -> "rri-static";
            case VTI -> "vti";
            case MANUAL -> "static";
        };
    }

    /** The kind for a keyword, or {@code null}. */
    public static RouteKind parse(String keyword) {
        for (RouteKind k : RouteKind.values()) {
            if (keyword(k).equals(keyword.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        return null;
    }

    @Override
    public MatchResult test(RouteFacts route) {
        return kinds.contains(route.route.kind()) ? MatchResult.MATCH : MatchResult.NOMATCH;
    }

    @Override
    public int cost() {
        return 0;
    }

    @Override
    public String text() {
        return "match route-type " + kinds.stream().map(RouteTypeMatch::keyword).sorted().collect(Collectors.joining(" "));
    }
}
