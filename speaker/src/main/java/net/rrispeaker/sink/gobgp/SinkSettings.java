package net.rrispeaker.sink.gobgp;

import java.time.Duration;

/** Tunables of the GoBGP sink; {@link #DEFAULTS} for production, tests shorten the backoff. */
record SinkSettings(Duration callDeadline, Duration listDeadline, Duration streamTimeout, int pathsPerMessage,
                    int pathsPerStream, Duration backoffMin, Duration backoffMax) {
    static final SinkSettings DEFAULTS = new SinkSettings(Duration.ofSeconds(5), Duration.ofSeconds(120),
            Duration.ofSeconds(120), 1000, 20_000, Duration.ofMillis(500), Duration.ofSeconds(5));
}
