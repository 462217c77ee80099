package net.rrispeaker.config;

import java.time.Duration;

/**
 * {@code rri dampening [HALF-LIFE REUSE SUPPRESS MAX-SUPPRESS]}: route-flap dampening of remote
 * peers, the four numbers of IOS {@code bgp dampening} in its order, times in seconds. Off (no
 * settings) unless configured.
 *
 * @param halfLife    the penalty halves in this time, default 15 min
 * @param reuse       a suppressed peer's routes are announced again when its penalty has decayed to this, default 750
 * @param suppress    a flap that brings the penalty above this suppresses the peer, default 2000
 * @param maxSuppress the longest a peer stays suppressed after its last flap, default 60 min
 */
public record DampeningSettings(Duration halfLife, int reuse, int suppress, Duration maxSuppress) {
    /** IOS's defaults for {@code bgp dampening} without arguments. */
    public static DampeningSettings defaults() {
        return new DampeningSettings(Duration.ofMinutes(15), 750, 2000, Duration.ofMinutes(60));
    }

    /** The ceiling of the penalty, reuse * 2^(max-suppress / half-life): a peer never stays suppressed longer. */
    public double maxPenalty() {
        return reuse * Math.pow(2, (double) maxSuppress.toMillis() / halfLife.toMillis());
    }
}
