package net.rrispeaker.lab;

import java.util.List;

/**
 * Addresses of the redundant-headend lab ({@link HaLab}; TEST-NET-1 and 10.80/10.81 only, used only
 * inside the lab's namespaces).
 *
 * <pre>
 *  ns spokea  ns spokeb            ns wan: bridge br0 (the outside segment, "the Internet")
 *  charon     charon               192.0.2.0/24; VRRP virtual address 192.0.2.254
 *  .11        .12
 *   \          \___________________
 *    \________________             \
 *                     ns pri: .1    ns sec: .2
 *                     charon, gobgpd, speaker (distance 1 = LOCAL_PREF 100),
 *                     keepalived (priority 200 / 100), zebra + bfdd
 *                     core0 10.80.1.1/30     core0 10.80.2.1/30
 *                          \                   /
 *                       ns core: zebra, bgpd, bfdd (10.80.1.2, 10.80.2.2; iBGP AS 65000 to each)
 * </pre>
 *
 * Each spoke has one IKE_SA to each headend and three CHILD_SAs in each (one LAN each):
 * spoke a 10.81.1.0/29, .8/29, .16/29; spoke b 10.81.2.0/29, .8/29, .16/29.
 */
public final class HaTopology {
    public static final String VIP = "192.0.2.254";
    public static final String CORE_LO = "10.80.255.9";
    public static final int TAG = 5;
    public static final String COMMUNITY = Topology.AS + ":" + TAG;
    public static final List<String> SPOKES = List.of("spokea", "spokeb");

    /** One headend: its role name, outside address, core link, loopback, distance, VRRP priority. */
    public record HeadendAddrs(String role, String wan, String core, String coreSide, String lo, String id,
            int distance, int priority) {
        /** LOCAL_PREF at the core: 100 at distance 1, one lower per unit (the speaker's default mapping). */
        public int localPref() {
            return 101 - distance;
        }
    }

    public static final HeadendAddrs PRIMARY = new HeadendAddrs("pri", "192.0.2.1", "10.80.1.1", "10.80.1.2",
            "10.80.255.1", "primary.rri.test", 1, 200);
    public static final HeadendAddrs SECONDARY = new HeadendAddrs("sec", "192.0.2.2", "10.80.2.1", "10.80.2.2",
            "10.80.255.2", "secondary.rri.test", 10, 100);
    public static final List<HeadendAddrs> HEADENDS = List.of(PRIMARY, SECONDARY);

    private HaTopology() {
    }

    /** Outside address of spoke {@code i} (0-based). */
    public static String spokeWan(int i) {
        return "192.0.2." + (11 + i);
    }

    /** The three LANs of spoke {@code i} (0-based), one CHILD_SA each. */
    public static List<String> spokeLans(int i) {
        int s = i + 1;
        return List.of("10.81." + s + ".0/29", "10.81." + s + ".8/29", "10.81." + s + ".16/29");
    }

    /** The first host of {@code lan} with its length ({@code 10.81.1.8/29} gives {@code 10.81.1.9/29}). */
    static String firstHost(String lan) {
        String[] parts = lan.split("/");
        int dot = parts[0].lastIndexOf('.');
        return parts[0].substring(0, dot + 1) + (Integer.parseInt(parts[0].substring(dot + 1)) + 1) + "/" + parts[1];
    }

    /** Every spoke LAN. */
    public static List<String> allLans() {
        return java.util.stream.IntStream.range(0, SPOKES.size()).boxed().flatMap(i -> spokeLans(i).stream()).toList();
    }
}
