package net.rrispeaker.policy;

/** {@code set local-preference N}: replaces the LOCAL_PREF derived from the route's distance. */
public record LocalPrefSet(long value) implements SetClause {

    @Override
    public void apply(PathAttributes.Builder a, RouteFacts route) {
        a.localPref = value;
    }

    @Override
    public String text() {
        return "set local-preference " + value;
    }
}
