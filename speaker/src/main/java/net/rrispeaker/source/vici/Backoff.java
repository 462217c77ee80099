package net.rrispeaker.source.vici;

/** Reconnect delays: {@code initial}, doubling up to {@code max}; {@link #reset()} after a good connect. */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    Backoff(long initialMillis, long maxMillis) {
        if (initialMillis < 1 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("backoff: " + initialMillis + ".." + maxMillis + " ms (expected: 1 <= initial <= max)");
        }
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.nextMillis = initialMillis;
    }

    /** The delay before the next attempt; each call doubles the following one, up to the maximum. */
    long next() {
        long d = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return d;
    }

    void reset() {
        nextMillis = initialMillis;
    }
}
