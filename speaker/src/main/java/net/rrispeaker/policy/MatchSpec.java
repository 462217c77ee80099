package net.rrispeaker.policy;

import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.Tokens;

/**
 * A parsed, not yet resolved {@code match} line: its type and values. Resolved into a
 * {@link MatchClause} when the whole configuration is known (lists may be defined after the
 * route-map that uses them).
 */
record MatchSpec(Type type, List<String> values, ConfigLine line) {

    enum Type {
        TAG("match tag"), ACL("match ip address"), ACL6("match ipv6 address"),
        PREFIX_LIST("match ip address prefix-list"), PREFIX_LIST6("match ipv6 address prefix-list"),
        INTERFACE("match interface"), ROUTE_TYPE("match route-type");

        final String text;

        Type(String text) {
            this.text = text;
        }
    }

    MatchSpec {
        values = List.copyOf(values);
    }

    static final String SUPPORTED = "tag, ip address [prefix-list], ipv6 address [prefix-list], interface, route-type";

    /** Parses a {@code match ...} line; throws with the offending token. */
    static MatchSpec parse(ConfigLine line) {
        List<String> t = line.tokens();
        String what = line.token(1);
        if (what == null) {
            throw new IllegalArgumentException("incomplete 'match' (expected: " + SUPPORTED + ")");
        }
        Type type;
        int from;
        switch (Tokens.lower(what)) {
            case "tag" -> {
                type = Type.TAG;
                from = 2;
            }
            case "interface" -> {
                type = Type.INTERFACE;
                from = 2;
            }
            case "route-type" -> {
                type = Type.ROUTE_TYPE;
                from = 2;
            }
            case "ip", "ipv6" -> {
                boolean v6 = Tokens.is(what, "ipv6");
                if (!Tokens.is(line.token(2), "address")) {
                    throw new IllegalArgumentException("unknown match '" + what + " " + nullText(line.token(2))
                            + "' (expected: " + SUPPORTED + ")");
                }
                if (Tokens.is(line.token(3), "prefix-list")) {
                    type = v6 ? Type.PREFIX_LIST6 : Type.PREFIX_LIST;
                    from = 4;
                } else {
                    type = v6 ? Type.ACL6 : Type.ACL;
                    from = 3;
                }
            }
            default -> throw new IllegalArgumentException("unknown match '" + what + "' (expected: " + SUPPORTED + ")");
        }
        List<String> values = new ArrayList<>(t.subList(Math.min(from, t.size()), t.size()));
        if (values.isEmpty()) {
            throw new IllegalArgumentException("'" + type.text + "' needs at least one value");
        }
        for (String v : values) {
            if (type == Type.TAG) {
                Tokens.number(v, 0, Tokens.U32, "tag");
            } else if (type == Type.ROUTE_TYPE && RouteTypeMatch.parse(v) == null) {
                throw new IllegalArgumentException("route-type '" + v + "' (expected: rri, rri-static, vti, static)");
            } else if (type == Type.ACL6 && Tokens.is(v, "prefix-list")) {
                throw new IllegalArgumentException("misplaced 'prefix-list' (expected right after 'address')");
            }
        }
        return new MatchSpec(type, values, line);
    }

    private static String nullText(String s) {
        return s == null ? "" : s;
    }
}
