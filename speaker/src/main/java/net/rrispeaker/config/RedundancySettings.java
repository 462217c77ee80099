package net.rrispeaker.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Redundancy groups and the shutdown behaviour ({@code rri redundancy ...}, {@code rri shutdown ...}).
 *
 * @param groups        by name, in order of their {@code vrrp-instance} lines
 * @param notifyFifo    {@code rri redundancy notify-fifo PATH}: keepalived's {@code vrrp_notify_fifo}
 *                      (or {@code notify_fifo}) the speaker reads states from; {@code null} = none
 *                      (states then come only through the control API, {@code rri-speaker vrrp-notify})
 * @param keepPathsOnShutdown {@code rri shutdown keep-paths}: a stopping speaker leaves its paths in
 *                      gobgpd (for a restart without flap); default {@code rri shutdown withdraw-paths}
 */
public record RedundancySettings(Map<String, RedundancyGroup> groups, String notifyFifo,
                                 boolean keepPathsOnShutdown) {

    public RedundancySettings {
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    public static RedundancySettings defaults() {
        return new RedundancySettings(Map.of(), null, false);
    }

    /** The group bound to a crypto map set, or {@code null}. */
    public RedundancyGroup groupOfMap(String map) {
        for (RedundancyGroup g : groups.values()) {
            if (g.maps().contains(map)) {
                return g;
            }
        }
        return null;
    }
}
