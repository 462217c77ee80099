package net.rrispeaker.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code set as-path prepend ASN...}: puts the ASNs in front of the AS_PATH, left-most first. Several
 * prepends (through {@code continue}) accumulate, the later one in front.
 */
public record AsPathPrependSet(List<Long> asns) implements SetClause {

    public AsPathPrependSet {
        asns = List.copyOf(asns);
    }

    @Override
    public void apply(PathAttributes.Builder a, RouteFacts route) {
        a.asPathPrepend().addAll(0, asns);
    }

    @Override
    public String text() {
        return "set as-path prepend " + asns.stream().map(Object::toString).collect(Collectors.joining(" "));
    }
}
