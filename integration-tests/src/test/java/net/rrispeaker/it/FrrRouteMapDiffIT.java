package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.rrispeaker.config.Config;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.RouteKind;
import net.rrispeaker.it.RouteMapCorpus.PoolRoute;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.Exec;
import net.rrispeaker.lab.FrrRouter;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.policy.PolicyDecision;
import net.rrispeaker.redistribution.Redistributor;
import org.junit.jupiter.api.Test;

/**
 * Differential test of the route-map evaluator against FRR, which no one here wrote.
 *
 * <p>One FRR router (zebra, staticd, bgpd 8.4) in a namespace of its own holds a pool of static
 * routes with tags. For every case (seeded random route-maps, the route-maps of Cisco's examples, one case per
 * documented difference) FRR is reconfigured with vtysh ({@code redistribute static route-map X})
 * and its BGP table is compared, prefix by prefix, with what {@link Redistributor} makes of the same
 * route-map in IOS syntax (parsed by {@link ConfigParser}) for the same routes: present or not,
 * next hop, ORIGIN, MED, LOCAL_PREF, communities, large communities, AS_PATH.
 *
 * <p>Comparison rules (docs/route-maps.md): the speaker's tag-to-community and distance-to-LOCAL_PREF
 * defaults are off ({@code rri bgp tag-community none}, {@code distance-local-pref none}; FRR has
 * neither) and its next hop is the route's ({@code rri bgp next-hop route}, as FRR); a MED the
 * speaker leaves out equals FRR's 0; communities are compared as sets (FRR sorts them). A route on
 * which the two differ only as documented is skipped by the difference's name and counted; every
 * other difference fails the test.
 *
 * <p>Random seed: {@code -Drri.frrdiff.seed=N} (printed), cases: {@code -Drri.frrdiff.cases=N}.
 */
class FrrRouteMapDiffIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENTINEL = FrrRouter.LINK_NET;
    private static final int POOL = 48;
    private static long configNanos;
    private static long readNanos;
    private static int reads;

    @Test
    void speakerAnnouncesWhatFrrAnnouncesForTheSameRouteMaps() throws Exception {
        long seed = Long.getLong("rri.frrdiff.seed", 20260404L);
        int generated = Integer.getInteger("rri.frrdiff.cases", 240);
        System.out.println("frr-diff seed=" + seed + " cases=" + generated
                + " (rerun: -Drri.frrdiff.seed=" + seed + ")");
        RouteMapCorpus corpus = new RouteMapCorpus(seed, POOL);
        List<PoolRoute> pool = corpus.pool();
        List<RouteMapCase> cases = new ArrayList<>(FixedRouteMapCases.ciscoExamples());
        for (int i = 0; i < generated; i++) {
            cases.add(corpus.next(i));
        }
        List<RouteMapCase> differences = FixedRouteMapCases.knownDifferences();

        long t0 = System.nanoTime();
        String statics = pool.stream().map(PoolRoute::staticLine).collect(Collectors.joining("\n", "", "\n"));
        // bgpd applies route-map changes after "bgp route-map delay-timer" (5 s by default): a
        // change made for one case could be re-applied while a later case is read. 0 = at once.
        String bgp = "bgp route-map delay-timer 0\nrouter bgp 65000\n bgp router-id " + FrrRouter.LINK_ADDR
                + "\n redistribute connected\n";
        try (FrrRouter frr = FrrRouter.start(statics, bgp)) {
            Await.until(Duration.ofSeconds(15), pool.size() + " static routes selected in zebra",
                    () -> selectedStatics(frr) == pool.size());
            long t1 = System.nanoTime();
            List<String> failures = new ArrayList<>();
            Map<String, Integer> skipped = new TreeMap<>();
            Map<String, String> skipExample = new TreeMap<>();
            List<String> previous = List.of();
            int routes = 0;
            int announced = 0;
            for (RouteMapCase c : cases) {
                Map<String, String> theirs = frrAnnouncements(frr, c, previous, pool);
                previous = c.frrRemove();
                Map<String, PolicyDecision> decisions = new LinkedHashMap<>();
                Map<String, String> ours;
                try {
                    ours = speakerAnnouncements(c, pool, decisions);
                } catch (ConfigException e) {
                    failures.add(c.name() + ": the speaker rejects what FRR accepts: " + e.getMessage() + "\n" + c.ios());
                    continue;
                }
                // bgpd applies reconfigurations asynchronously (work queues, route-map update
                // timer): a difference counts only if it is still there after FRR had time to settle.
                for (int settle = 0; settle < 4 && !sameOrDocumented(ours, theirs, decisions, pool); settle++) {
                    Thread.sleep(500);
                    theirs = readFrr(frr, pool);
                }
                List<String> diffs = new ArrayList<>();
                for (PoolRoute r : pool) {
                    routes++;
                    String o = ours.get(r.prefix());
                    String t = theirs.get(r.prefix());
                    if (!o.equals("absent")) {
                        announced++;
                    }
                    if (o.equals(t)) {
                        continue;
                    }
                    PolicyDecision d = decisions.get(r.prefix());
                    if (d.reason() == PolicyDecision.Reason.PERMIT_AFTER_CONTINUE && t.equals("absent")) {
                        skipped.merge(FixedRouteMapCases.CONTINUE_FALLTHROUGH, 1, Integer::sum);
                        skipExample.putIfAbsent(FixedRouteMapCases.CONTINUE_FALLTHROUGH, c.name() + " " + r.prefix());
                        continue;
                    }
                    diffs.add("  " + r.staticLine() + "\n    speaker: " + o + "\n    frr:     " + t
                            + "\n    (speaker decision: " + d.reason() + " seq " + d.matchedSeq() + ")");
                }
                if (!diffs.isEmpty()) {
                    failures.add(c.name() + ": " + diffs.size() + " route(s) differ\n" + c.ios()
                            + "frr:\n  " + String.join("\n  ", c.frrDefine()) + "\n"
                            + diffs.stream().limit(5).collect(Collectors.joining("\n")));
                }
            }

            // the documented differences must still show, exactly where documented
            for (RouteMapCase c : differences) {
                Map<String, String> theirs = frrAnnouncements(frr, c, previous, pool);
                previous = c.frrRemove();
                if (c.knownDifference().equals(FixedRouteMapCases.UNDEFINED_LIST)) {
                    assertThrows(ConfigException.class, () -> ConfigParser.parse(c.name(), c.ios()),
                            c.name() + ": the speaker must reject a match on an undefined prefix-list");
                    assertTrue(theirs.values().stream().anyMatch(v -> !v.equals("absent")),
                            c.name() + ": FRR should treat the undefined list as no match and go on to seq 20");
                    System.out.println("frr-diff known difference " + c.knownDifference()
                            + ": speaker rejects the configuration, FRR announces "
                            + theirs.values().stream().filter(v -> !v.equals("absent")).count() + " route(s)");
                    continue;
                }
                Map<String, PolicyDecision> decisions = new LinkedHashMap<>();
                Map<String, String> ours = speakerAnnouncements(c, pool, decisions);
                Optional<String> first = pool.stream().map(PoolRoute::prefix)
                        .filter(p -> !ours.get(p).equals(theirs.get(p)))
                        .map(p -> p + " speaker: " + ours.get(p) + " / frr: " + theirs.get(p)).findFirst();
                assertTrue(first.isPresent(), c.name() + ": documented difference " + c.knownDifference()
                        + " no longer shows; update docs/route-maps.md");
                System.out.println("frr-diff known difference " + c.knownDifference() + ": " + first.get());
            }
            long t2 = System.nanoTime();
            System.out.printf("frr-diff cases=%d (cisco %d, generated %d, known-difference %d) routes=%d "
                            + "announced-by-speaker=%d failures=%d frr-start=%d ms compare=%d ms%n",
                    cases.size() + differences.size(), FixedRouteMapCases.ciscoExamples().size(), generated, differences.size(),
                    routes, announced, failures.size(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
            System.out.printf("frr-diff vtysh configure=%d ms read=%d ms in %d reads%n", configNanos / 1_000_000,
                    readNanos / 1_000_000, reads);
            skipped.forEach((k, v) -> System.out.println("frr-diff skipped as documented difference " + k + ": " + v
                    + " route(s), e.g. " + skipExample.get(k)));
            if (!failures.isEmpty()) {
                fail(failures.size() + " case(s) differ (seed " + seed + "):\n"
                        + failures.stream().limit(8).collect(Collectors.joining("\n\n")));
            }
            assertTrue(announced > routes / 20, "too few routes announced to mean anything: " + announced + " of " + routes);
        }
    }

    /** True if every pool route is announced alike, or differs only as documented (continue fall-through). */
    private static boolean sameOrDocumented(Map<String, String> ours, Map<String, String> theirs,
                                            Map<String, PolicyDecision> decisions, List<PoolRoute> pool) {
        for (PoolRoute r : pool) {
            String o = ours.get(r.prefix());
            String t = theirs.get(r.prefix());
            PolicyDecision d = decisions.get(r.prefix());
            boolean documented = d.reason() == PolicyDecision.Reason.PERMIT_AFTER_CONTINUE && "absent".equals(t);
            if (!o.equals(t) && !documented) {
                return false;
            }
        }
        return true;
    }

    /** Reads FRR's BGP table for every pool prefix, without reconfiguring. */
    private static Map<String, String> readFrr(FrrRouter frr, List<PoolRoute> pool) {
        List<String> show = new ArrayList<>();
        for (PoolRoute p : pool) {
            show.add("show bgp ipv4 unicast " + p.prefix() + " json");
        }
        reads++;
        List<JsonNode> nodes = parse(frr.vtysh("bgpd", show).check().stdout());
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pool.size(); i++) {
            out.put(pool.get(i).prefix(), normalize(nodes.get(i)));
        }
        return out;
    }

    private static int selectedStatics(FrrRouter frr) {
        JsonNode rib = parse(frr.vtysh(List.of("show ip route static json")).check().stdout()).get(0);
        int n = 0;
        for (JsonNode entries : rib) {
            for (JsonNode e : entries) {
                if (e.path("selected").asBoolean(false)) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Reconfigures FRR for {@code c} and reads what its BGP table holds for each pool prefix. The
     * connected subnet is redistributed after the static routes, in the same vtysh call; zebra
     * answers redistribution requests in order, so once it is back in the table every static
     * route has been through the new route-map.
     */
    private static Map<String, String> frrAnnouncements(FrrRouter frr, RouteMapCase c, List<String> previous,
                                                        List<PoolRoute> pool) {
        List<String> cmds = new ArrayList<>(List.of("configure terminal", "router bgp 65000", "no redistribute static",
                "no redistribute connected", "exit"));
        cmds.addAll(previous);
        cmds.addAll(c.frrDefine());
        cmds.addAll(List.of("router bgp 65000", c.frrRedistribute(), "redistribute connected", "end"));
        long t0 = System.nanoTime();
        Exec.Result r = frr.vtysh("bgpd", cmds);
        configNanos += System.nanoTime() - t0;
        if (!r.ok()) {
            fail(c.name() + ": FRR refused the configuration: " + r.stdout().strip() + " " + r.stderr().strip()
                    + "\n" + String.join("\n", cmds));
        }
        List<String> show = new ArrayList<>();
        show.add("show bgp ipv4 unicast " + SENTINEL + " json");
        for (PoolRoute p : pool) {
            show.add("show bgp ipv4 unicast " + p.prefix() + " json");
        }
        long t1 = System.nanoTime();
        List<JsonNode> answers = Await.until(Duration.ofSeconds(10), c.name() + ": FRR redistribution done", () -> {
            reads++;
            List<JsonNode> nodes = parse(frr.vtysh("bgpd", show).check().stdout());
            return nodes.size() == show.size() && nodes.get(0).path("paths").size() > 0
                    ? Optional.of(nodes) : Optional.empty();
        });
        readNanos += System.nanoTime() - t1;
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pool.size(); i++) {
            out.put(pool.get(i).prefix(), normalize(answers.get(i + 1)));
        }
        return out;
    }

    private static String normalize(JsonNode answer) {
        JsonNode paths = answer.path("paths");
        if (paths.size() == 0) {
            return "absent";
        }
        if (paths.size() > 1) {
            return "several paths: " + paths;
        }
        JsonNode p = paths.get(0);
        TreeSet<String> communities = new TreeSet<>();
        for (JsonNode c : p.path("community").path("list")) {
            communities.add(community(c.asText()));
        }
        TreeSet<String> large = new TreeSet<>();
        for (JsonNode c : p.path("largeCommunity").path("list")) {
            large.add(c.asText());
        }
        List<Long> asPath = new ArrayList<>();
        for (JsonNode seg : p.path("aspath").path("segments")) {
            for (JsonNode as : seg.path("list")) {
                asPath.add(as.asLong());
            }
        }
        String origin = switch (p.path("origin").asText()) {
            case "IGP" -> "igp";
            case "EGP" -> "egp";
            case "incomplete" -> "incomplete";
            default -> "?" + p.path("origin").asText();
        };
        return render(p.path("nexthops").path(0).path("ip").asText(), origin, p.path("metric").asLong(0),
                p.has("locPrf") ? p.path("locPrf").asLong() : null, communities, large, asPath);
    }

    private static String community(String frr) {
        return switch (frr) {
            case "noExport", "no-export" -> "65535:65281";
            case "noAdvertise", "no-advertise" -> "65535:65282";
            case "localAs", "local-AS", "noExportSubconfed" -> "65535:65283";
            case "internet" -> "0:0";
            default -> {
                if (!frr.matches("\\d+:\\d+")) {
                    throw new IllegalStateException("FRR community '" + frr + "' (expected: AA:NN or a well-known name)");
                }
                yield frr;
            }
        };
    }

    private static Map<String, String> speakerAnnouncements(RouteMapCase c, List<PoolRoute> pool,
                                                            Map<String, PolicyDecision> decisions)
            throws ConfigException {
        Config config = ConfigParser.parse(c.name(), c.ios());
        Redistributor red = new Redistributor(config.bgp(), config.policies(), config.rri().bgpNextHopSelf());
        Map<String, String> out = new LinkedHashMap<>();
        for (PoolRoute r : pool) {
            Route route = new Route("", Prefix.parse(r.prefix()), address(r.nextHop()), null, 1, r.tag(),
                    RouteKind.MANUAL, "frr-diff");
            decisions.put(r.prefix(), red.decide(route));
            Optional<BgpPath> path = red.apply(route);
            out.put(r.prefix(), path.map(FrrRouteMapDiffIT::normalize).orElse("absent"));
        }
        return out;
    }

    private static String normalize(BgpPath p) {
        TreeSet<String> communities = new TreeSet<>();
        for (long c : p.communities()) {
            communities.add((c >>> 16) + ":" + (c & 0xFFFF));
        }
        TreeSet<String> large = new TreeSet<>();
        for (BgpPath.LargeCommunity l : p.largeCommunities()) {
            large.add(l.global() + ":" + l.local1() + ":" + l.local2());
        }
        String origin = p.origin() == BgpPath.ORIGIN_IGP ? "igp" : p.origin() == BgpPath.ORIGIN_EGP ? "egp" : "incomplete";
        return render(p.nextHop() == null ? "self" : p.nextHop().getHostAddress(), origin,
                p.med() == null ? 0 : p.med(), p.localPref(), communities, large, p.asPathPrepend());
    }

    private static String render(String nextHop, String origin, long med, Long localPref, TreeSet<String> communities,
                                 TreeSet<String> large, List<Long> asPath) {
        return "nh=" + nextHop + " origin=" + origin + " med=" + med + " lp=" + (localPref == null ? "-" : localPref)
                + " comm=" + communities + " large=" + large + " aspath=" + asPath;
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static List<JsonNode> parse(String text) {
        List<JsonNode> nodes = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNext()) {
                nodes.add(it.next());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("vtysh output is not JSON: " + text, e);
        }
        return nodes;
    }
}
