package net.rrispeaker.sink.gobgp;

import java.time.Duration;

/**
 * How long the sink waits before it tries gobgpd again: {@code min} after the first failure,
 * doubling after each further one up to {@code max}, back to {@code min} once a connection
 * succeeds. Only the arithmetic; the worker does the waiting.
 */
final class Backoff {
    private final Duration min;
    private final Duration max;
    private Duration next;

    Backoff(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff: min " + min + " max " + max + " (expected: 0 <= min <= max)");
        }
        this.min = min;
        this.max = max;
        this.next = min;
    }

    /** The wait after this failure; the one after the next failure is twice as long, at most {@code max}. */
    Duration failed() {
        Duration wait = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return wait;
    }

    /** A connection succeeded: the next failure waits {@code min} again. */
    void succeeded() {
        next = min;
    }
}
