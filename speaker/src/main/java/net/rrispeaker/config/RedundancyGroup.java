package net.rrispeaker.config;

import java.util.List;

/**
 * One redundancy group ({@code crypto map NAME redundancy GROUP} on an interface): which keepalived
 * VRRP instance says whether this box is the active one, and what the maps of the group announce
 * while it is not.
 *
 * @param name          the group name, as written after {@code redundancy}
 * @param vrrpInstance  {@code rri redundancy GROUP vrrp-instance NAME}: the keepalived
 *                      {@code vrrp_instance} (or {@code vrrp_sync_group}) whose state is this group's
 * @param standby       what the group's routes become while the instance is not MASTER
 * @param maps          the crypto map sets applied with {@code redundancy GROUP}, in order
 * @param line          the {@code vrrp-instance} line
 */
public record RedundancyGroup(String name, String vrrpInstance, Standby standby, List<String> maps, int line) {

    public RedundancyGroup {
        maps = List.copyOf(maps);
    }

    /**
     * {@code rri redundancy GROUP standby withdraw} (default: {@link #WITHDRAW}) or
     * {@code standby announce [local-preference N] [metric N] [as-path prepend N]}: keep the paths
     * announced with worse attributes, so the upstream has the standby's path already and fails over
     * on the active box's withdraw alone.
     *
     * @param announce  false: withdraw while standby
     * @param localPref LOCAL_PREF instead of the route-map's, or {@code null}
     * @param med       MULTI_EXIT_DISC instead of the route-map's, or {@code null}
     * @param prepend   how many times the local AS is prepended (0..10)
     */
    public record Standby(boolean announce, Long localPref, Long med, int prepend) {
        public static final Standby WITHDRAW = new Standby(false, null, null, 0);

        /** The setting as written in the configuration, for show output. */
        public String text() {
            if (!announce) {
                return "withdraw";
            }
            StringBuilder b = new StringBuilder("announce");
            if (localPref != null) {
                b.append(" local-preference ").append(localPref);
            }
            if (med != null) {
                b.append(" metric ").append(med);
            }
            if (prepend > 0) {
                b.append(" as-path prepend ").append(prepend);
            }
            return b.toString();
        }
    }
}
