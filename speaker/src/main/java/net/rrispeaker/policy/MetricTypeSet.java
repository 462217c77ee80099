package net.rrispeaker.policy;

/**
 * {@code set metric-type type-1|type-2|internal|external}: no BGP attribute; kept on the result for
 * the IGP (FRR/OSPF) path, where it selects the external metric type.
 */
public record MetricTypeSet(String type) implements SetClause {

    @Override
    public void apply(PathAttributes.Builder a, RouteFacts route) {
        a.metricType = type;
    }

    @Override
    public String text() {
        return "set metric-type " + type;
    }
}
