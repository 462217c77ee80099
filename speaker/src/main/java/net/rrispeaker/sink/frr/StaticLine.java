package net.rrispeaker.sink.frr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;

/**
 * One FRR static route as staticd prints it in its running configuration, in its VRF:
 * {@code ip route PREFIX [GATEWAY] [IFNAME] [tag T] [DISTANCE]} (IPv6: {@code ipv6 route}); the
 * distance is left out at 1 and the tag at 0, as FRR does. A route the speaker renders and the same
 * route read back from FRR compare equal: lines of that plain form are rebuilt in canonical order
 * with canonical address text. Lines with anything else (table, onlink, label, nexthop-vrf,
 * blackhole, a source prefix...) are an operator's: kept as written ({@link #plain} false).
 *
 * @param vrf      the VRF, {@code ""} for the default one
 * @param text     the line as staticd prints it (outside any {@code vrf} block, no indentation)
 * @param dest     the destination (VRF and prefix) the line is for
 * @param distance administrative distance (1..255)
 * @param tag      route tag, 0 when untagged
 * @param table    the {@code table N} it goes to, 0 for the VRF's own
 * @param plain    of the form the speaker writes (so it may be the speaker's)
 */
public record StaticLine(String vrf, String text, Dest dest, int distance, long tag, long table, boolean plain) {

    /** A destination in FRR: VRF and prefix (canonical text); two routes for one share staticd's route node. */
    public record Dest(String vrf, String prefix) {
    }

    /** A route the speaker cannot write as an FRR static route (bad interface name, mixed families). */
    public static final class RenderException extends Exception {
        public RenderException(String message) {
            super(message, null, false, false);
        }
    }

    /** Keywords after which FRR prints one argument. */
    private static final Set<String> WITH_ARG = Set.of("tag", "table", "label", "nexthop-vrf", "color", "segments",
            "from", "vrf");
    /** Keywords without an argument. */
    private static final Set<String> FLAGS = Set.of("onlink", "blackhole", "reject", "bfd", "multi-hop",
            "source", "profile");

    /** The line for a route of the speaker. */
    public static StaticLine of(Route r) throws RenderException {
        Prefix p = r.prefix();
        String gateway = null;
        if (r.nextHop() != null) {
            boolean v4 = r.nextHop().getAddress().length == 4;
            if (v4 != p.isIpv4()) {
                throw new RenderException("route " + p + ": next hop " + Addresses.format(r.nextHop())
                        + " is of the other address family");
            }
            gateway = Addresses.format(r.nextHop());
        }
        String iface = r.iface();
        if (iface != null && !validName(iface)) {
            throw new RenderException("route " + p + ": interface name '" + iface + "' cannot be written to FRR"
                    + " (expected: one word, no '!' or '#')");
        }
        if (!r.vrf().isEmpty() && !validName(r.vrf())) {
            throw new RenderException("route " + p + ": VRF name '" + r.vrf() + "' cannot be written to FRR");
        }
        String prefix = p.toString();
        return new StaticLine(r.vrf(), render(p.isIpv4(), prefix, gateway, iface, r.tag(), r.distance()),
                new Dest(r.vrf(), prefix), r.distance(), r.tag(), 0, true);
    }

    private static boolean validName(String name) {
        return !name.isEmpty() && name.chars().noneMatch(c -> Character.isWhitespace(c) || c == '!' || c == '#'
                || c < 0x21 || c > 0x7e);
    }

    private static String render(boolean v4, String prefix, String gateway, String iface, long tag, int distance) {
        StringBuilder b = new StringBuilder(v4 ? "ip route " : "ipv6 route ").append(prefix);
        if (gateway != null) {
            b.append(' ').append(gateway);
        }
        if (iface != null) {
            b.append(' ').append(iface);
        }
        if (tag != 0) {
            b.append(" tag ").append(tag);
        }
        if (distance != 1) {
            b.append(' ').append(distance);
        }
        return b.toString();
    }

    /**
     * Reads one line of staticd's configuration ({@code ip route ...} / {@code ipv6 route ...},
     * leading blanks ignored) in {@code vrf}; {@code null} for any other line. Never throws: a
     * line it cannot take apart is kept as an operator's line with the raw prefix text.
     */
    public static StaticLine parse(String vrf, String line) {
        String[] t = line.strip().split("\\s+");
        if (t.length < 3 || !"route".equals(t[1]) || !("ip".equals(t[0]) || "ipv6".equals(t[0]))) {
            return null;
        }
        boolean v4 = "ip".equals(t[0]);
        String raw = String.join(" ", t);
        String prefix = t[2];
        Prefix parsed = null;
        int i = 3;
        try {
            if (v4 && !prefix.contains("/") && t.length > 3 && t[3].matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                parsed = Prefix.fromMask(prefix, t[3]); // ip route A.B.C.D M.M.M.M ...
                i = 4;
            } else {
                parsed = Prefix.parse(prefix);
            }
            prefix = parsed.toString();
        } catch (RuntimeException notAPrefix) {
            // keep the raw text: compares equal to nothing the speaker writes
        }
        String gateway = null;
        String iface = null;
        long tag = 0;
        long table = 0;
        int distance = 1;
        boolean plain = parsed != null;
        List<String> words = new ArrayList<>();
        for (; i < t.length; i++) {
            String w = t[i];
            String lw = w.toLowerCase();
            if (WITH_ARG.contains(lw) && i + 1 < t.length) {
                String arg = t[++i];
                if (lw.equals("tag") && arg.matches("\\d{1,10}")) {
                    tag = Long.parseLong(arg);
                } else if (lw.equals("table") && arg.matches("\\d{1,10}")) {
                    table = Long.parseLong(arg);
                    plain = false;
                } else {
                    plain = false;
                }
            } else if (FLAGS.contains(lw)) {
                plain = false;
            } else if (w.matches("\\d{1,3}") && Integer.parseInt(w) >= 1 && Integer.parseInt(w) <= 255
                    && (gateway != null || iface != null)) {
                distance = Integer.parseInt(w);
            } else if (gateway == null && iface == null && isAddress(w)) {
                gateway = Addresses.format(Addresses.parse(w));
            } else if (iface == null) {
                iface = w;
            } else {
                words.add(w);
                plain = false;
            }
        }
        if (gateway == null && iface == null) {
            plain = false;
        }
        String text = plain ? render(v4, prefix, gateway, iface, tag, distance) : raw;
        return new StaticLine(vrf, text, new Dest(vrf, prefix), distance, tag, table, plain);
    }

    private static boolean isAddress(String w) {
        return (w.matches("\\d{1,3}(\\.\\d{1,3}){3}") || w.contains(":")) && Addresses.isLiteral(w);
    }

    /** The command that removes this route ({@code no ip route ...}). */
    public String removal() {
        return "no " + text;
    }
}
