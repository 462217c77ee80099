package net.rrispeaker.lab;

import java.util.List;
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
 *
 * <p>{@link #NODES}, {@link #LINKS}, {@link #STUB_LANS} and {@link #ADDRESSES} are what {@link Lab}
 * builds; the containerlab topology of the same lab (docker/containerlab) is checked against them.
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

    /** The lab's nodes, one network namespace each. */
    public static final List<String> NODES = List.of("spoke", "hub", "core");

    /** A veth link between interface {@code ifA} of node {@code a} and {@code ifB} of node {@code b}. */
    public record Link(String a, String ifA, String b, String ifB) {
    }

    public static final List<Link> LINKS = List.of(
            new Link("spoke", "wan0", "hub", "wan0"),
            new Link("hub", "core0", "core", "hub0"));

    /** A stand-in LAN inside one node: a veth pair whose both ends stay there (no dummy interfaces needed). */
    public record StubLan(String node, String dev, String peer) {
    }

    public static final List<StubLan> STUB_LANS = List.of(new StubLan("spoke", "lan0", "lan0p"));

    /** An address of a node's interface (IPv6 ones without duplicate address detection). */
    public record Address(String node, String dev, String cidr) {
        public boolean ipv6() {
            return cidr.contains(":");
        }
    }

    public static final List<Address> ADDRESSES = List.of(
            new Address("spoke", "wan0", SPOKE_WAN + "/30"),
            new Address("spoke", "lan0", SPOKE_LAN4_ADDR),
            new Address("spoke", "lan0", SPOKE_LAN6_ADDR),
            new Address("hub", "wan0", HUB_WAN + "/30"),
            new Address("hub", "core0", HUB_CORE4 + "/30"),
            new Address("hub", "core0", HUB_CORE6 + "/64"),
            new Address("hub", "lo", HUB_LO + "/32"),
            new Address("core", "hub0", CORE_HUB4 + "/30"),
            new Address("core", "hub0", CORE_HUB6 + "/64"),
            new Address("core", "lo", CORE_LO + "/32"));

    /** Nodes that forward between their interfaces. */
    public static final List<String> ROUTERS = List.of("hub");

    /** The daemons each node runs: the hub's are the concentrator, the speaker beside charon and gobgpd. */
    public static final Map<String, List<String>> DAEMONS = Map.of(
            "spoke", List.of("charon"),
            "hub", List.of("charon", "gobgpd", "rri-speaker"),
            "core", List.of("zebra", "bgpd"));

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
