package net.rrispeaker.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.Tokens;
import net.rrispeaker.model.BgpPath;

/** Parses one {@code set ...} line of a route-map entry into a {@link SetClause}; throws with the offending token. */
final class SetParser {
    static final String SUPPORTED = "community, large-community, extcommunity rt, local-preference, metric, "
            + "metric-type, origin, as-path prepend, ip next-hop, ipv6 next-hop, tag";

    private SetParser() {
    }

    /** The key under which a clause replaces an earlier one of the same attribute in one entry. */
    static String key(SetClause c) {
        if (c instanceof NextHopSet n) {
            return "next-hop-" + (n.isIpv6() ? "6" : "4");
        }
        return c.getClass().getSimpleName();
    }

    static SetClause parse(ConfigLine line) {
        String what = line.token(1);
        if (what == null) {
            throw new IllegalArgumentException("incomplete 'set' (expected: " + SUPPORTED + ")");
        }
        List<String> args = line.tokens().subList(2, line.size());
        switch (Tokens.lower(what)) {
            case "community":
                return community(args);
            case "large-community":
                return largeCommunity(args);
            case "extcommunity":
                return extCommunity(args);
            case "local-preference":
                return new LocalPrefSet(Tokens.number(one(args, "local-preference"), 0, Tokens.U32, "local-preference"));
            case "metric":
                return metric(one(args, "metric"));
            case "metric-type": {
                String v = Tokens.lower(one(args, "metric-type"));
                // Cisco's RRI route-tag example ([RRI-IOS]) prints "set metric-type type1"; IOS takes it as
                // type-1 (unambiguous keyword).
                if (v.equals("type1") || v.equals("type2")) {
                    v = "type-" + v.charAt(4);
                }
                if (!List.of("type-1", "type-2", "internal", "external").contains(v)) {
                    throw new IllegalArgumentException("metric-type '" + v + "' (expected: type-1, type-2, internal, external)");
                }
                return new MetricTypeSet(v);
            }
            case "origin":
                return origin(args);
            case "as-path":
                return asPath(args);
            case "ip":
            case "ipv6":
                return nextHop(Tokens.is(what, "ipv6"), args);
            case "tag":
                return new TagSet(Tokens.number(one(args, "tag"), 0, Tokens.U32, "tag"));
            default:
                throw new IllegalArgumentException("unknown set '" + what + "' (expected: " + SUPPORTED + ")");
        }
    }

    private static String one(List<String> args, String what) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("set " + what + ": " + args.size() + " values (expected: 1)");
        }
        return args.get(0);
    }

    private static SetClause community(List<String> args) {
        if (args.size() == 1 && Tokens.is(args.get(0), "none")) {
            return new CommunitySet(List.of(), false, true);
        }
        boolean additive = !args.isEmpty() && Tokens.is(args.get(args.size() - 1), "additive");
        List<String> vals = additive ? args.subList(0, args.size() - 1) : args;
        if (vals.isEmpty()) {
            throw new IllegalArgumentException("set community needs a value (expected: AA:NN, NUMBER, internet, "
                    + "no-export, no-advertise, local-AS, gshut, or none)");
        }
        List<Long> out = new ArrayList<>();
        for (String v : vals) {
            out.add(communityValue(v));
        }
        return new CommunitySet(out, additive, false);
    }

    static long communityValue(String v) {
        switch (Tokens.lower(v)) {
            case "internet":
                return 0L;
            case "no-export":
                return 0xFFFFFF01L;
            case "no-advertise":
                return 0xFFFFFF02L;
            case "local-as":
                return 0xFFFFFF03L;
            case "gshut":
                return 0xFFFF0000L;
            default:
                break;
        }
        int colon = v.indexOf(':');
        if (colon < 0) {
            if (!Tokens.isDigits(v)) {
                throw new IllegalArgumentException("community '" + v + "' (expected: AA:NN, NUMBER, internet, "
                        + "no-export, no-advertise, local-AS, gshut)");
            }
            return Tokens.number(v, 0, Tokens.U32, "community");
        }
        long hi = Tokens.number(v.substring(0, colon), 0, 65535, "community '" + v + "' AA");
        long lo = Tokens.number(v.substring(colon + 1), 0, 65535, "community '" + v + "' NN");
        return hi << 16 | lo;
    }

    private static SetClause largeCommunity(List<String> args) {
        if (args.size() == 1 && Tokens.is(args.get(0), "none")) {
            return new LargeCommunitySet(List.of(), false, true);
        }
        boolean additive = !args.isEmpty() && Tokens.is(args.get(args.size() - 1), "additive");
        List<String> vals = additive ? args.subList(0, args.size() - 1) : args;
        if (vals.isEmpty()) {
            throw new IllegalArgumentException("set large-community needs a value (expected: G:L1:L2 or none)");
        }
        List<BgpPath.LargeCommunity> out = new ArrayList<>();
        for (String v : vals) {
            String[] p = v.split(":", -1);
            if (p.length != 3) {
                throw new IllegalArgumentException("large-community '" + v + "' (expected: G:L1:L2)");
            }
            out.add(new BgpPath.LargeCommunity(Tokens.number(p[0], 0, Tokens.U32, "large-community '" + v + "' G"),
                    Tokens.number(p[1], 0, Tokens.U32, "large-community '" + v + "' L1"),
                    Tokens.number(p[2], 0, Tokens.U32, "large-community '" + v + "' L2")));
        }
        return new LargeCommunitySet(out, additive, false);
    }

    private static SetClause extCommunity(List<String> args) {
        if (args.isEmpty() || !Tokens.is(args.get(0), "rt")) {
            throw new IllegalArgumentException("set extcommunity '" + (args.isEmpty() ? "" : args.get(0))
                    + "' (expected: rt ASN:NN...)");
        }
        List<String> vals = new ArrayList<>(args.subList(1, args.size()));
        if (!vals.isEmpty() && Tokens.is(vals.get(vals.size() - 1), "additive")) {
            vals.remove(vals.size() - 1);
        }
        if (vals.isEmpty()) {
            throw new IllegalArgumentException("set extcommunity rt needs a value (expected: ASN:NN or A.B.C.D:NN)");
        }
        vals.replaceAll(v -> Tokens.routeTarget(v, "route-target"));
        return new ExtCommunitySet(vals);
    }

    private static SetClause metric(String v) {
        int sign = v.startsWith("+") ? 1 : v.startsWith("-") ? -1 : 0;
        return new MetricSet(Tokens.number(sign == 0 ? v : v.substring(1), 0, Tokens.U32, "metric"), sign);
    }

    private static SetClause origin(List<String> args) {
        String v = args.isEmpty() ? "" : Tokens.lower(args.get(0));
        switch (v) {
            case "igp":
                one(args, "origin igp");
                return new OriginSet(BgpPath.ORIGIN_IGP);
            case "incomplete":
                one(args, "origin incomplete");
                return new OriginSet(BgpPath.ORIGIN_INCOMPLETE);
            case "egp":
                if (args.size() > 2) {
                    throw new IllegalArgumentException("set origin egp: " + (args.size() - 1) + " values (expected: at most 1 AS)");
                }
                if (args.size() == 2) {
                    Tokens.number(args.get(1), 1, Tokens.U32, "origin egp AS");
                }
                return new OriginSet(BgpPath.ORIGIN_EGP);
            default:
                throw new IllegalArgumentException("origin '" + v + "' (expected: igp, egp [AS], incomplete)");
        }
    }

    private static SetClause asPath(List<String> args) {
        if (args.isEmpty() || !Tokens.is(args.get(0), "prepend")) {
            throw new IllegalArgumentException("set as-path '" + (args.isEmpty() ? "" : args.get(0))
                    + "' (expected: prepend ASN...)");
        }
        if (args.size() < 2) {
            throw new IllegalArgumentException("set as-path prepend needs at least one ASN");
        }
        List<Long> asns = new ArrayList<>();
        for (String a : args.subList(1, args.size())) {
            asns.add(Tokens.number(a, 1, Tokens.U32, "as-path prepend ASN"));
        }
        return new AsPathPrependSet(asns);
    }

    private static SetClause nextHop(boolean v6, List<String> args) {
        String cmd = v6 ? "set ipv6" : "set ip";
        if (args.isEmpty() || !Tokens.is(args.get(0), "next-hop")) {
            throw new IllegalArgumentException("unknown '" + cmd + " " + (args.isEmpty() ? "" : args.get(0))
                    + "' (expected: " + cmd + " next-hop ADDRESS)");
        }
        if (args.size() != 2) {
            throw new IllegalArgumentException(cmd + " next-hop: " + (args.size() - 1) + " values (expected: one address)");
        }
        InetAddress a = Tokens.address(args.get(1));
        if (a == null || (a.getAddress().length == 16) != v6) {
            throw new IllegalArgumentException(cmd + " next-hop '" + args.get(1) + "' (expected: an "
                    + (v6 ? "IPv6" : "IPv4") + " address)");
        }
        return new NextHopSet(a);
    }
}
