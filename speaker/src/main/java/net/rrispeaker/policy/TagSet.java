package net.rrispeaker.policy;

/** {@code set tag T}: the tag toward an IGP (FRR path); no BGP attribute, no effect on the tag community. */
public record TagSet(long tag) implements SetClause {

    @Override
    public void apply(PathAttributes.Builder a, RouteFacts route) {
        a.tag = tag;
    }

    @Override
    public String text() {
        return "set tag " + tag;
    }
}
