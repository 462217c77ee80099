package net.rrispeaker.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.ios.Tokens;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.policy.PolicySet;

/**
 * The prefix guard's lines ({@link GuardSettings} has each one's meaning and default):
 * <pre>
 * rri guard min-length ipv4|ipv6 N
 * rri guard own PREFIX | ADDRESS [MASK]
 * rri guard pool prefix-list NAME
 * rri guard max-routes N
 * rri guard max-routes-per-peer N
 * rri guard overlap refuse|permit
 * [no] rri guard martians
 * </pre>
 * and, in a crypto map entry, dynamic-map entry or IPsec profile, {@code set reverse-route pool
 * prefix-list NAME} ({@link #entryPool}, called by the entry's sub-mode reader). One-line commands.
 * Prefix-list names are checked once the whole file is read ({@link #build}).
 */
final class GuardSection implements ConfigSection {
    static final long MAX_ROUTES_LIMIT = 100_000_000L;
    private static final String EXPECTED = "min-length ipv4|ipv6 N, own PREFIX, pool prefix-list NAME, max-routes N, "
            + "max-routes-per-peer N, overlap refuse|permit, martians";

    private boolean martians = true;
    private int minV4 = GuardSettings.DEFAULT_MIN_LENGTH_IPV4;
    private int minV6 = GuardSettings.DEFAULT_MIN_LENGTH_IPV6;
    private final List<Prefix> own = new ArrayList<>();
    private String pool;
    private int poolLine;
    private long maxRoutes = GuardSettings.DEFAULT_MAX_ROUTES;
    private long maxPerPeer = GuardSettings.DEFAULT_MAX_ROUTES_PER_PEER;
    private boolean overlapPermit;

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        if (line.startsWith("no", "rri", "guard")) {
            if ("martians".equalsIgnoreCase(line.token(3))) {
                martians = false;
                Args.noMore(line, 4, "no rri guard martians", problems);
                problems.warning(line, "no rri guard martians: selectors in special-use ranges (loopback, "
                        + "link-local, multicast, ...) are announced; this is discouraged");
            } else {
                problems.error(line, "unknown command 'no rri guard " + Tokens.shown(line.token(3))
                        + "' (expected: no rri guard martians)");
            }
            return true;
        }
        if (!line.startsWith("rri", "guard")) {
            return false;
        }
        String k = line.token(2) == null ? "" : line.token(2).toLowerCase();
        switch (k) {
            case "martians" -> {
                martians = true;
                Args.noMore(line, 3, "rri guard martians", problems);
            }
            case "min-length" -> minLength(line, problems);
            case "own" -> ownPrefix(line, problems);
            case "pool" -> {
                String name = poolName(line, 3, "rri guard pool prefix-list NAME", problems);
                if (name != null) {
                    pool = name;
                    poolLine = line.number();
                }
            }
            case "max-routes" -> {
                Long n = Args.number(line, 3, "max-routes", 1, MAX_ROUTES_LIMIT, problems);
                maxRoutes = n == null ? maxRoutes : n;
                Args.noMore(line, 4, "rri guard max-routes N", problems);
            }
            case "max-routes-per-peer" -> {
                Long n = Args.number(line, 3, "max-routes-per-peer", 1, MAX_ROUTES_LIMIT, problems);
                maxPerPeer = n == null ? maxPerPeer : n;
                Args.noMore(line, 4, "rri guard max-routes-per-peer N", problems);
            }
            case "overlap" -> {
                String v = line.token(3);
                if ("refuse".equalsIgnoreCase(v)) {
                    overlapPermit = false;
                } else if ("permit".equalsIgnoreCase(v)) {
                    overlapPermit = true;
                } else {
                    problems.error(line, (v == null ? "missing value after rri guard overlap" : "rri guard overlap '"
                            + Tokens.shown(v) + "'") + " (expected: refuse, permit)");
                    return true;
                }
                Args.noMore(line, 4, "rri guard overlap refuse|permit", problems);
            }
            default -> problems.error(line, (k.isEmpty() ? "missing rri guard setting" : "unknown rri guard setting '"
                    + Tokens.shown(line.token(2)) + "'") + " (expected: " + EXPECTED + ")");
        }
        return true;
    }

    private void minLength(ConfigLine line, Problems problems) {
        String family = line.token(3) == null ? "" : line.token(3).toLowerCase();
        switch (family) {
            case "ipv4" -> {
                Long n = Args.number(line, 4, "min-length ipv4", 0, 32, problems);
                minV4 = n == null ? minV4 : n.intValue();
            }
            case "ipv6" -> {
                Long n = Args.number(line, 4, "min-length ipv6", 0, 128, problems);
                minV6 = n == null ? minV6 : n.intValue();
            }
            default -> {
                problems.error(line, (family.isEmpty() ? "missing address family after rri guard min-length"
                        : "rri guard min-length '" + Tokens.shown(line.token(3)) + "'") + " (expected: ipv4 N, ipv6 N)");
                return;
            }
        }
        Args.noMore(line, 5, "rri guard min-length " + family + " N", problems);
    }

    private void ownPrefix(ConfigLine line, Problems problems) {
        String t = line.token(3);
        if (t == null) {
            problems.error(line, "missing prefix after rri guard own (expected: PREFIX/LENGTH, ADDRESS or ADDRESS MASK)");
            return;
        }
        Prefix p;
        int next = 4;
        try {
            if (t.contains("/")) {
                String addr = t.substring(0, t.indexOf('/'));
                if (!Args.isAddress(addr) || !t.substring(t.indexOf('/') + 1).matches("\\d{1,3}")) {
                    throw new IllegalArgumentException("not a prefix");
                }
                p = Prefix.parse(t);
                if (!p.network().equals(Addresses.parse(addr))) {
                    problems.error(line, "own prefix '" + t + "' has host bits set (expected: " + p + ")");
                    return;
                }
            } else if (Args.isAddress(t) && Args.isAddress(line.token(4)) && !t.contains(":")) {
                next = 5;
                p = Prefix.fromMask(t, line.token(4));
                if (!p.network().equals(Addresses.parse(t))) {
                    problems.error(line, "own prefix '" + t + " " + line.token(4) + "' has host bits set (expected: "
                            + p.address() + " " + p.maskText() + ")");
                    return;
                }
            } else if (Args.isAddress(t)) {
                p = Prefix.host(Addresses.parse(t));
            } else {
                throw new IllegalArgumentException("not a prefix");
            }
        } catch (IllegalArgumentException e) {
            problems.error(line, "own prefix '" + Tokens.shown(t) + (next == 5 ? " " + Tokens.shown(line.token(4)) : "")
                    + "' is not a prefix (expected: PREFIX/LENGTH, ADDRESS or ADDRESS MASK)");
            return;
        }
        Args.noMore(line, next, "rri guard own PREFIX", problems);
        if (!own.contains(p)) {
            own.add(p);
        }
    }

    /** {@code ... pool prefix-list NAME} from token {@code i} (the word {@code prefix-list}) on. */
    private static String poolName(ConfigLine line, int i, String command, Problems problems) {
        if (!"prefix-list".equalsIgnoreCase(line.token(i))) {
            problems.error(line, (line.token(i) == null ? "missing 'prefix-list NAME'" : "unexpected '" + Tokens.shown(line.token(i))
                    + "'") + " (expected: " + command + ")");
            return null;
        }
        String name = Args.name(line, i + 1, "prefix-list name (expected: " + command + ")", problems);
        if (name != null) {
            Args.noMore(line, i + 2, command, problems);
        }
        return name;
    }

    /** {@code set reverse-route pool prefix-list NAME} in an entry's sub-mode. */
    static void entryPool(EntryDraft d, ConfigLine line, Problems problems) {
        String name = poolName(line, 3, "set reverse-route pool prefix-list NAME", problems);
        if (name != null) {
            d.pool = name;
            d.poolLine = line.number();
        }
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        return false;
    }

    @Override
    public void closeSubMode() {
    }

    /** The settings, once the whole file (prefix-lists included) is read; pools must name a prefix-list. */
    GuardSettings build(String file, CryptoSection crypto, PolicySet policies, Problems problems) {
        if (pool != null) {
            checkPool(file, poolLine, "rri guard pool", pool, policies, problems);
        }
        Map<String, String> entryPools = new LinkedHashMap<>();
        for (Map<Integer, EntryDraft> set : crypto.cryptoMaps.values()) {
            set.values().forEach(d -> entryPool(file, d, d.toEntry().owner(), entryPools, policies, problems));
        }
        for (Map<Integer, EntryDraft> set : crypto.dynamicMaps.values()) {
            set.values().forEach(d -> entryPool(file, d, d.toEntry().owner(), entryPools, policies, problems));
        }
        crypto.ipsecProfiles.values().forEach(d -> entryPool(file, d, "profile " + d.map, entryPools, policies, problems));
        return new GuardSettings(martians, minV4, minV6, own, pool, maxRoutes, maxPerPeer, overlapPermit, entryPools);
    }

    private static void entryPool(String file, EntryDraft d, String origin, Map<String, String> out, PolicySet policies,
                                  Problems problems) {
        if (d.pool != null) {
            checkPool(file, d.poolLine, origin + ": set reverse-route pool", d.pool, policies, problems);
            out.put(origin, d.pool);
        }
    }

    private static void checkPool(String file, int line, String what, String name, PolicySet policies,
                                  Problems problems) {
        boolean v4 = policies.prefixLists().containsKey(name);
        boolean v6 = policies.ipv6PrefixLists().containsKey(name);
        if (!v4 && !v6) {
            problems.error(file, line, what + ": prefix-list '" + name + "' is not defined (expected: ip prefix-list "
                    + name + " and/or ipv6 prefix-list " + name + ")");
        } else if (!v4 || !v6) {
            problems.warning(file, line, what + ": there is no " + (v4 ? "ipv6" : "ip") + " prefix-list " + name
                    + ", so every " + (v4 ? "IPv6" : "IPv4") + " selector is refused");
        }
    }
}
