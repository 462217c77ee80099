package net.rrispeaker.sink.gobgp;

import java.time.Duration;

/**
 * Tunables of the GoBGP sink; {@link #DEFAULTS} for production, tests shorten the backoff.
 *
 * @param maxPendingKeys how many keys with changes may wait for the worker before it diffs the
 *                       whole desired set instead ({@link PendingPaths}); a burst that large (a
 *                       snapshot after charon restarted, a reload) is about as cheap to diff whole
 */
record SinkSettings(Duration callDeadline, Duration listDeadline, Duration streamTimeout, int pathsPerMessage,
                    int pathsPerStream, Duration backoffMin, Duration backoffMax, int maxPendingKeys) {
    static final SinkSettings DEFAULTS = new SinkSettings(Duration.ofSeconds(5), Duration.ofSeconds(120),
            Duration.ofSeconds(120), 1000, 20_000, Duration.ofMillis(500), Duration.ofSeconds(5), 16_384);
}
