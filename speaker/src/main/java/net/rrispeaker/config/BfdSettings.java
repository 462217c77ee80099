package net.rrispeaker.config;

import java.time.Duration;

/**
 * {@code rri bfd ...}: the speaker keeps one BFD session in FRR's bfdd per gobgpd neighbour, so a
 * hung or powered-off headend is noticed by the upstream routers in BFD time (the detection time is
 * the negotiated interval times the multiplier) instead of the BGP hold time. Off unless the file
 * has an {@code rri bfd} line.
 *
 * @param transmitInterval {@code transmit-interval MS}: the desired minimum transmit interval, 10..60000 ms,
 *                         default 300 (bfdd's default)
 * @param receiveInterval  {@code receive-interval MS}: the required minimum receive interval, 10..60000 ms,
 *                         default 300
 * @param detectMultiplier {@code detect-multiplier N}: packets missed before the session is down, 2..255,
 *                         default 3
 * @param vtysh            {@code vtysh PATH}: the vtysh binary, default {@code /usr/bin/vtysh}
 * @param vtySocketDir     {@code vtysh-socket-dir DIR}: the vty socket directory bfdd listens in (vtysh
 *                         {@code --vty_socket}), {@code null} for vtysh's default ({@code /var/run/frr})
 * @param pollInterval     {@code poll-interval SECONDS}: how often the speaker lists gobgpd's neighbours
 *                         and reads bfdd back, 1..3600 s, default 5
 * @param profile          {@code profile NAME}: the bfdd profile that carries the timers and marks the
 *                         peers as the speaker's, default {@code rri-speaker}
 */
public record BfdSettings(int transmitInterval, int receiveInterval, int detectMultiplier, String vtysh,
                          String vtySocketDir, Duration pollInterval, String profile) {

    public static final String DEFAULT_PROFILE = "rri-speaker";

    public static BfdSettings defaults() {
        return new BfdSettings(300, 300, 3, FrrSettings.DEFAULT_VTYSH, null, Duration.ofSeconds(5), DEFAULT_PROFILE);
    }

    /** The vty socket directory in effect (the configured one, else vtysh's default). */
    public String effectiveVtySocketDir() {
        return vtySocketDir == null ? FrrSettings.DEFAULT_VTY_SOCKET_DIR : vtySocketDir;
    }
}
