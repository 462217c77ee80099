package net.rrispeaker.config;

import java.time.Duration;

/**
 * The Linux-side extension lines ({@code rri ...}): where the daemons are and the speaker's own
 * timing. Every field has a documented default (see docs/configuration.md).
 *
 * @param viciSocket      {@code rri vici-socket PATH}, default {@code /var/run/charon.vici}
 * @param gobgpApi        {@code rri gobgp-api ADDRESS}: {@code host:port} or {@code unix:PATH}, default {@code 127.0.0.1:50051}
 * @param controlApi      {@code rri control-api ...}: where the speaker's own gRPC API listens and who
 *                        may use it ({@link ControlApiSettings}), default {@code unix:/run/rri/control.sock}
 * @param metricsListen   {@code rri metrics-listen HOST:PORT | none}: Prometheus endpoint, default
 *                        {@code 127.0.0.1:9433}; {@code null} = off
 * @param withdrawDelay   {@code rri withdraw-delay MS}: how long a route that lost its last owner waits
 *                        before it is withdrawn (absorbs break-before-make reauth), default 200 ms
 * @param sourceHoldTime  {@code rri source-hold-time SECONDS}: how long SAs are kept after the VICI
 *                        connection is lost without a new snapshot, default 10 s
 * @param pathIdentifier  {@code rri gobgp path-identifier N}: the BGP path identifier the speaker puts
 *                        on every path it creates in gobgpd, and by which it recognises them; default 21074
 * @param bgpNextHopSelf  {@code rri bgp next-hop self|route}: announce gobgpd's own address (default)
 *                        or the route's next hop
 * @param keepOnSourceFailure {@code rri source-failure keep|withdraw}: at the end of the hold time,
 *                        when charon was reachable but could not deliver a snapshot (unreadable
 *                        framing, no reply in time), keep the last good state (default) or withdraw;
 *                        a daemon that is gone (socket closed by charon, nothing listening) always
 *                        withdraws, since its tunnels went with it
 */
public record RriSettings(String viciSocket, String gobgpApi, ControlApiSettings controlApi, String metricsListen,
                          Duration withdrawDelay, Duration sourceHoldTime, long pathIdentifier,
                          boolean bgpNextHopSelf, boolean keepOnSourceFailure) {

    public static final String DEFAULT_VICI = "/var/run/charon.vici";
    public static final String DEFAULT_GOBGP = "127.0.0.1:50051";
    /** The control API's default address: a Unix socket only root and the speaker's own user reach. */
    public static final String DEFAULT_CONTROL = "unix:/run/rri/control.sock";
    public static final String DEFAULT_METRICS = "127.0.0.1:9433";
    public static final long DEFAULT_PATH_ID = 21074;

    public static RriSettings defaults() {
        return new RriSettings(DEFAULT_VICI, DEFAULT_GOBGP, ControlApiSettings.unix(DEFAULT_CONTROL), DEFAULT_METRICS,
                Duration.ofMillis(200), Duration.ofSeconds(10), DEFAULT_PATH_ID, true, true);
    }
}
