package net.rrispeaker.policy;

import net.rrispeaker.model.BgpPath;

/**
 * {@code set origin igp|egp [AS]|incomplete}: the ORIGIN attribute. The AS after {@code egp} is
 * accepted for IOS compatibility and not carried (ORIGIN has no AS field).
 */
public record OriginSet(int origin) implements SetClause {

    @Override
    public void apply(PathAttributes.Builder a, RouteFacts route) {
        a.origin = origin;
    }

    @Override
    public String text() {
        return "set origin " + switch (origin) {
            case BgpPath.ORIGIN_IGP -> "igp";
            case BgpPath.ORIGIN_EGP -> "egp";
            default -> "incomplete";
        };
    }
}
