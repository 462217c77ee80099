package net.rrispeaker.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.ios.Tokens;

/**
 * {@code ip route [vrf V] PREFIX MASK {NEXTHOP | IFACE [NEXTHOP]} [DISTANCE] [tag T] [name N] [permanent]}
 * and {@code ipv6 route [vrf V] PREFIX/LEN {NEXTHOP | IFACE [NEXTHOP]} [DISTANCE] [tag T] [name N]}.
 */
final class StaticRouteSection implements ConfigSection {
    final List<StaticRoute> routes = new ArrayList<>();

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        boolean v6 = line.startsWith("ipv6", "route");
        if (!v6 && !line.startsWith("ip", "route")) {
            return false;
        }
        read(line, v6, problems);
        return true;
    }

    private void read(ConfigLine line, boolean v6, Problems problems) {
        String cmd = v6 ? "ipv6 route" : "ip route";
        int i = 2;
        String vrf = "";
        if ("vrf".equalsIgnoreCase(line.token(i))) {
            vrf = Args.name(line, i + 1, "VRF name after vrf", problems);
            if (vrf == null) {
                return;
            }
            i += 2;
        }
        Prefix prefix;
        try {
            if (v6) {
                String p = Args.name(line, i, "prefix (expected: PREFIX/LEN)", problems);
                if (p == null) {
                    return;
                }
                if (!p.contains("/")) {
                    problems.error(line, "ipv6 route prefix '" + Tokens.shown(p) + "' (expected: PREFIX/LEN)");
                    return;
                }
                prefix = Tokens.prefix(p, "prefix");
                i++;
            } else {
                if (line.token(i + 1) == null) {
                    problems.error(line, "missing prefix and mask after ip route (expected: ip route PREFIX MASK NEXTHOP)");
                    return;
                }
                prefix = Tokens.prefixFromMask(line.token(i), line.token(i + 1));
                i += 2;
            }
        } catch (IllegalArgumentException e) {
            problems.error(line, cmd + ": " + e.getMessage());
            return;
        }
        if (prefix.isIpv6() != v6) {
            problems.error(line, cmd + " prefix '" + prefix + "' (expected: an " + (v6 ? "IPv6" : "IPv4") + " prefix)");
            return;
        }
        String iface = null;
        InetAddress nextHop = null;
        String t = line.token(i);
        if (t == null) {
            problems.error(line, "missing next hop or interface in " + cmd + " " + prefix);
            return;
        }
        if (Args.isAddress(t)) {
            nextHop = Tokens.address(t);
            i++;
        } else if (!Tokens.isDigits(t) && !isKeyword(t)) {
            iface = t;
            i++;
            if (line.token(i) != null && Args.isAddress(line.token(i))) {
                nextHop = Tokens.address(line.token(i));
                i++;
            }
        } else {
            problems.error(line, "missing next hop or interface before '" + Tokens.shown(t) + "' in " + cmd + " " + prefix);
            return;
        }
        if (nextHop != null && (nextHop.getAddress().length == 16) != v6) {
            problems.error(line, "next hop '" + Addresses.format(nextHop) + "' is not an " + (v6 ? "IPv6" : "IPv4")
                    + " address");
            return;
        }
        int distance = 1;
        long tag = 0;
        String name = null;
        boolean permanent = false;
        for (; i < line.size(); i++) {
            String k = line.token(i);
            if (Tokens.isDigits(k)) {
                Long d = Args.number(line, i, "distance", 1, 255, problems);
                distance = d == null ? distance : d.intValue();
            } else if (k.equalsIgnoreCase("tag")) {
                Long v = Args.number(line, ++i, "tag", 0, 0xFFFFFFFFL, problems);
                tag = v == null ? tag : v;
            } else if (k.equalsIgnoreCase("name")) {
                name = Args.name(line, ++i, "route name", problems);
            } else if (k.equalsIgnoreCase("permanent")) {
                permanent = true;
            } else if (k.equalsIgnoreCase("track")) {
                i++;
                problems.warning(line, "'track' is not supported: the route is always present");
            } else if (k.equalsIgnoreCase("global") || k.equalsIgnoreCase("multicast") || k.equalsIgnoreCase("unicast")) {
                problems.warning(line, "'" + k + "' in " + cmd + " ignored");
            } else {
                problems.error(line, "unknown keyword '" + Tokens.shown(k) + "' in " + cmd + " " + prefix
                        + " (expected: DISTANCE, tag T, name N, permanent)");
            }
        }
        routes.add(new StaticRoute(vrf, prefix, nextHop, iface, distance, tag, name, permanent, line.file(),
                line.number()));
    }

    private static boolean isKeyword(String t) {
        return switch (t.toLowerCase()) {
            case "tag", "name", "permanent", "track", "global" -> true;
            default -> false;
        };
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        return false;
    }

    @Override
    public void closeSubMode() {
    }
}
