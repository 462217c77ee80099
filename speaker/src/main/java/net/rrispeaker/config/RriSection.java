package net.rrispeaker.config;

import java.time.Duration;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;

/**
 * The Linux-side extension lines {@code rri ...} (see {@link RriSettings} for each line and its
 * default), plus {@code rri bgp tag-community ASN|none} and {@code rri bgp distance-local-pref N|none}
 * which end up in {@link BgpConfig.AttributeMapping}.
 */
final class RriSection implements ConfigSection {
    private static final String EXPECTED = "vici-socket, gobgp-api, control-api, metrics-listen, withdraw-delay, "
            + "source-hold-time, gobgp path-identifier, bgp next-hop, bgp tag-community, bgp distance-local-pref";

    private String vici = RriSettings.DEFAULT_VICI;
    private String gobgp = RriSettings.DEFAULT_GOBGP;
    private String control = RriSettings.DEFAULT_CONTROL;
    private String metrics = RriSettings.DEFAULT_METRICS;
    private Duration withdrawDelay = RriSettings.defaults().withdrawDelay();
    private Duration holdTime = RriSettings.defaults().sourceHoldTime();
    private long pathId = RriSettings.DEFAULT_PATH_ID;
    private boolean nextHopSelf = true;

    /** {@code rri bgp tag-community}: not given, a 16-bit ASN, or none. */
    boolean tagCommunitySet;
    Long tagCommunityAsn;
    int tagCommunityLine;
    boolean localPrefSet;
    Long localPrefAtDistance1 = 100L;
    int localPrefLine;

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        if (!line.startsWith("rri")) {
            return false;
        }
        String k = line.token(1) == null ? "" : line.token(1).toLowerCase();
        switch (k) {
            case "vici-socket" -> {
                vici = path(line, problems, vici);
                Args.noMore(line, 3, "rri vici-socket PATH", problems);
            }
            case "gobgp-api" -> gobgp = endpoint(line, 2, true, problems, gobgp);
            case "control-api" -> control = endpoint(line, 2, true, problems, control);
            case "metrics-listen" -> {
                if ("none".equalsIgnoreCase(line.token(2))) {
                    metrics = null;
                    Args.noMore(line, 3, "rri metrics-listen none", problems);
                } else {
                    metrics = endpoint(line, 2, false, problems, metrics);
                }
            }
            case "withdraw-delay" -> {
                Long ms = Args.number(line, 2, "withdraw-delay milliseconds", 0, 3_600_000, problems);
                withdrawDelay = ms == null ? withdrawDelay : Duration.ofMillis(ms);
                Args.noMore(line, 3, "rri withdraw-delay MS", problems);
            }
            case "source-hold-time" -> {
                Long s = Args.number(line, 2, "source-hold-time seconds", 0, 86_400, problems);
                holdTime = s == null ? holdTime : Duration.ofSeconds(s);
                Args.noMore(line, 3, "rri source-hold-time SECONDS", problems);
            }
            case "gobgp" -> gobgpLine(line, problems);
            case "bgp" -> bgpLine(line, problems);
            default -> problems.error(line, "unknown rri setting '" + (line.token(1) == null ? "" : line.token(1))
                    + "' (expected: " + EXPECTED + ")");
        }
        return true;
    }

    private void gobgpLine(ConfigLine line, Problems problems) {
        if (!"path-identifier".equalsIgnoreCase(line.token(2))) {
            problems.error(line, "unknown rri gobgp setting '" + line.token(2) + "' (expected: path-identifier N)");
            return;
        }
        Long id = Args.number(line, 3, "path-identifier", 1, 0xFFFFFFFFL, problems);
        pathId = id == null ? pathId : id;
        Args.noMore(line, 4, "rri gobgp path-identifier N", problems);
    }

    private void bgpLine(ConfigLine line, Problems problems) {
        String k = line.token(2) == null ? "" : line.token(2).toLowerCase();
        String v = line.token(3);
        switch (k) {
            case "next-hop" -> {
                if ("self".equalsIgnoreCase(v)) {
                    nextHopSelf = true;
                } else if ("route".equalsIgnoreCase(v)) {
                    nextHopSelf = false;
                } else {
                    problems.error(line, "rri bgp next-hop '" + v + "' (expected: self, route)");
                }
            }
            case "tag-community" -> {
                tagCommunitySet = true;
                tagCommunityLine = line.number();
                tagCommunityAsn = "none".equalsIgnoreCase(v) ? null
                        : Args.number(line, 3, "tag-community ASN", 1, 65535, problems);
            }
            case "distance-local-pref" -> {
                localPrefSet = true;
                localPrefLine = line.number();
                localPrefAtDistance1 = "none".equalsIgnoreCase(v) ? null
                        : Args.number(line, 3, "distance-local-pref at distance 1", 0, 0xFFFFFFFFL, problems);
            }
            default -> {
                problems.error(line, "unknown rri bgp setting '" + line.token(2)
                        + "' (expected: next-hop, tag-community, distance-local-pref)");
                return;
            }
        }
        Args.noMore(line, 4, "rri bgp " + k + " VALUE", problems);
    }

    private static String path(ConfigLine line, Problems problems, String old) {
        String p = Args.name(line, 2, "socket path", problems);
        if (p != null && !p.startsWith("/")) {
            problems.error(line, "socket path '" + p + "' (expected: an absolute path)");
            return old;
        }
        return p == null ? old : p;
    }

    /** {@code host:port}, {@code [v6]:port}, or (if allowed) {@code unix:/path}. */
    private static String endpoint(ConfigLine line, int i, boolean unixAllowed, Problems problems, String old) {
        String a = Args.name(line, i, "address (expected: HOST:PORT" + (unixAllowed ? " or unix:PATH)" : ")"), problems);
        if (a == null) {
            return old;
        }
        Args.noMore(line, i + 1, line.token(0) + " " + line.token(1) + " ADDRESS", problems);
        if (unixAllowed && a.startsWith("unix:")) {
            if (!a.startsWith("unix:/")) {
                problems.error(line, "address '" + a + "' (expected: unix:/absolute/path)");
                return old;
            }
            return a;
        }
        int colon = a.lastIndexOf(':');
        String port = colon < 0 ? "" : a.substring(colon + 1);
        String host = colon < 0 ? "" : a.substring(0, colon);
        if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535
                || (host.contains(":") && !(host.startsWith("[") && host.endsWith("]")))) {
            problems.error(line, "address '" + a + "' (expected: HOST:PORT, [IPv6]:PORT" + (unixAllowed ? " or unix:PATH)" : ")"));
            return old;
        }
        return a;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        return false;
    }

    @Override
    public void closeSubMode() {
    }

    RriSettings settings() {
        return new RriSettings(vici, gobgp, control, metrics, withdrawDelay, holdTime, pathId, nextHopSelf);
    }
}
