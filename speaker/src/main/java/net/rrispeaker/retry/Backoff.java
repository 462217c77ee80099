package net.rrispeaker.retry;

import java.time.Duration;

/**
 * How long to wait before trying a daemon again (charon's VICI socket, gobgpd, FRR's vtysh):
 * {@code min} after the first failure, doubling after each further one up to {@code max}, back to
 * {@code min} once a connection succeeds. Only the arithmetic; the caller does the waiting.
 */
public final class Backoff {
    private final Duration min;
    private final Duration max;
    private Duration next;

    public Backoff(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff: min " + min + " max " + max + " (expected: 0 <= min <= max)");
        }
        this.min = min;
        this.max = max;
        this.next = min;
    }

    /** The wait after this failure; the one after the next failure is twice as long, at most {@code max}. */
    public Duration failed() {
        Duration wait = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return wait;
    }

    /** A connection succeeded: the next failure waits {@code min} again. */
    public void succeeded() {
        next = min;
    }
}
