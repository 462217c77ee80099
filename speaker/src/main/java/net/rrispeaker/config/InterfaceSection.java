package net.rrispeaker.config;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.ios.Tokens;

/**
 * {@code interface NAME}: keeps {@code crypto map NAME [redundancy GROUP]},
 * {@code vrf forwarding V} / {@code ip vrf forwarding V}, {@code ip address A M} and
 * {@code tunnel protection ipsec profile P}; other interface lines (HSRP, tunnel settings, speed...)
 * are noted as ignored.
 */
final class InterfaceSection implements ConfigSection {
    /** Interface-level {@code ip X} / {@code ipv6 X} commands (others, like {@code ip route}, are top-level). */
    private static final Set<String> IP_SUB = Set.of("unnumbered", "route-cache", "redirects", "nat", "mtu", "tcp",
            "ospf", "helper-address", "proxy-arp", "unreachables", "directed-broadcast", "access-group", "policy",
            "flow", "virtual-reassembly", "pim", "igmp", "verify", "split-horizon", "summary-address",
            "hello-interval", "hold-time", "authentication", "nhrp", "mroute-cache", "accounting", "inspect", "dhcp",
            "bandwidth-percent", "load-sharing", "rip", "address", "enable", "nd", "traffic-filter", "eigrp",
            "mask-reply", "local-proxy-arp", "irdp", "sap", "wccp", "multicast", "information-reply");
    private static final Set<String> IGNORED = Set.of("standby", "vrrp", "tunnel", "no", "shutdown",
            "duplex", "speed", "mtu", "bandwidth", "delay", "load-interval", "keepalive", "negotiation", "media-type",
            "encapsulation", "service-policy", "zone-member", "nameif", "channel-group", "peer", "ppp", "dialer",
            "pppoe-client", "cdp", "hold-queue", "qos", "snmp", "arp", "logging", "nat", "security-level",
            "switchport", "spanning-tree", "mac-address", "carrier-delay", "dampening", "glbp", "mpls", "pppoe",
            "virtual-template", "ntp", "lldp");

    /** Interfaces in order; values are replaced as lines are read. */
    final Map<String, InterfaceConfig> interfaces = new LinkedHashMap<>();
    private String open;

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        if (!line.startsWith("interface")) {
            return false;
        }
        open = null;
        String name = Args.name(line, 1, "interface name", problems);
        if (name == null) {
            return true;
        }
        String second = line.token(2);
        if (second != null && Character.isDigit(second.charAt(0))) {
            name = name + second; // "FastEthernet 0/0" is FastEthernet0/0
        }
        String n = name;
        interfaces.computeIfAbsent(n, k -> new InterfaceConfig(k, "", null, -1, null, null, null, line.file(),
                line.number()));
        open = name;
        return true;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        if (open == null) {
            return false;
        }
        InterfaceConfig c = interfaces.get(open);
        String cmd = line.token(0).toLowerCase();
        if (cmd.equals("description")) {
            return true;
        }
        if (line.startsWith("crypto", "map")) {
            cryptoMap(c, line, problems);
        } else if (line.startsWith("vrf", "forwarding") || line.startsWith("ip", "vrf", "forwarding")) {
            int i = cmd.equals("ip") ? 3 : 2;
            String vrf = Args.name(line, i, "VRF name after vrf forwarding", problems);
            Args.noMore(line, i + 1, "vrf forwarding NAME", problems);
            if (vrf != null) {
                put(new InterfaceConfig(c.name(), vrf, c.address(), c.prefixLength(), c.cryptoMap(),
                        c.redundancyGroup(), c.tunnelProfile(), c.file(), c.line()));
            }
        } else if (line.startsWith("ip", "address")) {
            address(c, line, problems);
        } else if (line.startsWith("tunnel", "protection", "ipsec", "profile")) {
            String p = Args.name(line, 4, "profile name after tunnel protection ipsec profile", problems);
            if (p != null) {
                put(new InterfaceConfig(c.name(), c.vrf(), c.address(), c.prefixLength(), c.cryptoMap(),
                        c.redundancyGroup(), p, c.file(), c.line()));
            }
        } else if (IGNORED.contains(cmd) || ((cmd.equals("ip") || cmd.equals("ipv6")) && line.size() > 1
                && IP_SUB.contains(line.token(1).toLowerCase()))
                || (cmd.equals("crypto") && !"map".equalsIgnoreCase(line.token(1)) && "ipsec".equalsIgnoreCase(line.token(1))
                && "df-bit".equalsIgnoreCase(line.token(2)))) {
            String why = cmd.equals("standby") || cmd.equals("vrrp")
                    ? "first-hop redundancy is keepalived's job on Linux" : "interface setting, not routing";
            Ignored.note(line, why, problems);
        } else {
            return false;
        }
        return true;
    }

    private void cryptoMap(InterfaceConfig c, ConfigLine line, Problems problems) {
        String map = Args.name(line, 2, "map name after crypto map", problems);
        if (map == null) {
            return;
        }
        String group = null;
        if (line.token(3) != null) {
            if (!line.token(3).equalsIgnoreCase("redundancy")) {
                problems.error(line, "unknown keyword '" + line.token(3) + "' in crypto map " + map
                        + " (expected: redundancy [GROUP])");
                return;
            }
            group = line.token(4) == null ? "" : line.token(4);
        }
        if (c.cryptoMap() != null && !c.cryptoMap().equals(map)) {
            problems.error(line, "interface " + c.name() + " already has crypto map " + c.cryptoMap()
                    + " (one crypto map set per interface)");
            return;
        }
        put(new InterfaceConfig(c.name(), c.vrf(), c.address(), c.prefixLength(), map, group, c.tunnelProfile(),
                c.file(), c.line()));
    }

    private void address(InterfaceConfig c, ConfigLine line, Problems problems) {
        String a = line.token(2);
        if (a != null && (a.equalsIgnoreCase("dhcp") || a.equalsIgnoreCase("negotiated"))) {
            return;
        }
        if ("secondary".equalsIgnoreCase(line.token(4))) {
            return;
        }
        InetAddress addr = Args.address(line, 2, "interface address", problems);
        String mask = line.token(3);
        if (addr == null) {
            return;
        }
        if (mask == null) {
            problems.error(line, "missing mask after ip address " + a);
            return;
        }
        try {
            int len = Tokens.prefixFromMask(a, mask).length();
            put(new InterfaceConfig(c.name(), c.vrf(), addr, len, c.cryptoMap(), c.redundancyGroup(),
                    c.tunnelProfile(), c.file(), c.line()));
        } catch (IllegalArgumentException e) {
            problems.error(line, "ip address " + Tokens.shown(a) + " " + Tokens.shown(mask) + ": " + e.getMessage());
        }
    }

    private void put(InterfaceConfig c) {
        interfaces.put(c.name(), c);
    }

    @Override
    public void closeSubMode() {
        open = null;
    }

    @Override
    public String context() {
        return open == null ? "" : "interface " + open;
    }
}
