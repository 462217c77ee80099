package net.rrispeaker.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.BgpConfig;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.RouteKind;
import net.rrispeaker.policy.PolicyDecision;
import net.rrispeaker.policy.PolicyParser;
import net.rrispeaker.policy.PolicySet;
import net.rrispeaker.policy.PrefixList;
import net.rrispeaker.redistribution.Redistributor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Route-map evaluation speed: a 50-sequence route-map whose entries match four
 * prefix-lists of {@code entries} entries each (plus tags on every other entry, deny entries,
 * community and LOCAL_PREF sets, a catch-all at seq 500), evaluated through
 * {@link Redistributor#decide} for a mix of 4,096 routes: half of them inside a list entry, half
 * random /24s in 10/8, tags 100..109. Also the bare lookup in one prefix-list of that size.
 *
 * <p>Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RouteMapBenchmark {
    private static final int LISTS = 4;
    private static final int ROUTES = 4096;

    @Param({"10000", "100000"})
    public int entries;

    private Redistributor redistributor;
    private PrefixList list;
    private Route[] routes;
    private Prefix[] prefixes;
    private int next;

    @Setup
    public void setUp() {
        Random rnd = new Random(7);
        List<String> config = new ArrayList<>();
        List<Prefix> members = new ArrayList<>();
        for (int l = 0; l < LISTS; l++) {
            for (int i = 0; i < entries; i++) {
                int len = 16 + rnd.nextInt(9);
                Prefix p = new Prefix(v4(0x0A000000 | (rnd.nextInt() & 0x00FFFFFF)), len);
                String bounds = switch (rnd.nextInt(4)) {
                    case 0 -> len < 32 ? " le " + Math.min(32, len + 4) : "";
                    case 1 -> len < 28 ? " ge " + (len + 2) + " le " + (len + 4) : "";
                    default -> "";
                };
                String action = rnd.nextInt(10) == 0 ? "deny" : "permit";
                config.add("ip prefix-list PL" + l + " seq " + (i + 1) * 5 + " " + action + " " + p + bounds);
                if (i % 16 == 0) {
                    members.add(p);
                }
            }
        }
        for (int k = 1; k <= 49; k++) {
            config.add("route-map RRI " + (k % 7 == 0 ? "deny" : "permit") + " " + k * 10);
            config.add(" match ip address prefix-list PL" + (k % LISTS));
            if (k % 2 == 1) {
                config.add(" match tag " + (100 + k % 10));
            }
            config.add(" set local-preference " + (100 + k));
            config.add(" set community 65000:" + k + " additive");
        }
        config.add("route-map RRI permit 500");
        config.add(" set community 65000:999 additive");
        PolicySet policies = parse(config);
        BgpConfig.RedistributeStatic rs = new BgpConfig.RedistributeStatic(null, "RRI", "bench", 1);
        BgpConfig bgp = new BgpConfig(65000, Map.of(BgpConfig.AddressFamily.IPV4, rs),
                new BgpConfig.AttributeMapping(65000L, 100L), 1);
        redistributor = new Redistributor(bgp, policies, true);
        list = policies.prefixLists().get("PL0");
        routes = new Route[ROUTES];
        prefixes = new Prefix[ROUTES];
        InetAddress nh = v4(0xC0000201);
        for (int i = 0; i < ROUTES; i++) {
            Prefix p = i % 2 == 0 ? members.get(rnd.nextInt(members.size()))
                    : new Prefix(v4(0x0A000000 | (rnd.nextInt() & 0x00FFFF00)), 24);
            prefixes[i] = p;
            routes[i] = new Route("", p, nh, null, 1, 100 + rnd.nextInt(10), RouteKind.RRI, "bench");
        }
    }

    @Benchmark
    public PolicyDecision evaluate() {
        Route r = routes[next++ & (ROUTES - 1)];
        return redistributor.decide(r);
    }

    @Benchmark
    public boolean prefixListLookup() {
        return list.permits(prefixes[next++ & (ROUTES - 1)]);
    }

    private static PolicySet parse(List<String> lines) {
        PolicyParser parser = new PolicyParser();
        Problems problems = new Problems();
        boolean sub = false;
        int n = 0;
        for (String text : lines) {
            ConfigLine line = new ConfigLine("bench", ++n, text, Arrays.asList(text.strip().split("\\s+")));
            if (sub && parser.subMode(line, problems)) {
                continue;
            }
            parser.closeSubMode();
            sub = parser.topLevel(line, problems);
        }
        parser.closeSubMode();
        PolicySet set = parser.build(problems);
        if (problems.hasErrors()) {
            throw new IllegalStateException(problems.errors().toString());
        }
        return set;
    }

    private static InetAddress v4(int a) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
