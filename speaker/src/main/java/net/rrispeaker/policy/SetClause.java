package net.rrispeaker.policy;

/**
 * One compiled {@code set} clause. Sets are applied only when the route is permitted, after the
 * evaluation ended, in configuration order (IOS {@code continue} semantics): a later set of the
 * same attribute overrides an earlier one, additive forms accumulate. They edit the attributes
 * that start from the redistribution defaults (tag community, distance LOCAL_PREF, metric MED).
 */
public sealed interface SetClause permits CommunitySet, LargeCommunitySet, ExtCommunitySet, LocalPrefSet,
        MetricSet, MetricTypeSet, OriginSet, AsPathPrependSet, NextHopSet, TagSet {

    /** Applies the clause to the attributes of a permitted route. */
    void apply(PathAttributes.Builder attributes, RouteFacts route);

    /** The clause as it would be written in the configuration. */
    String text();
}
