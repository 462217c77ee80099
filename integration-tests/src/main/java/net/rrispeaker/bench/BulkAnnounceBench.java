package net.rrispeaker.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.model.VrfDefinition;
import net.rrispeaker.core.Speaker;
import net.rrispeaker.gobgp.api.AddPathStreamRequest;
import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.sink.PathSink;
import net.rrispeaker.sink.PathUpdate;
import net.rrispeaker.sink.gobgp.GobgpSink;
import net.rrispeaker.model.SaEvent;

/**
 * End-to-end bulk announcement benchmark against a real gobgpd (the goal: a concentrator that
 * comes back with 100,000 SAs at once must be announced at close to gobgpd's own ingestion
 * speed). Each measurement gets a fresh gobgpd without BGP listener or neighbours
 * ({@link BenchGobgpd}); the clock stops when gobgpd's GetTable shows all N paths (and, for the
 * speaker's modes, when the sink reports in sync). Input data is built before the clock starts.
 *
 * <p>Modes: {@code baseline} raw AddPathStream (the project's stubs, no speaker code);
 * {@code sink} GobgpSink from cold start; {@code list} raw ListPath of the populated table (the
 * resync's own baseline); {@code resync} a new GobgpSink against the populated
 * gobgpd (must send 0 changes); {@code core} Speaker + GobgpSink fed one SA snapshot of N SAs;
 * {@code unary} one AddPath call per route (for the smallest N only).
 *
 * <p>Run: see docs/benchmarks.md, "Bulk announce into gobgpd". Options:
 * {@code --sizes 10000,100000 --batch 1000 --repeat 3 --unary-max 10000 --no-warmup}.
 */
public final class BulkAnnounceBench {
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final Set<BenchGobgpd> LIVE = ConcurrentHashMap.newKeySet();

    /** One measurement. */
    record Run(int n, String mode, double seconds, long changes, long heapPeakMib, long gobgpdRssMib,
               double handoffSeconds) {
        Run(int n, String mode, double seconds, long changes, long heapPeakMib, long gobgpdRssMib) {
            this(n, mode, seconds, changes, heapPeakMib, gobgpdRssMib, Double.NaN);
        }
    }

    private final int batch;
    private final Set<String> modes;

    private BulkAnnounceBench(int batch, Set<String> modes) {
        this.batch = batch;
        this.modes = modes;
    }

    public static void main(String[] args) throws Exception {
        // both the speaker jar and this module carry a logback.xml; keep logback's notice quiet
        System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
        List<Integer> sizes = List.of(10_000, 100_000);
        int batch = 1000;
        int repeat = 1;
        int unaryMax = 10_000;
        boolean warmup = true;
        Set<String> modes = Set.of("baseline", "sink", "list", "resync", "core", "unary");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(s -> Integer.parseInt(s.trim())).toList();
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--unary-max" -> unaryMax = Integer.parseInt(args[++i]);
                case "--no-warmup" -> warmup = false;
                case "--modes" -> modes = Set.of(args[++i].split(","));
                default -> {
                    System.err.println("unknown option: " + args[i]
                            + " (expected: --sizes N,N --batch B --repeat R --unary-max N --modes a,b --no-warmup)");
                    System.exit(2);
                }
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(BenchGobgpd::close), "bench-cleanup"));
        BulkAnnounceBench b = new BulkAnnounceBench(batch, modes);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (warmup) {
            System.err.println("bench: warm-up round (N=2000, not reported)");
            b.round(2000, true);
        }
        List<Run> runs = new ArrayList<>();
        for (int r = 0; r < repeat; r++) {
            for (int n : sizes) {
                runs.addAll(b.round(n, n <= unaryMax));
            }
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.println(Table.render(runs, batch, loadBefore, loadAfter));
    }

    /** All modes for one N; each mode against a fresh gobgpd except resync (it reuses sink's). */
    private List<Run> round(int n, boolean withUnary) throws Exception {
        List<Run> out = new ArrayList<>();
        if (modes.contains("baseline")) {
            out.add(baseline(n));
        }
        if (modes.contains("sink") || modes.contains("resync")) {
            out.addAll(sinkAndResync(n));
        }
        if (modes.contains("core")) {
            out.add(core(n));
        }
        if (withUnary && modes.contains("unary")) {
            out.add(unary(n));
        }
        return out;
    }

    private Run baseline(int n) throws Exception {
        List<Path> paths = BenchData.entries(n).stream().map(e -> RawGobgp.path(e, (int) GobgpSink.DEFAULT_PATH_IDENTIFIER)).toList();
        List<AddPathStreamRequest> messages = RawGobgp.messages(paths, batch);
        try (BenchGobgpd g = gobgpd()) {
            RawGobgp raw = new RawGobgp(g.channel());
            Heap heap = Heap.start();
            long t0 = System.nanoTime();
            raw.stream(messages, WAIT);
            raw.awaitPaths(n, WAIT);
            long t1 = System.nanoTime();
            return new Run(n, "baseline", secs(t0, t1), n, heap.peakMib(), g.rssMib());
        }
    }

    private List<Run> sinkAndResync(int n) throws Exception {
        Map<BgpPath.Key, BgpPath> desired = BenchData.desired(n);
        List<Run> out = new ArrayList<>();
        try (BenchGobgpd g = gobgpd()) {
            RawGobgp raw = new RawGobgp(g.channel());
            SimpleMeterRegistry reg = new SimpleMeterRegistry();
            Heap heap = Heap.start();
            long t0 = System.nanoTime();
            try (GobgpSink sink = new GobgpSink(g.target(), GobgpSink.DEFAULT_PATH_IDENTIFIER, reg)) {
                // desired first, so that "in sync" cannot mean "connected with nothing to do"
                sink.resync(desired, Map.of());
                sink.start();
                awaitInSync(sink); // all streams acknowledged; like the baseline's Empty
                raw.awaitPaths(n, WAIT);
                long t1 = System.nanoTime();
                out.add(new Run(n, "sink", secs(t0, t1), changes(reg), heap.peakMib(), g.rssMib()));
            }
            if (modes.contains("list")) {
                // the resync's own baseline: gobgpd streaming its table to a client that only counts
                Heap h = Heap.start();
                long t0l = System.nanoTime();
                long listed = raw.listAll(WAIT);
                long t1l = System.nanoTime();
                if (listed != n) {
                    throw new IllegalStateException("ListPath: " + listed + " paths (expected: " + n + ")");
                }
                out.add(new Run(n, "list", secs(t0l, t1l), 0, h.peakMib(), g.rssMib()));
            }
            // a speaker restart: a new sink, gobgpd still holds the N paths
            SimpleMeterRegistry reg2 = new SimpleMeterRegistry();
            heap = Heap.start();
            t0 = System.nanoTime();
            try (GobgpSink sink = new GobgpSink(g.target(), GobgpSink.DEFAULT_PATH_IDENTIFIER, reg2)) {
                sink.resync(desired, Map.of());
                sink.start();
                awaitInSync(sink);
                long t1 = System.nanoTime();
                if (sink.announced().size() != n || raw.numPaths() != n) {
                    throw new IllegalStateException("resync: announced " + sink.announced().size() + ", gobgpd "
                            + raw.numPaths() + " (expected: " + n + " each)");
                }
                out.add(new Run(n, "resync", secs(t0, t1), changes(reg2), heap.peakMib(), g.rssMib()));
            }
        }
        return out;
    }

    private Run core(int n) throws Exception {
        Config config = ConfigParser.parse("bench.conf", BenchData.CONFIG);
        SaEvent.Snapshot snapshot = new SaEvent.Snapshot(BenchData.sas(n));
        java.util.concurrent.atomic.AtomicLong handoff = new java.util.concurrent.atomic.AtomicLong();
        try (BenchGobgpd g = gobgpd()) {
            RawGobgp raw = new RawGobgp(g.channel());
            SimpleMeterRegistry reg = new SimpleMeterRegistry();
            try (GobgpSink sink = new GobgpSink(g.target(), GobgpSink.DEFAULT_PATH_IDENTIFIER, reg);
                 Speaker speaker = new Speaker(config, reg, List.of(adapter(sink, handoff)), c -> c.crypto().vrfs())) {
                sink.start();
                awaitInSync(sink); // the speaker is up and connected; now charon comes back
                Heap heap = Heap.start();
                long t0 = System.nanoTime();
                speaker.submit(snapshot);
                // no GetTable polling while gobgpd ingests (it would compete with it): wait for the
                // sink to have written all N (published after the streams are acknowledged) first
                awaitAnnounced(sink, n);
                awaitInSync(sink);
                raw.awaitPaths(n, WAIT);
                long t1 = System.nanoTime();
                Map<BgpPath.Key, BgpPath> got = speaker.read(Speaker.View::desired).get(1, TimeUnit.MINUTES);
                if (!got.equals(BenchData.desired(n))) {
                    throw new IllegalStateException("core: desired set differs from the sink mode's (" + got.size()
                            + " paths; expected: " + n + " with community 65000:5, LOCAL_PREF 81, next hop self)");
                }
                return new Run(n, "core", secs(t0, t1), changes(reg), heap.peakMib(), g.rssMib(),
                        secs(t0, handoff.get()));
            }
        }
    }

    private Run unary(int n) throws Exception {
        List<Path> paths = BenchData.entries(n).stream().map(e -> RawGobgp.path(e, (int) GobgpSink.DEFAULT_PATH_IDENTIFIER)).toList();
        try (BenchGobgpd g = gobgpd()) {
            RawGobgp raw = new RawGobgp(g.channel());
            Heap heap = Heap.start();
            long t0 = System.nanoTime();
            raw.unary(paths);
            raw.awaitPaths(n, WAIT);
            long t1 = System.nanoTime();
            return new Run(n, "unary", secs(t0, t1), n, heap.peakMib(), g.rssMib());
        }
    }

    /** The core's port to the sink; notes when the core first hands over a non-empty set. */
    private static PathSink adapter(GobgpSink sink, java.util.concurrent.atomic.AtomicLong handoff) {
        return new PathSink() {
            @Override
            public void resync(Map<BgpPath.Key, BgpPath> desired, Map<String, VrfDefinition> vrfs) {
                if (!desired.isEmpty()) {
                    handoff.compareAndSet(0, System.nanoTime());
                }
                sink.resync(desired, vrfs);
            }

            @Override
            public void apply(List<PathUpdate> changes, Map<String, VrfDefinition> vrfs) {
                if (!changes.isEmpty()) {
                    handoff.compareAndSet(0, System.nanoTime());
                }
                sink.apply(changes, vrfs);
            }

            @Override
            public void close() {
                // the benchmark closes the sink itself
            }
        };
    }

    private static BenchGobgpd gobgpd() throws Exception {
        BenchGobgpd g = BenchGobgpd.start();
        LIVE.add(g); // the shutdown hook closes it too (idempotent) if the JVM is interrupted
        return g;
    }

    private static void awaitInSync(GobgpSink sink) throws InterruptedException {
        if (!sink.awaitInSync(WAIT)) {
            throw new IllegalStateException("sink not in sync after " + WAIT + ": " + sink.status());
        }
    }

    private static void awaitAnnounced(GobgpSink sink, int n) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (sink.status().announced() != n) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("sink announced: " + sink.status() + " (expected: " + n + ")");
            }
            Thread.sleep(5);
        }
    }

    private static long changes(SimpleMeterRegistry reg) {
        return Math.round(reg.find(Meters.SINK_CHANGES).counters().stream().mapToDouble(Counter::count).sum());
    }

    private static double secs(long t0, long t1) {
        return (t1 - t0) / 1e9;
    }

    /** Peak JVM heap during one mode: the heap pools' peak usage, reset at start. */
    private static final class Heap {
        static Heap start() {
            System.gc();
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    p.resetPeakUsage();
                }
            }
            return new Heap();
        }

        long peakMib() {
            long sum = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    sum += p.getPeakUsage().getUsed();
                }
            }
            return sum >> 20;
        }
    }

    /** The result table (Markdown, so it can go into docs/benchmarks.md as is). */
    static final class Table {
        static String render(List<Run> runs, int batch, double loadBefore, double loadAfter) {
            StringBuilder sb = new StringBuilder();
            Runtime rt = Runtime.getRuntime();
            sb.append(String.format("JVM %s %s, %d CPUs, max heap %d MiB, GC %s; load average %.1f before, %.1f after;"
                            + " batch %d paths/message%n", System.getProperty("java.vm.name"), Runtime.version(),
                    rt.availableProcessors(), rt.maxMemory() >> 20,
                    ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList(),
                    loadBefore, loadAfter, batch));
            // a stale rri-speaker jar from ~/.m2 on the classpath would measure someone else's sink
            sb.append("speaker code from ").append(GobgpSink.class.getProtectionDomain().getCodeSource().getLocation())
                    .append(String.format("%n%n"));
            sb.append("| N | mode | seconds (median) | min s | runs | paths/s | x baseline time | changes sent | JVM peak heap MiB | gobgpd RSS MiB |\n");
            sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            List<String> order = List.of("baseline", "sink", "list", "resync", "core", "unary");
            List<Integer> sizes = runs.stream().map(Run::n).distinct().sorted().toList();
            for (int n : sizes) {
                double base = median(runs, n, "baseline");
                for (String mode : order) {
                    List<Run> rs = runs.stream().filter(r -> r.n() == n && r.mode().equals(mode)).toList();
                    if (rs.isEmpty()) {
                        continue;
                    }
                    double med = median(runs, n, mode);
                    double min = rs.stream().mapToDouble(Run::seconds).min().orElse(Double.NaN);
                    Run last = rs.get(rs.size() - 1);
                    String rate = mode.equals("resync") || mode.equals("list") ? "(" + fmt(n / med) + ")" : fmt(n / med);
                    sb.append(String.format("| %,d | %s | %.3f | %.3f | %d | %s | %.2f | %,d | %d | %d |%n", n, mode, med, min,
                            rs.size(), rate, med / base, last.changes(), last.heapPeakMib(), last.gobgpdRssMib()));
                }
            }
            for (int n : sizes) {
                List<Double> h = runs.stream().filter(r -> r.n() == n && r.mode().equals("core"))
                        .map(Run::handoffSeconds).sorted().toList();
                if (!h.isEmpty()) {
                    sb.append(String.format("%ncore, N=%,d: the core handed the desired set to the sink after %.3f s"
                            + " (median of %d); the rest is the sink", n, h.get(h.size() / 2), h.size()));
                }
            }
            return sb.append(String.format("%n")).toString();
        }

        private static String fmt(double v) {
            return String.format("%,.0f", v);
        }

        private static double median(List<Run> runs, int n, String mode) {
            List<Double> s = new ArrayList<>(runs.stream().filter(r -> r.n() == n && r.mode().equals(mode))
                    .map(Run::seconds).toList());
            if (s.isEmpty()) {
                return Double.NaN;
            }
            Collections.sort(s);
            int m = s.size() / 2;
            return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
        }
    }
}
