package net.rrispeaker.config;

import java.time.Duration;

/**
 * The FRR sink's lines ({@code rri frr ...}): the speaker's routes become FRR static routes
 * (staticd, through vtysh), so that {@code redistribute static} in FRR's OSPF, IS-IS, RIP, EIGRP
 * or BGP sees them. The sink is off unless the file has at least one {@code rri frr} line.
 *
 * @param vtysh          {@code rri frr vtysh PATH}: the vtysh binary, default {@code /usr/bin/vtysh}
 * @param vtySocketDir   {@code rri frr vty-socket DIR}: FRR's vty socket directory (vtysh
 *                       {@code --vty_socket}), {@code null} for vtysh's own default ({@code /var/run/frr})
 * @param batchWindow    {@code rri frr batch-window MS}: changes arriving within this window go to
 *                       FRR in one vtysh transaction, default 100 ms
 * @param stateFile      {@code rri frr state-file PATH}: where the sink records which static routes
 *                       are its own (staticd routes carry no owner), default
 *                       {@code /var/lib/rri-speaker/frr-static-routes}
 * @param resyncInterval {@code rri frr resync-interval SECONDS}: how often the sink re-reads staticd's
 *                       running configuration and repairs any difference, default 300 s; zero: only
 *                       at start, after an FRR restart and after a failed batch
 */
public record FrrSettings(String vtysh, String vtySocketDir, Duration batchWindow, String stateFile,
                          Duration resyncInterval) {

    public static final String DEFAULT_VTYSH = "/usr/bin/vtysh";
    public static final String DEFAULT_STATE_FILE = "/var/lib/rri-speaker/frr-static-routes";
    /** The vty socket directory vtysh uses when none is given (Debian's FRR). */
    public static final String DEFAULT_VTY_SOCKET_DIR = "/var/run/frr";

    public static FrrSettings defaults() {
        return new FrrSettings(DEFAULT_VTYSH, null, Duration.ofMillis(100), DEFAULT_STATE_FILE, Duration.ofSeconds(300));
    }

    /** The vty socket directory in effect (the configured one, else vtysh's default). */
    public String effectiveVtySocketDir() {
        return vtySocketDir == null ? DEFAULT_VTY_SOCKET_DIR : vtySocketDir;
    }
}
