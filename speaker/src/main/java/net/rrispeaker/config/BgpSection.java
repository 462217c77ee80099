package net.rrispeaker.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;

/**
 * {@code router bgp ASN}: {@code redistribute static [metric N] [route-map NAME]} at the top (IPv4
 * global) or inside {@code address-family ipv4|ipv6 [unicast] [vrf NAME]} ... {@code exit-address-family}.
 * Neighbors and other BGP settings live in gobgpd's own configuration: accepted and noted as ignored.
 */
final class BgpSection implements ConfigSection {
    private static final Set<String> IGNORED = Set.of("bgp", "no", "network", "timers", "synchronization",
            "auto-summary", "maximum-paths", "distance", "default-information", "aggregate-address", "table-map",
            "default-metric", "description", "template", "bmp", "address-family");

    Long asn;
    int line;
    String file;
    final Map<BgpConfig.AddressFamily, BgpConfig.RedistributeStatic> redistribute = new LinkedHashMap<>();
    /** Line of each family's {@code address-family} or {@code redistribute} command, for reference errors. */
    final Map<BgpConfig.AddressFamily, Integer> familyLines = new LinkedHashMap<>();

    private boolean inRouter;
    /** The open address family; {@code null} = router level; {@link #UNSUPPORTED} = an ignored family. */
    private BgpConfig.AddressFamily family;
    private static final BgpConfig.AddressFamily UNSUPPORTED = new BgpConfig.AddressFamily(false, "\0unsupported");

    @Override
    public boolean topLevel(ConfigLine l, Problems problems) {
        if (!l.startsWith("router", "bgp")) {
            return false;
        }
        inRouter = false;
        family = null;
        Long a = parseAsn(l, problems);
        if (a == null) {
            return true;
        }
        if (asn != null && !asn.equals(a)) {
            problems.error(l, "router bgp " + l.token(2) + ": a second BGP AS (router bgp " + asn + " on line " + line + ")");
            return true;
        }
        Args.noMore(l, 3, "router bgp ASN", problems);
        asn = a;
        line = l.number();
        file = l.file();
        inRouter = true;
        return true;
    }

    private static Long parseAsn(ConfigLine l, Problems problems) {
        String t = l.token(2);
        if (t != null && t.matches("\\d{1,5}\\.\\d{1,5}")) {
            String[] p = t.split("\\.");
            long hi = Long.parseLong(p[0]);
            long lo = Long.parseLong(p[1]);
            if (hi <= 65535 && lo <= 65535 && (hi | lo) != 0) {
                return (hi << 16) | lo;
            }
            problems.error(l, "AS number '" + t + "' (expected: 1..4294967295 or X.Y asdot)");
            return null;
        }
        return Args.number(l, 2, "AS number", 1, 0xFFFFFFFFL, problems);
    }

    @Override
    public boolean subMode(ConfigLine l, Problems problems) {
        if (!inRouter) {
            return false;
        }
        String cmd = l.token(0).toLowerCase();
        if (family != null && (cmd.equals("exit-address-family") || cmd.equals("exit"))) {
            family = null;
            return true;
        }
        if (cmd.equals("address-family")) {
            addressFamily(l, problems);
            return true;
        }
        if (cmd.equals("neighbor")) {
            if (family != UNSUPPORTED) {
                Ignored.note(l, "gobgpd's own configuration holds the neighbors", problems);
            }
            return true;
        }
        if (cmd.equals("redistribute")) {
            if (family == UNSUPPORTED) {
                return true;
            }
            if ("static".equalsIgnoreCase(l.token(1))) {
                redistributeStatic(l, problems);
            } else {
                Ignored.note(l, "the speaker redistributes only its own static (RRI and ip route) routes", problems);
            }
            return true;
        }
        if (cmd.equals("bgp") && "router-id".equalsIgnoreCase(l.token(1))) {
            if (Args.address(l, 2, "bgp router-id", problems) != null) {
                Ignored.note(l, "gobgpd's own configuration holds the router-id", problems);
            }
            return true;
        }
        if (IGNORED.contains(cmd)) {
            if (family != UNSUPPORTED) {
                Ignored.note(l, "BGP session settings belong in gobgpd's own configuration", problems);
            }
            return true;
        }
        return false;
    }

    private void addressFamily(ConfigLine l, Problems problems) {
        String afi = l.token(1) == null ? "" : l.token(1).toLowerCase();
        int i = 2;
        if (!afi.equals("ipv4") && !afi.equals("ipv6")) {
            Ignored.note(l, "only ipv4 and ipv6 unicast carry RRI routes", problems);
            family = UNSUPPORTED;
            return;
        }
        String safi = l.token(i) == null ? "unicast" : l.token(i).toLowerCase();
        if (safi.equals("unicast")) {
            i = l.token(i) == null ? i : i + 1;
        } else if (safi.equals("multicast") || safi.equals("mdt") || safi.equals("flowspec")) {
            Ignored.note(l, "only unicast carries RRI routes", problems);
            family = UNSUPPORTED;
            return;
        }
        String vrf = "";
        if (l.token(i) != null) {
            if (!l.token(i).equalsIgnoreCase("vrf")) {
                problems.error(l, "unknown keyword '" + l.token(i) + "' in address-family (expected: unicast, vrf NAME)");
                family = UNSUPPORTED;
                return;
            }
            vrf = Args.name(l, i + 1, "VRF name after vrf", problems);
            Args.noMore(l, i + 2, "address-family " + afi + " vrf NAME", problems);
            if (vrf == null) {
                family = UNSUPPORTED;
                return;
            }
        }
        family = new BgpConfig.AddressFamily(afi.equals("ipv6"), vrf);
        familyLines.putIfAbsent(family, l.number());
    }

    private void redistributeStatic(ConfigLine l, Problems problems) {
        Long metric = null;
        String routeMap = null;
        for (int i = 2; i < l.size(); i++) {
            String k = l.token(i).toLowerCase();
            if (k.equals("metric")) {
                metric = Args.number(l, ++i, "redistribute metric", 0, 0xFFFFFFFFL, problems);
            } else if (k.equals("route-map")) {
                routeMap = Args.name(l, ++i, "route-map name", problems);
            } else {
                problems.error(l, "unknown keyword '" + l.token(i) + "' in redistribute static (expected: metric N, route-map NAME)");
            }
        }
        BgpConfig.AddressFamily af = family == null ? BgpConfig.AddressFamily.IPV4 : family;
        if (redistribute.containsKey(af)) {
            problems.warning(l, "redistribute static for " + af + " replaces the one on line "
                    + redistribute.get(af).line());
        }
        redistribute.put(af, new BgpConfig.RedistributeStatic(metric, routeMap, l.file(), l.number()));
        familyLines.putIfAbsent(af, l.number());
    }

    @Override
    public void closeSubMode() {
        inRouter = false;
        family = null;
    }

    @Override
    public String context() {
        if (!inRouter) {
            return "";
        }
        return "router bgp " + asn + (family == null || family == UNSUPPORTED ? "" : " address-family " + family);
    }

    /** The BGP configuration, or {@code null} if there is no {@code router bgp}. */
    BgpConfig build(RriSection rri, String fileName, Problems problems) {
        if (asn == null) {
            if (rri.tagCommunitySet) {
                problems.warning(fileName, rri.tagCommunityLine, "rri bgp tag-community has no effect without router bgp");
            }
            return null;
        }
        Long communityAsn;
        if (rri.tagCommunitySet) {
            communityAsn = rri.tagCommunityAsn;
        } else if (asn > 65535) {
            problems.error(file, line, "router bgp " + asn + ": tags become communities ASN:TAG, which needs a 16-bit ASN "
                    + "(" + asn + " > 65535; add 'rri bgp tag-community ASN' or 'rri bgp tag-community none')");
            communityAsn = null;
        } else {
            communityAsn = asn;
        }
        return new BgpConfig(asn, redistribute, new BgpConfig.AttributeMapping(communityAsn, rri.localPrefAtDistance1),
                line);
    }
}
