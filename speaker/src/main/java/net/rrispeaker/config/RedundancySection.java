package net.rrispeaker.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.ios.Tokens;

/**
 * {@code rri redundancy ...} and {@code rri shutdown ...} ({@link RedundancySettings}). Offered lines
 * before {@link RriSection}, so it claims these lines and leaves every other {@code rri} line to it.
 *
 * <pre>
 * rri redundancy GROUP vrrp-instance NAME
 * rri redundancy GROUP standby withdraw
 * rri redundancy GROUP standby announce [local-preference N] [metric N] [as-path prepend N]
 * rri redundancy notify-fifo PATH
 * rri shutdown withdraw-paths | keep-paths
 * </pre>
 *
 * {@link #build} joins them with the interfaces' {@code crypto map NAME redundancy GROUP}. A map
 * whose group no {@code vrrp-instance} binds (a configuration pasted from IOS, where HSRP is on the
 * same box) is a warning: the map is in no group and its routes are announced as without
 * {@code redundancy}, the speaker's behaviour before it knew groups; so is a group no map uses.
 */
final class RedundancySection implements ConfigSection {
    static final int MAX_PREPEND = 10;
    private static final String EXPECTED = "GROUP vrrp-instance NAME, GROUP standby withdraw|announce ..., notify-fifo PATH";

    private record Draft(String instance, int instanceLine, RedundancyGroup.Standby standby, int standbyLine) {
    }

    private final Map<String, Draft> drafts = new LinkedHashMap<>();
    private String fifo;
    private boolean keepPaths;

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        if (!line.startsWith("rri")) {
            return false;
        }
        String k = line.token(1) == null ? "" : line.token(1).toLowerCase();
        if (k.equals("shutdown")) {
            shutdown(line, problems);
            return true;
        }
        if (!k.equals("redundancy")) {
            return false;
        }
        String g = line.token(2);
        if (g == null) {
            problems.error(line, "missing redundancy group (expected: " + EXPECTED + ")");
        } else if (g.equalsIgnoreCase("notify-fifo")) {
            String p = Args.name(line, 3, "FIFO path after rri redundancy notify-fifo", problems);
            Args.noMore(line, 4, "rri redundancy notify-fifo PATH", problems);
            if (p != null && !p.startsWith("/")) {
                problems.error(line, "notify-fifo '" + Tokens.shown(p) + "' (expected: an absolute path)");
            } else if (p != null) {
                fifo = p;
            }
        } else if (!validName(g)) {
            problems.error(line, "redundancy group name '" + Tokens.shown(g) + "' (expected: letters, digits, - _ . :)");
        } else {
            group(g, line, problems);
        }
        return true;
    }

    private void shutdown(ConfigLine line, Problems problems) {
        String v = line.token(2) == null ? "" : line.token(2).toLowerCase();
        switch (v) {
            case "keep-paths" -> keepPaths = true;
            case "withdraw-paths" -> keepPaths = false;
            default -> {
                problems.error(line, "rri shutdown '" + Tokens.shown(v) + "' (expected: withdraw-paths or keep-paths)");
                return;
            }
        }
        Args.noMore(line, 3, "rri shutdown " + v, problems);
    }

    private void group(String g, ConfigLine line, Problems problems) {
        String k = line.token(3) == null ? "" : line.token(3).toLowerCase();
        Draft d = drafts.getOrDefault(g, new Draft(null, 0, RedundancyGroup.Standby.WITHDRAW, 0));
        switch (k) {
            case "vrrp-instance" -> {
                String name = Args.name(line, 4, "VRRP instance name after vrrp-instance", problems);
                Args.noMore(line, 5, "rri redundancy " + g + " vrrp-instance NAME", problems);
                if (name == null) {
                    return;
                }
                if (!validName(name)) {
                    problems.error(line, "VRRP instance name '" + Tokens.shown(name)
                            + "' (expected: letters, digits, - _ . :, as keepalived's vrrp_instance)");
                    return;
                }
                if (d.instance() != null && !d.instance().equals(name)) {
                    problems.error(line, "redundancy group " + g + " is already bound to vrrp-instance "
                            + d.instance() + " (line " + d.instanceLine() + ")");
                    return;
                }
                drafts.put(g, new Draft(name, line.number(), d.standby(), d.standbyLine()));
            }
            case "standby" -> {
                RedundancyGroup.Standby s = standby(g, line, problems);
                if (s != null) {
                    drafts.put(g, new Draft(d.instance(), d.instanceLine(), s, line.number()));
                }
            }
            default -> problems.error(line, "unknown rri redundancy " + g + " setting '" + Tokens.shown(k)
                    + "' (expected: vrrp-instance NAME, standby withdraw, standby announce ...)");
        }
    }

    private static RedundancyGroup.Standby standby(String g, ConfigLine line, Problems problems) {
        String mode = line.token(4) == null ? "" : line.token(4).toLowerCase();
        if (mode.equals("withdraw")) {
            Args.noMore(line, 5, "rri redundancy " + g + " standby withdraw", problems);
            return RedundancyGroup.Standby.WITHDRAW;
        }
        if (!mode.equals("announce")) {
            problems.error(line, "rri redundancy " + g + " standby '" + Tokens.shown(mode)
                    + "' (expected: withdraw, or announce [local-preference N] [metric N] [as-path prepend N])");
            return null;
        }
        Long lp = null;
        Long med = null;
        int prepend = 0;
        int i = 5;
        while (line.token(i) != null) {
            String a = line.token(i).toLowerCase();
            switch (a) {
                case "local-preference" -> {
                    lp = Args.number(line, i + 1, "standby local-preference", 0, 0xFFFFFFFFL, problems);
                    i += 2;
                }
                case "metric" -> {
                    med = Args.number(line, i + 1, "standby metric (MED)", 0, 0xFFFFFFFFL, problems);
                    i += 2;
                }
                case "as-path" -> {
                    if (!"prepend".equalsIgnoreCase(line.token(i + 1))) {
                        problems.error(line, "expected 'as-path prepend COUNT' after standby announce");
                        return null;
                    }
                    Long n = Args.number(line, i + 2, "standby as-path prepend count", 1, MAX_PREPEND, problems);
                    prepend = n == null ? 0 : n.intValue();
                    i += 3;
                }
                default -> {
                    problems.error(line, "unknown standby announce attribute '" + Tokens.shown(a)
                            + "' (expected: local-preference N, metric N, as-path prepend N)");
                    return null;
                }
            }
        }
        if (lp == null && med == null && prepend == 0) {
            problems.error(line, "rri redundancy " + g + " standby announce: name at least one worse attribute "
                    + "(local-preference N, metric N, as-path prepend N), or the standby's paths tie with the active's");
            return null;
        }
        return new RedundancyGroup.Standby(true, lp, med, prepend);
    }

    private static boolean validName(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_' && c != '.' && c != ':') {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        return false;
    }

    @Override
    public void closeSubMode() {
    }

    /** Joins the groups with the crypto maps bound to them (interfaces' {@code crypto map M redundancy G}). */
    RedundancySettings build(String file, Map<String, InterfaceConfig> interfaces, Problems problems) {
        Map<String, List<String>> mapsOf = new LinkedHashMap<>();
        for (InterfaceConfig i : interfaces.values()) {
            if (i.cryptoMap() == null || i.redundancyGroup() == null) {
                continue;
            }
            String g = i.redundancyGroup();
            if (g.isEmpty()) {
                problems.warning(file, i.line(), "interface " + i.name() + ": crypto map " + i.cryptoMap()
                        + " redundancy without a group name: on Linux the map is in no redundancy group and its routes"
                        + " are always announced (expected: crypto map " + i.cryptoMap()
                        + " redundancy GROUP, and rri redundancy GROUP vrrp-instance NAME)");
                continue;
            }
            Draft d = drafts.get(g);
            if (d == null || d.instance() == null) {
                problems.warning(file, i.line(), "interface " + i.name() + ": crypto map " + i.cryptoMap()
                        + " redundancy " + g + ": group " + g + " is bound to no VRRP instance, so the map is in no"
                        + " group and its routes are always announced (expected: rri redundancy " + g
                        + " vrrp-instance NAME)");
                continue;
            }
            List<String> maps = mapsOf.computeIfAbsent(g, k -> new ArrayList<>());
            if (!maps.contains(i.cryptoMap())) {
                maps.add(i.cryptoMap());
            }
        }
        Map<String, String> groupOfMap = new LinkedHashMap<>();
        mapsOf.forEach((g, maps) -> maps.forEach(m -> {
            String other = groupOfMap.putIfAbsent(m, g);
            if (other != null) {
                problems.error(file, drafts.get(g).instanceLine(), "crypto map " + m + " is bound to redundancy groups "
                        + other + " and " + g + " (expected: one group per crypto map set)");
            }
        }));
        Map<String, RedundancyGroup> groups = new LinkedHashMap<>();
        drafts.forEach((g, d) -> {
            if (d.instance() == null) {
                problems.error(file, d.standbyLine(), "redundancy group " + g + " has a standby setting but no "
                        + "vrrp-instance (expected: rri redundancy " + g + " vrrp-instance NAME)");
                return;
            }
            List<String> maps = mapsOf.getOrDefault(g, List.of());
            if (maps.isEmpty()) {
                problems.warning(file, d.instanceLine(), "redundancy group " + g + " is used by no crypto map "
                        + "(expected: crypto map NAME redundancy " + g + " under an interface)");
            }
            groups.put(g, new RedundancyGroup(g, d.instance(), d.standby(), maps, d.instanceLine()));
        });
        if (!groups.isEmpty() && fifo == null) {
            RedundancyGroup first = groups.values().iterator().next();
            problems.warning(file, first.line(), "redundancy groups without rri redundancy notify-fifo: their state "
                    + "comes only from keepalived's notify script (rri-speaker vrrp-notify); until then they are standby");
        }
        return new RedundancySettings(groups, fifo, keepPaths);
    }
}
