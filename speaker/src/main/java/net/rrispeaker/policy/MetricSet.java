package net.rrispeaker.policy;

/**
 * {@code set metric N} replaces the MED; {@code set metric +N} / {@code -N} adjusts the MED the route
 * has at that point (the {@code redistribute static metric} value, 0 without one), clamped to
 * 0..4294967295.
 *
 * @param value  the absolute value or the adjustment (always non-negative)
 * @param sign   0 absolute, +1 add, -1 subtract
 */
public record MetricSet(long value, int sign) implements SetClause {

    static final long MAX = 0xFFFFFFFFL;

    @Override
    public void apply(PathAttributes.Builder a, RouteFacts route) {
        if (sign == 0) {
            a.med = value;
            return;
        }
        long base = a.med == null ? 0 : a.med;
        a.med = Math.max(0, Math.min(MAX, base + sign * value));
    }

    @Override
    public String text() {
        return "set metric " + (sign > 0 ? "+" : sign < 0 ? "-" : "") + value;
    }
}
