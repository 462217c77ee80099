package net.rrispeaker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.rrispeaker.config.FrrSettings;
import net.rrispeaker.lab.Exec;
import net.rrispeaker.lab.FrrRouter;
import net.rrispeaker.lab.OspfEdge;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.RouteKind;
import net.rrispeaker.sink.frr.FrrSink;

/**
 * N routes into a real FRR (zebra + staticd in a network namespace of their own, {@link FrrRouter}):
 * how long until zebra's RIB holds all N static routes, and (modes {@code ospf}, {@code churn})
 * until they are OSPF external LSAs at an OSPF neighbour ({@link OspfEdge}). Not a test: a plain
 * {@code main}; see docs/benchmarks.md, "Routes into FRR". Root only (network namespaces).
 *
 * <p>Modes, each against a fresh FRR: {@code vtysh} the same N lines the sink writes, in one
 * {@code vtysh -d staticd -f FILE} (the floor); {@code sink} an {@link FrrSink} from cold start
 * given the complete set; {@code burst} the sink given N one-route changes in a row (N tunnels
 * coming up), which its batch window folds into few transactions; {@code resync} a second sink
 * started against the populated FRR with the first one's state file (a speaker restart: must
 * write nothing); {@code ospf} the {@code vtysh -f} ceiling and the sink's cold start into a hub
 * FRR that redistributes static into OSPF, clocked at the hub's RIB and at the edge's LSDB;
 * {@code churn} one-route ups and downs at a fixed rate with the N established, per-event
 * latency to the edge's LSA. Options: {@code --size 10000}, {@code --window-ms 100}, {@code
 * --modes vtysh,sink,resync,burst} (the default; add {@code ospf}, {@code churn}), {@code --rate
 * 100}, {@code --seconds 30} and {@code --hold 5} (churn: events per second, duration, seconds
 * each churned route stays up).
 */
public final class FrrSinkBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(10);
    private static final Set<String> RIB_MODES = Set.of("vtysh", "sink", "resync", "burst");

    private FrrSinkBench() {
    }

    public static void main(String[] args) throws Exception {
        int size = 10_000;
        long windowMs = 100;
        int rate = 100;
        int seconds = 30;
        int hold = 5;
        Set<String> modes = new LinkedHashSet<>(RIB_MODES);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--window-ms" -> windowMs = Long.parseLong(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--hold" -> hold = Integer.parseInt(args[++i]);
                case "--modes" -> modes = new LinkedHashSet<>(List.of(args[++i].split(",")));
                default -> throw new IllegalArgumentException("option " + args[i]
                        + " (expected: --size N, --window-ms MS, --modes vtysh,sink,burst,ospf,churn, --rate N, --seconds S, --hold S)");
            }
        }
        for (String m : modes) {
            if (!RIB_MODES.contains(m) && !m.equals("ospf") && !m.equals("churn")) {
                throw new IllegalArgumentException("mode " + m + " (expected: vtysh, sink, burst, ospf, churn)");
            }
        }
        List<Route> routes = routes(size);
        System.out.printf("FRR %s, %d routes, batch window %d ms, load average %s%n", frrVersion(), size, windowMs,
                load());
        if (modes.contains("ospf")) {
            ospf(routes, windowMs);
        }
        if (modes.contains("churn")) {
            churn(routes, windowMs, rate, seconds, hold);
        }
        if (modes.stream().noneMatch(RIB_MODES::contains)) {
            return;
        }
        System.out.println("| mode | seconds to all N in zebra's RIB | vtysh transactions | note |");
        System.out.println("|---|---|---|---|");
        if (modes.contains("vtysh")) {
            vtyshFloor(routes);
        }
        if (modes.contains("sink") || modes.contains("resync")) {
            sinkAndResync(routes, windowMs);
        }
        if (modes.contains("burst")) {
            burst(routes, windowMs);
        }
    }

    private static void vtyshFloor(List<Route> routes) throws Exception {
        try (FrrRouter frr = FrrRouter.start("", "")) {
            Path file = staticFile(routes);
            try {
                long t0 = System.nanoTime();
                vtyshFile(frr.dir(), file);
                awaitRib(frr.dir(), routes.size());
                row("vtysh", t0, "1", "one `vtysh -f` of the same lines");
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The lines the sink would write for {@code routes}, in a temp file. */
    private static Path staticFile(List<Route> routes) throws IOException {
        Path file = Files.createTempFile("rri-frr-bench-", ".conf");
        StringBuilder b = new StringBuilder();
        for (Route r : routes) {
            b.append("ip route ").append(r.prefix()).append(' ').append(r.nextHop().getHostAddress())
                    .append(" tag 5 20\n");
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static void vtyshFile(Path vtyDir, Path file) {
        Exec.run(WAIT, Map.of(), List.of("vtysh", "--vty_socket", vtyDir.toString(), "-d", "staticd", "-f",
                file.toString())).check();
    }

    /**
     * Mode {@code ospf}: the hub FRR of {@link OspfEdge} (zebra, staticd, ospfd with {@code
     * redistribute static route-map}) and its OSPF neighbour, the edge. Each run against a fresh
     * pair: the N lines by one {@code vtysh -f} (the ceiling), then an {@link FrrSink} from cold
     * start given the complete set (N SAs up). Two clocks: all N static routes in the hub's RIB,
     * and all N type-5 LSAs in the edge's database.
     */
    private static void ospf(List<Route> routes, long windowMs) throws Exception {
        int size = routes.size();
        System.out.println("| mode | s to all N in the hub's RIB | s to all N external LSAs at the edge | vtysh transactions"
                + " | load before / after | note |");
        System.out.println("|---|---|---|---|---|---|");
        try (OspfEdge e = OspfEdge.startAlone("")) {
            Path file = staticFile(routes);
            try {
                String load = load();
                long t0 = System.nanoTime();
                vtyshFile(e.hubDir(), file);
                long rib = awaitRib(e.hubDir(), size) - t0;
                long lsa = awaitEdgeExternals(e, size) - t0;
                System.out.printf("| ospf-vtysh | %.2f | %.2f | 1 | %s / %s | one `vtysh -f` of the same lines |%n",
                        rib / 1e9, lsa / 1e9, load, load());
            } finally {
                Files.deleteIfExists(file);
            }
        }
        Path state = Files.createTempFile("rri-frr-bench-", ".state");
        try (OspfEdge e = OspfEdge.startAlone("")) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            String load = load();
            long t0 = System.nanoTime();
            try (FrrSink sink = new FrrSink(settings(e.hubDir(), windowMs, state), registry)) {
                sink.start();
                sink.resync(routes);
                long rib = awaitRib(e.hubDir(), size) - t0;
                long lsa = awaitEdgeExternals(e, size) - t0;
                await(sink);
                System.out.printf("| ospf-sink | %.2f | %.2f | %d | %s / %s | `FrrSink` cold start, complete set |%n",
                        rib / 1e9, lsa / 1e9, transactions(registry), load, load());
            }
        } finally {
            Files.deleteIfExists(state);
        }
    }

    /**
     * Mode {@code churn}: with the N routes established (sink, hub RIB, edge LSDB), {@code rate}
     * SA events per second for {@code seconds}: a new /32 comes up (one-route {@code changed}
     * add), and each one goes down again {@code hold} seconds later (one-route remove): the first
     * {@code hold * rate / 2} events are ups, then ups and downs alternate, so the table stays at
     * N + hold * rate / 2. (A route up and down within one batch would be folded by the sink and
     * never reach FRR; the hold keeps every event visible.) Per event, the time from the {@code changed} call to the edge's ospfd
     * installing the LSA (up) or its MaxAge copy (down), read from the edge's own log ({@code
     * debug ospf lsa install}, millisecond timestamps): the log costs the edge nothing per poll,
     * where reading its 10,000-LSA database once takes longer than the latencies measured.
     */
    private static void churn(List<Route> routes, long windowMs, int rate, int seconds, int hold) throws Exception {
        int size = routes.size();
        int events = rate * seconds;
        int lag = Math.max(1, hold * rate / 2);
        List<Route> extra = routes(size + events).subList(size, size + events);
        Path state = Files.createTempFile("rri-frr-bench-", ".state");
        try (OspfEdge e = OspfEdge.startAlone("")) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            FrrSink sink = new FrrSink(settings(e.hubDir(), windowMs, state), registry);
            try {
                sink.start();
                sink.resync(routes);
                await(sink);
                awaitRib(e.hubDir(), size);
                awaitEdgeExternals(e, size);
                Path log = e.edgeDir().resolve("ospfd-lsa.log");
                Exec.run(Duration.ofSeconds(15), Map.of(), List.of("vtysh", "--vty_socket", e.edgeDir().toString(), "-d",
                        "ospfd", "-c", "configure terminal", "-c", "log file " + log + " debugging", "-c",
                        "debug ospf lsa install")).check();
                long tx0 = transactions(registry);
                String load = load();
                // event i: 'up' for extra.get(j) or 'down' for it; times in epoch microseconds
                List<String> prefixes = new ArrayList<>(events);
                List<Boolean> ups = new ArrayList<>(events);
                long[] at = new long[events];
                java.util.ArrayDeque<Route> live = new java.util.ArrayDeque<>();
                int next = 0;
                long period = 1_000_000_000L / rate;
                long start = System.nanoTime();
                for (int i = 0; i < events; i++) {
                    long due = start + i * period;
                    while (System.nanoTime() < due) {
                        java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                    }
                    boolean up = i < lag || i % 2 == 0 || live.isEmpty();
                    Route r = up ? extra.get(next++) : live.poll();
                    at[i] = micros(Instant.now());
                    if (up) {
                        live.add(r);
                        sink.changed(List.of(), List.of(r));
                    } else {
                        sink.changed(List.of(r), List.of());
                    }
                    prefixes.add(r.prefix().address());
                    ups.add(up);
                }
                double achieved = events / ((System.nanoTime() - start) / 1e9);
                await(sink);
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                Latencies upLat = new Latencies();
                Latencies downLat = new Latencies();
                int missing;
                do {
                    Thread.sleep(500);
                    upLat.clear();
                    downLat.clear();
                    missing = matchLog(log, prefixes, ups, at, upLat, downLat);
                } while (missing > 0 && System.nanoTime() < deadline);
                Latencies all = Latencies.merge(upLat, downLat);
                System.out.printf("churn: %d events in %d s (%.1f/s achieved), hold %d s, %d vtysh transactions, %d not seen"
                        + " at the edge, load before %s / after %s%n", events, seconds, achieved, hold,
                        transactions(registry) - tx0, missing, load, load());
                System.out.println("| SA event -> edge LSA | events | p50 ms | p99 ms | max ms |");
                System.out.println("|---|---|---|---|---|");
                latencyRow("up (LSA installed)", upLat);
                latencyRow("down (MaxAge LSA installed)", downLat);
                latencyRow("all", all);
            } finally {
                sink.close();
            }
        } finally {
            Files.deleteIfExists(state);
        }
    }

    private static final Pattern LSA_LINE = Pattern.compile(
            "^(\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) .*LSA\\[Type5,id\\(([0-9.]+)\\),.*Install(.*)$");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS");

    /**
     * Matches each event with the first install of its prefix in the edge's log at or after the
     * event (MaxAge installs for downs, others for ups); adds the latencies and returns how many
     * events have no match yet. The log has milliseconds: an event is compared at millisecond
     * precision (its time truncated), so a latency is exact to about 1 ms.
     */
    private static int matchLog(Path log, List<String> prefixes, List<Boolean> ups, long[] at, Latencies up,
            Latencies down) throws IOException {
        Map<String, List<long[]>> installs = new java.util.HashMap<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = LSA_LINE.matcher(line);
            if (m.matches()) {
                long t = micros(LocalDateTime.parse(m.group(1), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant());
                installs.computeIfAbsent(m.group(2), k -> new ArrayList<>())
                        .add(new long[] {t, m.group(3).contains("MaxAge") ? 1 : 0});
            }
        }
        int missing = 0;
        for (int i = 0; i < at.length; i++) {
            long event = at[i] / 1000 * 1000;
            long kind = ups.get(i) ? 0 : 1;
            long found = -1;
            for (long[] inst : installs.getOrDefault(prefixes.get(i), List.of())) {
                if (inst[1] == kind && inst[0] >= event) {
                    found = inst[0];
                    break;
                }
            }
            if (found < 0) {
                missing++;
            } else {
                (ups.get(i) ? up : down).add((found - event) * 1000);
            }
        }
        return missing;
    }

    private static void latencyRow(String what, Latencies l) {
        System.out.printf("| %s | %d | %.0f | %.0f | %.0f |%n", what, l.size(), l.percentileMillis(50),
                l.percentileMillis(99), l.maxMillis());
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    private static FrrSettings settings(Path vtyDir, long windowMs, Path state) {
        return new FrrSettings("/usr/bin/vtysh", vtyDir.toString(), Duration.ofMillis(windowMs), state.toString(),
                Duration.ZERO);
    }

    /** The edge's count of AS-external LSAs ({@code show ip ospf json}, {@code lsaExternalCounter}). */
    private static long awaitEdgeExternals(OspfEdge e, int n) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode j = e.edgeJson("show ip ospf json");
            if (!j.has("lsaExternalCounter")) {
                throw new IllegalStateException("no lsaExternalCounter in the edge's show ip ospf json: " + j);
            }
            if (j.path("lsaExternalCounter").asInt() >= n) {
                return System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the edge has not all " + n + " external LSAs: " + j);
            }
            Thread.sleep(20);
        }
    }

    private static String load() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static void sinkAndResync(List<Route> routes, long windowMs) throws Exception {
        int size = routes.size();
        Path state = Files.createTempFile("rri-frr-bench-", ".state");
        try (FrrRouter frr = FrrRouter.start("", "")) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            FrrSettings settings = new FrrSettings("/usr/bin/vtysh", frr.dir().toString(), Duration.ofMillis(windowMs),
                    state.toString(), Duration.ZERO);
            long t0 = System.nanoTime();
            FrrSink sink = new FrrSink(settings, registry);
            sink.start();
            sink.resync(routes);
            await(sink);
            awaitRib(frr, size);
            row("sink", t0, Long.toString(transactions(registry)), "cold start, complete set");
            sink.close();

            SimpleMeterRegistry again = new SimpleMeterRegistry();
            long t1 = System.nanoTime();
            FrrSink restarted = new FrrSink(settings, again);
            restarted.start();
            restarted.resync(routes);
            await(restarted);
            double changes = again.get(Meters.SINK_CHANGES).tag("op", "add").counter().count()
                    + again.get(Meters.SINK_CHANGES).tag("op", "remove").counter().count();
            row("resync", t1, Long.toString(transactions(again)), "speaker restart: " + (long) changes + " changes");
            restarted.close();
        } finally {
            Files.deleteIfExists(state);
        }
    }

    private static void burst(List<Route> routes, long windowMs) throws Exception {
        int size = routes.size();
        Path state2 = Files.createTempFile("rri-frr-bench-", ".state");
        try (FrrRouter frr = FrrRouter.start("", "")) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            FrrSettings settings = new FrrSettings("/usr/bin/vtysh", frr.dir().toString(), Duration.ofMillis(windowMs),
                    state2.toString(), Duration.ZERO);
            FrrSink sink = new FrrSink(settings, registry);
            sink.start();
            sink.resync(List.of());
            await(sink);
            long t0 = System.nanoTime();
            for (Route r : routes) {
                sink.changed(List.of(), List.of(r));
            }
            await(sink);
            awaitRib(frr, size);
            row("burst", t0, Long.toString(transactions(registry)), size + " one-route changes in a row");
            sink.close();
        } finally {
            Files.deleteIfExists(state2);
        }
    }

    /** Route i: the /32 {@code 10.100.0.0 + i} via one of 200 next hops on the router's link, tag 5, distance 20. */
    static List<Route> routes(int n) throws IOException {
        List<Route> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int a = 0x0A640000 + i;
            InetAddress dst = InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8),
                (byte) a});
            InetAddress nh = InetAddress.getByAddress(new byte[] {10, (byte) 255, 0, (byte) (2 + i % 200)});
            out.add(new Route("", new Prefix(dst, 32), nh, null, 20, 5, RouteKind.RRI, "bench"));
        }
        return out;
    }

    private static void await(FrrSink sink) throws InterruptedException {
        if (!sink.awaitInSync(WAIT)) {
            throw new IllegalStateException("FRR sink not in sync after " + WAIT + ": " + sink.status());
        }
    }

    private static long transactions(SimpleMeterRegistry registry) {
        return registry.get(Meters.SINK_RECONCILE).tag("sink", "frr").timer().count();
    }

    private static void awaitRib(FrrRouter frr, int n) throws Exception {
        awaitRib(frr.dir(), n);
    }

    /**
     * Polls {@code show ip route summary json} until zebra counts {@code n} static routes in the
     * FIB; returns {@link System#nanoTime()} then.
     */
    private static long awaitRib(Path vtyDir, int n) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String out = Exec.run(Duration.ofSeconds(30), Map.of(), List.of("vtysh", "--vty_socket", vtyDir.toString(),
                    "-d", "zebra", "-c", "show ip route summary json")).check().stdout();
            for (JsonNode r : JSON.readTree(out).path("routes")) {
                if ("static".equals(r.path("type").asText()) && r.path("fib").asInt() >= n) {
                    return System.nanoTime();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("zebra has not all " + n + " static routes: " + out);
            }
            Thread.sleep(20);
        }
    }

    private static void row(String mode, long t0, String transactions, String note) {
        System.out.printf("| %s | %.2f | %s | %s |%n", mode, (System.nanoTime() - t0) / 1e9, transactions, note);
    }

    private static String frrVersion() {
        String v = Exec.run(Duration.ofSeconds(10), Map.of(), List.of("/usr/lib/frr/zebra", "--version")).stdout();
        return v.lines().findFirst().orElse("?").strip();
    }
}
