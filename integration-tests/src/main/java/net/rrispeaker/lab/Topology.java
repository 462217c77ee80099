package net.rrispeaker.lab;

import java.util.Map;

/**
 * Addresses of the lab (TEST-NET-1 and ULA only, used only inside the lab's namespaces).
 *
 * <pre>
 *  ns spoke                       ns hub                              ns core
 *  charon (initiator)             charon (responder)  gobgpd          zebra bgpd
 *  lan0 10.81.2.1/29   wan0 ===== wan0   core0 ==================== hub0
 *       fd00:81:2::1/64 192.0.2.2 192.0.2.1 10.80.12.1/30              10.80.12.2/30
 *                                        fd00:80:12::1/64             fd00:80:12::2/64
 *  IKEv2 + ESP-in-UDP (libipsec)          iBGP AS 65000 over IPv4 and IPv6
 * </pre>
 */
public final class Topology {
    public static final int AS = 65000;
    public static final String SPOKE_WAN = "192.0.2.2";
    public static final String HUB_WAN = "192.0.2.1";
    public static final String SPOKE_LAN4 = "10.81.2.0/29";
    public static final String SPOKE_LAN6 = "fd00:81:2::/64";
    public static final String SPOKE_LAN4_ADDR = "10.81.2.1/29";
    public static final String SPOKE_LAN6_ADDR = "fd00:81:2::1/64";
    public static final String HUB_CORE4 = "10.80.12.1";
    public static final String CORE_HUB4 = "10.80.12.2";
    public static final String HUB_CORE6 = "fd00:80:12::1";
    public static final String CORE_HUB6 = "fd00:80:12::2";
    public static final String HUB_LO = "10.80.255.1";
    public static final String CORE_LO = "10.80.255.2";
    /** Name of the hub's strongSwan connection the speaker's crypto map matches. */
    public static final String HUB_CONNECTION = "spokes";
    /** Name of the spoke's IKE connection and CHILD_SA. */
    public static final String SPOKE_CONNECTION = "hub";
    public static final String SPOKE_CHILD = "lan";

    private Topology() {
    }

    /** Values for the {@code @NAME@} placeholders of the config templates. */
    static Map<String, String> vars() {
        return Map.ofEntries(
                Map.entry("AS", Integer.toString(AS)),
                Map.entry("SPOKE_WAN", SPOKE_WAN), Map.entry("HUB_WAN", HUB_WAN),
                Map.entry("SPOKE_LAN4", SPOKE_LAN4), Map.entry("SPOKE_LAN6", SPOKE_LAN6),
                Map.entry("HUB_CORE4", HUB_CORE4), Map.entry("CORE_HUB4", CORE_HUB4),
                Map.entry("HUB_CORE6", HUB_CORE6), Map.entry("CORE_HUB6", CORE_HUB6),
                Map.entry("HUB_LO", HUB_LO), Map.entry("CORE_LO", CORE_LO));
    }
}
