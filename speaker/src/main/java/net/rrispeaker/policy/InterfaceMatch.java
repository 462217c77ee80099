package net.rrispeaker.policy;

import java.util.List;

/**
 * {@code match interface IF...}: the route's outgoing interface is one of the names (compared
 * case-insensitively). A route via a next hop only has no interface and does not match.
 */
public record InterfaceMatch(List<String> interfaces) implements MatchClause {

    public InterfaceMatch {
        interfaces = List.copyOf(interfaces);
    }

    @Override
    public MatchResult test(RouteFacts route) {
        String iface = route.route.iface();
        if (iface != null) {
            for (String i : interfaces) {
                if (i.equalsIgnoreCase(iface)) {
                    return MatchResult.MATCH;
                }
            }
        }
        return MatchResult.NOMATCH;
    }

    @Override
    public int cost() {
        return 1;
    }

    @Override
    public String text() {
        return "match interface " + String.join(" ", interfaces);
    }
}
