package net.rrispeaker.bench;

import java.util.Arrays;

/**
 * A growable list of latencies in nanoseconds and its order statistics. Percentiles use the
 * nearest-rank definition: p50 of {1,2,3,4} is 2, p99 of 100 values is the 99th smallest, p100
 * the maximum; an empty list has no percentiles ({@link Double#NaN}).
 */
final class Latencies {
    private long[] values = new long[1024];
    private int size;
    private long[] sorted;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
        sorted = null;
    }

    synchronized void clear() {
        size = 0;
        sorted = null;
    }

    synchronized int size() {
        return size;
    }

    /** The values in ascending order (a copy, cached until the next {@link #add}). */
    synchronized long[] sorted() {
        if (sorted == null) {
            sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
        }
        return sorted;
    }

    /** Nearest-rank percentile {@code p} (0 < p <= 100) in milliseconds, NaN when empty. */
    double percentileMillis(double p) {
        long[] s = sorted();
        return s.length == 0 ? Double.NaN : percentile(s, p) / 1e6;
    }

    double maxMillis() {
        long[] s = sorted();
        return s.length == 0 ? Double.NaN : s[s.length - 1] / 1e6;
    }

    /** Nearest-rank percentile of an ascending, non-empty array: the value at rank ceil(p/100 * n). */
    static long percentile(long[] ascending, double p) {
        if (ascending.length == 0) {
            throw new IllegalArgumentException("percentile of no values");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile " + p + " (expected: 0 < p <= 100)");
        }
        int rank = (int) Math.ceil(p / 100.0 * ascending.length);
        return ascending[Math.max(1, Math.min(ascending.length, rank)) - 1];
    }

    /** Both lists together (for a scenario's combined figures). */
    static Latencies merge(Latencies a, Latencies b) {
        Latencies m = new Latencies();
        for (long v : a.sorted()) {
            m.add(v);
        }
        for (long v : b.sorted()) {
            m.add(v);
        }
        return m;
    }
}
