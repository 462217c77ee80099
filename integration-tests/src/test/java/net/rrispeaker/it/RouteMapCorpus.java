package net.rrispeaker.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.rrispeaker.it.RouteMapCase.AclDef;
import net.rrispeaker.it.RouteMapCase.EntryDef;
import net.rrispeaker.it.RouteMapCase.MapDef;
import net.rrispeaker.it.RouteMapCase.PlEntry;
import net.rrispeaker.it.RouteMapCase.PrefixListDef;
import net.rrispeaker.it.RouteMapCase.SetDef;

/**
 * Seeded generator of the differential corpus: a pool of static routes (prefix, next hop, tag) and
 * random route-maps over it, restricted to what both the speaker (IOS) and FRR implement with the
 * same meaning. The same seed gives the same pool and cases.
 *
 * <p>Kept out on purpose (documented differences or no BGP attribute, see docs/route-maps.md):
 * {@code set tag} (IGP only; with {@code continue} it exposes FRR's immediate sets), OR lists in an
 * entry with {@code continue} (FRR has one value per match line), undefined list references
 * (the speaker rejects them), {@code continue} on deny entries (FRR refuses it), IPv6.
 */
final class RouteMapCorpus {
    /** Next hops of pool routes: on the FRR router's connected subnet. */
    private static final String NH_NET = "10.255.0.";
    private static final long[] TAGS = {0, 0, 5, 5, 10, 100, 65000, 70000, 4294967295L};
    private static final String[][] BASES = {{"10", "81"}, {"10", "82"}, {"10", "90"}, {"172", "16"}, {"192", "168"}};

    /** A static route of the pool. */
    record PoolRoute(String prefix, String nextHop, long tag) {
        String staticLine() {
            return "ip route " + prefix + " " + nextHop + (tag == 0 ? "" : " tag " + tag);
        }
    }

    private final Random rnd;
    private final List<PoolRoute> pool = new ArrayList<>();

    RouteMapCorpus(long seed, int poolSize) {
        this.rnd = new Random(seed);
        Map<String, PoolRoute> byPrefix = new LinkedHashMap<>();
        // routes of Cisco's examples ([RRI-IOS]: 10.81.7.48/29 tag 5; [RRI-SUPP]: 10.81.2.x/29 pools, ACL 1 ranges)
        for (PoolRoute r : List.of(new PoolRoute("10.81.2.0/29", "10.255.0.2", 5),
                new PoolRoute("10.81.2.16/29", "10.255.0.3", 0), new PoolRoute("10.81.2.24/29", "10.255.0.4", 5),
                new PoolRoute("10.81.4.0/28", "10.255.0.5", 10), new PoolRoute("10.81.7.48/29", "10.255.0.6", 5),
                new PoolRoute("10.81.3.0/28", "10.255.0.7", 0), new PoolRoute("192.168.1.0/24", "10.255.0.8", 100))) {
            byPrefix.put(r.prefix(), r);
        }
        while (byPrefix.size() < poolSize) {
            String[] b = BASES[rnd.nextInt(BASES.length)];
            int len = 16 + rnd.nextInt(17);
            long addr = ip(Integer.parseInt(b[0]), Integer.parseInt(b[1]), rnd.nextInt(16), rnd.nextInt(256)) & mask(len);
            String p = text(addr) + "/" + len;
            byPrefix.putIfAbsent(p, new PoolRoute(p, NH_NET + (2 + rnd.nextInt(20)), TAGS[rnd.nextInt(TAGS.length)]));
        }
        pool.addAll(byPrefix.values());
    }

    List<PoolRoute> pool() {
        return pool;
    }

    /** Case {@code n}: a random route-map with its lists. */
    RouteMapCase next(int n) {
        String id = "gen-" + n;
        List<PrefixListDef> pls = new ArrayList<>();
        int plCount = rnd.nextInt(4);
        for (int i = 0; i < plCount; i++) {
            pls.add(prefixList("PL" + n + "_" + i));
        }
        List<AclDef> acls = new ArrayList<>();
        if (rnd.nextInt(3) > 0) {
            acls.add(standardAcl(1 + rnd.nextInt(99)));
        }
        if (rnd.nextBoolean()) {
            acls.add(extendedAcl(100 + rnd.nextInt(100)));
        }
        String mapName = "RM" + n;
        if (rnd.nextInt(40) == 0) { // undefined route-map: both redistribute nothing
            return RouteMapCase.render(id, pls, acls, null, mapName, null, null);
        }
        int entryCount = 1 + rnd.nextInt(5);
        List<Integer> seqs = new ArrayList<>();
        int seq = 0;
        for (int i = 0; i < entryCount; i++) {
            seq += 10 * (1 + rnd.nextInt(2));
            seqs.add(seq);
        }
        List<EntryDef> entries = new ArrayList<>();
        for (int i = 0; i < entryCount; i++) {
            boolean permit = rnd.nextInt(4) > 0;
            Integer cont = null;
            if (permit && rnd.nextInt(3) == 0) {
                int k = rnd.nextInt(4);
                cont = k == 0 || i == entryCount - 1 ? (k == 0 ? 0 : seqs.get(i) + 5)
                        : k == 1 ? seqs.get(i) + 5 : seqs.get(i + 1 + rnd.nextInt(entryCount - 1 - i));
            }
            boolean or = cont == null;
            List<Long> tags = new ArrayList<>();
            List<String> ips = new ArrayList<>();
            String ipKind = null;
            if (rnd.nextInt(5) < 2) {
                int c = or && rnd.nextInt(3) == 0 ? 2 : 1;
                while (tags.size() < c) {
                    long t = TAGS[2 + rnd.nextInt(TAGS.length - 2)];
                    if (!tags.contains(t)) {
                        tags.add(t);
                    }
                }
            }
            int kind = rnd.nextInt(5);
            if (kind < 2 && !pls.isEmpty()) {
                ipKind = "pl";
                int c = or && pls.size() > 1 && rnd.nextInt(3) == 0 ? 2 : 1;
                while (ips.size() < c) {
                    String name = pls.get(rnd.nextInt(pls.size())).name();
                    if (!ips.contains(name)) {
                        ips.add(name);
                    }
                }
            } else if (kind == 2 && !acls.isEmpty()) {
                ipKind = "acl";
                int c = or && acls.size() > 1 && rnd.nextBoolean() ? 2 : 1;
                for (int j = 0; j < c; j++) {
                    ips.add(String.valueOf(acls.get(j).number()));
                }
            }
            List<SetDef> sets = new ArrayList<>();
            int setCount = rnd.nextInt(permit ? 4 : 2);
            for (int j = 0; j < setCount; j++) {
                sets.add(set());
            }
            String description = rnd.nextInt(8) == 0 ? "case " + n + " entry " + seqs.get(i) : null;
            entries.add(new EntryDef(seqs.get(i), permit, description, tags, ipKind, ips, sets, cont));
        }
        Long metric = rnd.nextInt(5) == 0 ? (long) rnd.nextInt(1000) : null;
        return RouteMapCase.render(id, pls, acls, new MapDef(mapName, entries), mapName, metric, null);
    }

    private PrefixListDef prefixList(String name) {
        List<PlEntry> entries = new ArrayList<>();
        int count = 1 + rnd.nextInt(4);
        for (int i = 0; i < count; i++) {
            PoolRoute r = pool.get(rnd.nextInt(pool.size()));
            long addr = parse(r.prefix());
            int rlen = len(r.prefix());
            int kind = rnd.nextInt(4);
            boolean permit = rnd.nextInt(4) > 0;
            int seq = 5 * (i + 1);
            if (kind == 0) { // exactly a pool prefix
                entries.add(new PlEntry(seq, permit, r.prefix(), 0, 0));
            } else {
                int l = Math.max(8, rlen - 1 - rnd.nextInt(8));
                String p = text(addr & mask(l)) + "/" + l;
                int ge = 0;
                int le = 0;
                if (kind == 1) {
                    le = l + 1 + rnd.nextInt(32 - l);
                } else if (kind == 2) {
                    ge = l + 1 + rnd.nextInt(32 - l);
                } else {
                    ge = l + 1 + rnd.nextInt(32 - l);
                    le = ge + rnd.nextInt(33 - ge);
                }
                entries.add(new PlEntry(seq, permit, p, ge, le));
            }
        }
        return new PrefixListDef(name, entries);
    }

    private static final String[] WILDCARDS = {"0.0.0.255", "0.0.255.255", "0.255.255.255", "0.0.1.255",
        "0.0.3.255", "0.0.255.0", "0.0.0.7"};

    private AclDef standardAcl(int number) {
        List<String> lines = new ArrayList<>();
        int count = 1 + rnd.nextInt(3);
        for (int i = 0; i < count; i++) {
            String action = rnd.nextInt(4) > 0 ? "permit " : "deny ";
            PoolRoute r = pool.get(rnd.nextInt(pool.size()));
            int kind = rnd.nextInt(6);
            if (kind == 0) {
                lines.add(action + "any");
            } else if (kind == 1) {
                lines.add(action + "host " + text(parse(r.prefix())));
            } else {
                String w = WILDCARDS[rnd.nextInt(WILDCARDS.length)];
                lines.add(action + text(parse(r.prefix()) & ~parse(w + "/32")) + " " + w);
            }
        }
        return new AclDef(number, lines);
    }

    private AclDef extendedAcl(int number) {
        List<String> lines = new ArrayList<>();
        int count = 1 + rnd.nextInt(3);
        for (int i = 0; i < count; i++) {
            String action = rnd.nextInt(4) > 0 ? "permit ip " : "deny ip ";
            PoolRoute r = pool.get(rnd.nextInt(pool.size()));
            String w = WILDCARDS[rnd.nextInt(WILDCARDS.length)];
            String src = rnd.nextInt(5) == 0 ? "any" : text(parse(r.prefix()) & ~parse(w + "/32")) + " " + w;
            int kind = rnd.nextInt(3);
            String dst = kind == 0 ? "any"
                    : kind == 1 ? text(mask(len(r.prefix()))) + " 0.0.0.0"
                    : "255.255.255.0 0.0.0." + (rnd.nextBoolean() ? "255" : "248");
            lines.add(action + src + " " + dst);
        }
        return new AclDef(number, lines);
    }

    private SetDef set() {
        switch (rnd.nextInt(9)) {
            case 0, 1 -> {
                if (rnd.nextInt(8) == 0) {
                    return SetDef.same("set community none");
                }
                StringBuilder b = new StringBuilder("set community");
                int c = 1 + rnd.nextInt(3);
                String[] wellKnown = {"no-export", "no-advertise", "local-AS"};
                for (int i = 0; i < c; i++) {
                    b.append(' ').append(rnd.nextInt(5) == 0 ? wellKnown[rnd.nextInt(3)]
                            : (64512 + rnd.nextInt(3)) + ":" + rnd.nextInt(20));
                }
                return SetDef.same(b + (rnd.nextInt(3) == 0 ? " additive" : ""));
            }
            case 2 -> {
                return SetDef.same("set large-community 65000:" + rnd.nextInt(5) + ":" + rnd.nextInt(5)
                        + (rnd.nextBoolean() ? " additive" : ""));
            }
            case 3 -> {
                return SetDef.same("set local-preference " + (rnd.nextBoolean() ? 100 + 50 * rnd.nextInt(5) : rnd.nextInt(1000)));
            }
            case 4 -> {
                int k = rnd.nextInt(3);
                return SetDef.same("set metric " + (k == 0 ? "+" : k == 1 ? "-" : "") + rnd.nextInt(500));
            }
            case 5 -> {
                int k = rnd.nextInt(3);
                return k == 0 ? SetDef.same("set origin igp") : k == 1 ? SetDef.same("set origin incomplete")
                        : new SetDef("set origin egp 65100", "set origin egp");
            }
            case 6 -> {
                return SetDef.same("set as-path prepend 6510" + rnd.nextInt(3)
                        + (rnd.nextBoolean() ? " 6520" + rnd.nextInt(3) : ""));
            }
            case 7 -> {
                return SetDef.same("set ip next-hop " + NH_NET + (100 + rnd.nextInt(50)));
            }
            default -> {
                return new SetDef("set metric-type type-" + (1 + rnd.nextInt(2)), null);
            }
        }
    }

    static long ip(int a, int b, int c, int d) {
        return ((long) a << 24) | ((long) b << 16) | ((long) c << 8) | d;
    }

    static long mask(int len) {
        return len == 0 ? 0 : (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
    }

    static long parse(String prefixOrAddress) {
        String a = prefixOrAddress.split("/")[0];
        String[] o = a.split("\\.");
        return ip(Integer.parseInt(o[0]), Integer.parseInt(o[1]), Integer.parseInt(o[2]), Integer.parseInt(o[3]));
    }

    static int len(String prefix) {
        return Integer.parseInt(prefix.split("/")[1]);
    }

    static String text(long addr) {
        return ((addr >> 24) & 255) + "." + ((addr >> 16) & 255) + "." + ((addr >> 8) & 255) + "." + (addr & 255);
    }
}
