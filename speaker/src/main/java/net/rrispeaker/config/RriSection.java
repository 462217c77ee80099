package net.rrispeaker.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.ios.Tokens;

/**
 * The Linux-side extension lines {@code rri ...} (see {@link RriSettings} for each line and its
 * default), plus {@code rri bgp tag-community ASN|none} and {@code rri bgp distance-local-pref N|none}
 * which end up in {@link BgpConfig.AttributeMapping}.
 */
final class RriSection implements ConfigSection {
    private static final String EXPECTED = "vici-socket, gobgp-api, control-api, metrics-listen, withdraw-delay, "
            + "source-hold-time, source-failure, dampening, gobgp path-identifier, bgp next-hop, bgp tag-community, bgp distance-local-pref";

    private String vici = RriSettings.DEFAULT_VICI;
    private String gobgp = RriSettings.DEFAULT_GOBGP;
    private ControlApiSettings control = RriSettings.defaults().controlApi();
    private String metrics = RriSettings.DEFAULT_METRICS;
    private Duration withdrawDelay = RriSettings.defaults().withdrawDelay();
    private Duration holdTime = RriSettings.defaults().sourceHoldTime();
    private long pathId = RriSettings.DEFAULT_PATH_ID;
    private boolean nextHopSelf = true;
    private boolean keepOnSourceFailure = RriSettings.defaults().keepOnSourceFailure();
    private final List<ControlApiSettings.Publisher> publishers = new java.util.ArrayList<>();

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
            case "gobgp-api" -> {
                gobgp = endpoint(line, 2, true, problems, gobgp);
                Args.noMore(line, 3, "rri gobgp-api ADDRESS", problems);
            }
            case "control-api" -> {
                if ("publisher".equalsIgnoreCase(line.token(2))) {
                    publisher(line, problems);
                } else {
                    control = controlApi(line, problems, control);
                }
            }
            case "metrics-listen" -> {
                if ("none".equalsIgnoreCase(line.token(2))) {
                    metrics = null;
                    Args.noMore(line, 3, "rri metrics-listen none", problems);
                } else {
                    String m = endpoint(line, 2, false, problems, null);
                    Args.noMore(line, 3, "rri metrics-listen HOST:PORT", problems);
                    if (m != null) {
                        metrics = m;
                        if (isWildcard(m)) {
                            problems.warning(line, "metrics endpoint on every address of this host (" + m + "): anyone "
                                    + "who reaches the host can read the speaker's metrics; name one address instead");
                        }
                    }
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
            case "source-failure" -> {
                String v = line.token(2) == null ? "" : line.token(2).toLowerCase();
                switch (v) {
                    case "keep" -> keepOnSourceFailure = true;
                    case "withdraw" -> keepOnSourceFailure = false;
                    default -> problems.error(line, "rri source-failure '" + Tokens.shown(line.token(2))
                            + "' (expected: keep or withdraw)");
                }
                Args.noMore(line, 3, "rri source-failure keep|withdraw", problems);
            }
            case "gobgp" -> gobgpLine(line, problems);
            case "bgp" -> bgpLine(line, problems);
            default -> problems.error(line, "unknown rri setting '" + Tokens.shown(line.token(1))
                    + "' (expected: " + EXPECTED + ")");
        }
        return true;
    }

    private void gobgpLine(ConfigLine line, Problems problems) {
        if (!"path-identifier".equalsIgnoreCase(line.token(2))) {
            problems.error(line, "unknown rri gobgp setting '" + Tokens.shown(line.token(2)) + "' (expected: path-identifier N)");
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
                    problems.error(line, "rri bgp next-hop '" + Tokens.shown(v) + "' (expected: self, route)");
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
                problems.error(line, "unknown rri bgp setting '" + Tokens.shown(line.token(2))
                        + "' (expected: next-hop, tag-community, distance-local-pref)");
                return;
            }
        }
        Args.noMore(line, 4, "rri bgp " + k + " VALUE", problems);
    }

    /** Longest Unix socket path Linux takes ({@code sun_path} is 108 bytes with the closing NUL). */
    static final int MAX_SOCKET_PATH = 107;

    private static String path(ConfigLine line, Problems problems, String old) {
        String p = Args.name(line, 2, "socket path", problems);
        if (p == null) {
            return old;
        }
        String why = socketPathProblem(p);
        if (why != null) {
            problems.error(line, "rri vici-socket: socket path '" + Tokens.shown(p) + "' " + why);
            return old;
        }
        return p;
    }

    private static final String CONTROL_SYNTAX = "rri control-api unix:/PATH [group NAME] | "
            + "rri control-api HOST:PORT tls cert FILE key FILE client-ca FILE";

    /**
     * {@code rri control-api unix:/PATH [group NAME]} or {@code rri control-api HOST:PORT tls cert
     * FILE key FILE client-ca FILE} (the three files in any order). A TCP address without TLS is an
     * error: anyone on the host (or the network) could reload the speaker through it.
     */
    private static ControlApiSettings controlApi(ConfigLine line, Problems problems, ControlApiSettings old) {
        String a = endpoint(line, 2, true, problems, null);
        if (a == null) {
            return old;
        }
        boolean unix = a.startsWith("unix:");
        String group = null;
        boolean tls = false;
        Map<String, String> files = new LinkedHashMap<>();
        int errors = problems.errors().size();
        for (int i = 3; i < line.size(); i++) {
            String k = line.token(i).toLowerCase();
            switch (k) {
                case "group" -> {
                    if (!unix) {
                        problems.error(line, "control-api: 'group' is for a unix: socket (over TCP the client "
                                + "certificate decides who may call)");
                    } else if (group != null) {
                        problems.error(line, "control-api: 'group' given twice");
                    }
                    group = Args.name(line, ++i, "group name after 'group'", problems);
                    if (group != null && !group.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}")) {
                        problems.error(line, "control-api group '" + Tokens.shown(group) + "' (expected: a group name or number)");
                    }
                }
                case "tls" -> {
                    if (unix) {
                        problems.error(line, "control-api: 'tls' is for a TCP address (a unix: socket is guarded by "
                                + "its mode and the caller's credentials)");
                    } else if (tls) {
                        problems.error(line, "control-api: 'tls' given twice");
                    }
                    tls = true;
                }
                case "cert", "key", "client-ca" -> {
                    if (!tls) {
                        problems.error(line, "control-api: '" + k + "' belongs after 'tls' (expected: " + CONTROL_SYNTAX + ")");
                    } else if (files.containsKey(k)) {
                        problems.error(line, "control-api: '" + k + "' given twice");
                    }
                    String f = Args.name(line, ++i, "file after '" + k + "'", problems);
                    if (f != null && !f.startsWith("/")) {
                        problems.error(line, "control-api " + k + " '" + Tokens.shown(f) + "' (expected: an absolute path)");
                    }
                    files.put(k, f);
                }
                default -> problems.error(line, "unexpected '" + Tokens.shown(line.token(i)) + "' after rri control-api " + a
                        + " (expected: " + CONTROL_SYNTAX + ")");
            }
        }
        if (!unix && !tls) {
            problems.error(line, "control-api " + a + " over TCP needs TLS with client certificates: add 'tls cert FILE "
                    + "key FILE client-ca FILE', or use a unix: socket (default " + RriSettings.DEFAULT_CONTROL + ")");
        } else if (tls && !unix) {
            for (String k : List.of("cert", "key", "client-ca")) {
                if (!files.containsKey(k)) {
                    problems.error(line, "control-api tls: missing '" + k + " FILE' (expected: tls cert FILE key FILE "
                            + "client-ca FILE)");
                }
            }
        }
        if (problems.errors().size() > errors) {
            return old;
        }
        if (!unix && isWildcard(a)) {
            problems.warning(line, "control API on every address of this host (" + a + "): reachable from every "
                    + "network the host is on; name one address instead");
        }
        return new ControlApiSettings(a, group, files.get("cert"), files.get("key"), files.get("client-ca"));
    }

    private static final String PUBLISHER_SYNTAX = "rri control-api publisher uid N [name NAME] | "
            + "rri control-api publisher cn COMMON-NAME [name NAME]";

    /**
     * {@code rri control-api publisher uid N [name NAME]} or {@code ... publisher cn CN [name NAME]}:
     * who may publish SA events on the control API (nobody unless a line says so; root and the
     * speaker's own user are not implied: a caller that may reload is not thereby an event source).
     */
    private void publisher(ConfigLine line, Problems problems) {
        String kind = line.token(3) == null ? "" : line.token(3).toLowerCase();
        long uid = -1;
        String cn = null;
        switch (kind) {
            case "uid" -> {
                Long u = Args.number(line, 4, "publisher uid", 0, 4_294_967_294L, problems);
                if (u == null) {
                    return;
                }
                uid = u;
            }
            case "cn" -> {
                cn = Args.name(line, 4, "certificate common name after 'cn'", problems);
                if (cn == null) {
                    return;
                }
                if (cn.length() > 64 || cn.chars().anyMatch(c -> c < 0x21 || c == 0x7F)) {
                    problems.error(line, "control-api publisher cn '" + Tokens.shown(cn)
                            + "' (expected: a certificate common name of at most 64 printable characters)");
                    return;
                }
            }
            default -> {
                problems.error(line, "control-api publisher '" + Tokens.shown(line.token(3)) + "' (expected: "
                        + PUBLISHER_SYNTAX + ")");
                return;
            }
        }
        String name = null;
        if (line.size() > 5) {
            if (!"name".equalsIgnoreCase(line.token(5))) {
                problems.error(line, "unexpected '" + Tokens.shown(line.token(5)) + "' (expected: " + PUBLISHER_SYNTAX + ")");
                return;
            }
            name = Args.name(line, 6, "publisher name after 'name'", problems);
            if (name == null) {
                return;
            }
            if (!name.matches(ControlApiSettings.PUBLISHER_NAME) || name.equals("vici")) {
                problems.error(line, "control-api publisher name '" + Tokens.shown(name) + "' (expected: letters, "
                        + "digits, '.', '_' and '-', at most 64, not 'vici')");
                return;
            }
            Args.noMore(line, 7, PUBLISHER_SYNTAX, problems);
        }
        ControlApiSettings.Publisher p = new ControlApiSettings.Publisher(uid, cn, name);
        if (publishers.contains(p)) {
            problems.warning(line, "control-api " + p + " given twice");
            return;
        }
        publishers.add(p);
    }

    /** True for a {@code HOST:PORT} whose host is the wildcard address ({@code 0.0.0.0}, {@code [::]}). */
    static boolean isWildcard(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return Args.isAddress(host) && Addresses.parse(host).isAnyLocalAddress();
    }

    /**
     * Why {@code p} cannot be a Unix socket path for the daemon, or {@code null}: it must be absolute
     * and fit {@code sun_path}; printable ASCII only, so it means the same file whatever the
     * daemon's locale (a JVM started with LANG=C cannot even name a non-ASCII path).
     */
    static String socketPathProblem(String p) {
        if (!p.startsWith("/")) {
            return "(expected: an absolute path)";
        }
        if (p.length() > MAX_SOCKET_PATH) {
            return "is " + p.length() + " characters long (expected: at most " + MAX_SOCKET_PATH + ")";
        }
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                return "has the character U+" + String.format(java.util.Locale.ROOT, "%04X", (int) c)
                        + " (expected: printable ASCII)";
            }
        }
        return null;
    }

    /**
     * {@code HOST:PORT}, {@code [IPv6]:PORT}, or (if allowed) {@code unix:/PATH} ({@code unix:///PATH}
     * too): checked exactly as the daemon will use it, so what passes here cannot stop the daemon at
     * start. HOST is a dotted quad, a bracketed IPv6 address or a DNS name (letters, digits, '-' and
     * '.'; resolved when the daemon connects or binds); PORT is 1..65535. A unix address is kept as
     * {@code unix:/PATH}.
     */
    private static String endpoint(ConfigLine line, int i, boolean unixAllowed, Problems problems, String old) {
        String forms = "HOST:PORT, [IPv6]:PORT" + (unixAllowed ? " or unix:PATH" : "");
        String a = Args.name(line, i, "address (expected: " + forms + ")", problems);
        if (a == null) {
            return old;
        }
        String cmd = line.token(0) + " " + line.token(1);
        // no "nothing after the address" check here: control-api takes options after it (callers check)
        if (unixAllowed && a.startsWith("unix:")) {
            String p = a.substring("unix:".length());
            p = p.startsWith("//") ? p.substring(2) : p;
            String why = socketPathProblem(p);
            if (why != null) {
                problems.error(line, cmd + ": socket path '" + Tokens.shown(p) + "' in '" + Tokens.shown(a) + "' "
                        + why.replace("(expected: an absolute path)", "(expected: unix:/absolute/path)"));
                return old;
            }
            return "unix:" + p;
        }
        int colon = a.lastIndexOf(':');
        String host = colon < 0 ? "" : a.substring(0, colon);
        String port = colon < 0 ? "" : a.substring(colon + 1);
        if (host.isEmpty() || port.isEmpty() || (host.contains(":") && !(host.startsWith("[") && host.endsWith("]")))) {
            problems.error(line, "address '" + Tokens.shown(a) + "' (expected: " + forms + ")");
            return old;
        }
        if (!Tokens.isDigits(port) || Tokens.value(port) < 1 || Tokens.value(port) > 65535) {
            problems.error(line, cmd + ": port '" + Tokens.shown(port) + "' in '" + Tokens.shown(a)
                    + "' (expected: 1..65535)");
            return old;
        }
        String why = hostProblem(host);
        if (why != null) {
            problems.error(line, cmd + ": host '" + Tokens.shown(host) + "' in '" + Tokens.shown(a) + "' " + why);
            return old;
        }
        return a;
    }

    /** Why {@code host} (from HOST:PORT) is not one the daemon can use, or {@code null}. */
    static String hostProblem(String host) {
        if (host.startsWith("[") || host.endsWith("]")) {
            if (host.length() < 2 || !host.startsWith("[") || !host.endsWith("]")) {
                return "(expected: an IPv6 address inside [ ])";
            }
            String v6 = host.substring(1, host.length() - 1);
            return v6.contains(":") && Tokens.address(v6) != null ? null
                    : "(expected: an IPv6 address inside [ ])";
        }
        boolean numeric = true;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            numeric &= (c >= '0' && c <= '9') || c == '.';
        }
        if (numeric) {
            return Tokens.isDottedQuad(host, false) ? null
                    : "(expected: an IPv4 address of four numbers 0..255 without leading zeros, or a host name)";
        }
        String name = "(expected: an IP address or a host name of ASCII letters, digits, '-' and '.', "
                + "labels of 1..63 characters, at most 253 in all)";
        if (host.length() > 253) {
            return name;
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (String label : h.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return name;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                    return name;
                }
            }
        }
        return null;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        return false;
    }

    @Override
    public void closeSubMode() {
    }

    RriSettings settings() {
        return new RriSettings(vici, gobgp, control.withPublishers(publishers), metrics, withdrawDelay, holdTime, pathId,
                nextHopSelf,
                keepOnSourceFailure);
    }
}
