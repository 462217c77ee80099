package net.rrispeaker.bench;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.core.Speaker;
import net.rrispeaker.gobgp.api.GobgpApiGrpc;
import net.rrispeaker.gobgp.api.IPAddressPrefix;
import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.gobgp.api.WatchEventRequest;
import net.rrispeaker.gobgp.api.WatchEventResponse;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.SaEvent;
import net.rrispeaker.model.VrfDefinition;
import net.rrispeaker.sink.PathSink;
import net.rrispeaker.sink.PathUpdate;
import net.rrispeaker.sink.gobgp.GobgpSink;

/**
 * What one SA event costs once many SAs are established: the latency from {@code Speaker.submit}
 * of a CHILD_SA up or down to gobgpd's best-path event for its route, and the CPU time the speaker
 * (and gobgpd) spend on it. A real gobgpd ({@link BenchGobgpd}); the speaker's core and GoBGP sink
 * in this JVM, with the configuration of {@link BenchData#CONFIG}.
 *
 * <p>Per N: the N SAs come up in one snapshot and are announced; then a WatchEvent stream (table,
 * best paths, no initial dump) is opened on gobgpd and two phases run:
 * <ul>
 *   <li>{@code sequential}: {@code --sequential S} pairs of one new SA up, wait for its path in
 *       gobgpd, the same SA down, wait for the withdrawal; the core is idle before each event.</li>
 *   <li>{@code rate}: {@code --rate R} events per second for {@code --seconds D} seconds,
 *       alternating a new SA up and an established SA down (distinct routes, so no two events
 *       cancel out), paced from one thread; every event's path is awaited at the end.</li>
 * </ul>
 * Latencies are percentiles over the events of a phase. CPU per event is the CPU time over the
 * phase divided by its events: of the speaker's core thread, of the sink's worker thread, of gRPC's
 * transport threads (the sink's calls and the benchmark's watch stream share them) and of the whole
 * JVM (also JIT, GC and the benchmark's own pacing thread); "cores busy" is CPU time over the
 * phase's wall time.
 *
 * <p>Run: see docs/benchmarks.md, "One SA event with many SAs established". Options:
 * {@code --sizes 10000,100000 --sequential 100 --rate 1000 --seconds 5 --no-warmup}.
 */
public final class EventLatencyBench {
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final Set<BenchGobgpd> LIVE = ConcurrentHashMap.newKeySet();

    /** One phase's result; CPU times in seconds. */
    record Phase(int n, String name, int events, double seconds, double[] latenciesMs, int missing,
                 double jvmCpuSeconds, double coreCpuSeconds, double sinkCpuSeconds, double grpcCpuSeconds,
                 double gobgpdCpuSeconds) {
        double percentile(double p) {
            if (latenciesMs.length == 0) {
                return Double.NaN;
            }
            double[] s = latenciesMs.clone();
            Arrays.sort(s);
            int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
            return s[Math.max(0, Math.min(s.length - 1, i))];
        }
    }

    private final int sequential;
    private final int rate;
    private final int seconds;

    private EventLatencyBench(int sequential, int rate, int seconds) {
        this.sequential = sequential;
        this.rate = rate;
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
        List<Integer> sizes = List.of(10_000, 100_000);
        int sequential = 100;
        int rate = 1000;
        int seconds = 5;
        boolean warmup = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(s -> Integer.parseInt(s.trim())).toList();
                case "--sequential" -> sequential = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--no-warmup" -> warmup = false;
                default -> {
                    System.err.println("unknown option: " + args[i]
                            + " (expected: --sizes N,N --sequential S --rate R --seconds D --no-warmup)");
                    System.exit(2);
                }
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(BenchGobgpd::close), "bench-cleanup"));
        EventLatencyBench b = new EventLatencyBench(sequential, rate, seconds);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (warmup) {
            System.err.println("bench: warm-up round (N=2000, not reported)");
            new EventLatencyBench(Math.min(sequential, 20), Math.min(rate, 1000), 1).round(2000);
        }
        List<Phase> phases = new ArrayList<>();
        for (int n : sizes) {
            phases.addAll(b.round(n));
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.println(render(phases, loadBefore, loadAfter));
    }

    private List<Phase> round(int n) throws Exception {
        int rateEvents = rate * seconds;
        int ups = (rateEvents + 1) / 2;
        if (rateEvents / 2 > n) {
            throw new IllegalArgumentException("--rate x --seconds / 2 must not exceed N (downs of established SAs)");
        }
        List<ChildSa> all = BenchData.sas(n + ups + sequential);
        List<ChildSa> established = all.subList(0, n);
        List<ChildSa> rateUps = all.subList(n, n + ups);
        List<ChildSa> seqSas = all.subList(n + ups, all.size());
        Config config = ConfigParser.parse("bench.conf", BenchData.CONFIG);
        List<Phase> out = new ArrayList<>();
        try (BenchGobgpd g = gobgpd()) {
            RawGobgp raw = new RawGobgp(g.channel());
            SimpleMeterRegistry reg = new SimpleMeterRegistry();
            try (GobgpSink sink = new GobgpSink(g.target(), GobgpSink.DEFAULT_PATH_IDENTIFIER, reg);
                 Speaker speaker = new Speaker(config, reg, List.of(port(sink)), c -> c.crypto().vrfs())) {
                sink.start();
                speaker.submit(new SaEvent.Snapshot(established));
                raw.awaitPaths(n, WAIT);
                if (!sink.awaitInSync(WAIT)) {
                    throw new IllegalStateException("sink not in sync: " + sink.status());
                }
                Watch watch = new Watch(g);
                try {
                    out.add(sequential(n, speaker, seqSas, watch, g));
                    out.add(rated(n, speaker, rateUps, established, watch, g));
                } finally {
                    watch.close();
                }
            }
        }
        return out;
    }

    private Phase sequential(int n, Speaker speaker, List<ChildSa> sas, Watch watch, BenchGobgpd g)
            throws InterruptedException {
        double[] lat = new double[sas.size() * 2];
        Cpu cpu = Cpu.start(g);
        long t0 = System.nanoTime();
        int i = 0;
        for (ChildSa sa : sas) {
            String up = Watch.key(false, sa);
            long s = System.nanoTime();
            speaker.submit(new SaEvent.ChildUp(sa));
            lat[i++] = (watch.await(up, WAIT) - s) / 1e6;
            String down = Watch.key(true, sa);
            s = System.nanoTime();
            speaker.submit(new SaEvent.ChildDown(sa));
            lat[i++] = (watch.await(down, WAIT) - s) / 1e6;
        }
        long t1 = System.nanoTime();
        return cpu.phase(n, "sequential", lat.length, (t1 - t0) / 1e9, lat, 0);
    }

    private Phase rated(int n, Speaker speaker, List<ChildSa> ups, List<ChildSa> established, Watch watch,
                        BenchGobgpd g) throws InterruptedException {
        int events = rate * seconds;
        String[] keys = new String[events];
        long[] submitted = new long[events];
        Cpu cpu = Cpu.start(g);
        long t0 = System.nanoTime();
        for (int e = 0; e < events; e++) {
            long due = t0 + (long) (e * 1e9 / rate);
            for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                LockSupport.parkNanos(due - now);
            }
            SaEvent ev;
            if (e % 2 == 0) {
                ChildSa sa = ups.get(e / 2);
                keys[e] = Watch.key(false, sa);
                ev = new SaEvent.ChildUp(sa);
            } else {
                ChildSa sa = established.get(e / 2);
                keys[e] = Watch.key(true, sa);
                ev = new SaEvent.ChildDown(sa);
            }
            submitted[e] = System.nanoTime();
            speaker.submit(ev);
        }
        long sent = System.nanoTime();
        List<Double> lat = new ArrayList<>(events);
        int missing = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int e = 0; e < events; e++) {
            long left = Math.max(1, end - System.nanoTime());
            long at = watch.await(keys[e], Duration.ofNanos(left), false);
            if (at < 0) {
                missing++;
            } else {
                lat.add((at - submitted[e]) / 1e6);
            }
        }
        long t1 = System.nanoTime();
        double[] l = lat.stream().mapToDouble(Double::doubleValue).toArray();
        System.err.printf("bench: N=%,d rate phase: %d events sent in %.2f s, all seen after %.2f s%n", n, events,
                (sent - t0) / 1e9, (t1 - t0) / 1e9);
        return cpu.phase(n, "rate " + rate + "/s", events, (t1 - t0) / 1e9, l, missing);
    }

    /** The core's port to the sink (the sink itself; the benchmark closes it, not the speaker). */
    private static PathSink port(GobgpSink sink) {
        return new PathSink() {
            @Override
            public void resync(Map<BgpPath.Key, BgpPath> desired, Map<String, VrfDefinition> vrfs) {
                sink.resync(desired, vrfs);
            }

            @Override
            public void apply(List<PathUpdate> changes, Map<String, VrfDefinition> vrfs) {
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
        LIVE.add(g);
        return g;
    }

    /** gobgpd's best-path events, by route and kind, with the time each first arrived. */
    private static final class Watch implements AutoCloseable {
        private final Map<String, Long> arrived = new ConcurrentHashMap<>();
        private final Context.CancellableContext context = Context.current().withCancellation();

        Watch(BenchGobgpd g) {
            WatchEventRequest r = WatchEventRequest.newBuilder().setTable(WatchEventRequest.Table.newBuilder()
                    .addFilters(WatchEventRequest.Table.Filter.newBuilder()
                            .setType(WatchEventRequest.Table.Filter.Type.BEST).setInit(false))).build();
            context.run(() -> GobgpApiGrpc.newStub(g.channel()).watchEvent(r, new StreamObserver<>() {
                @Override
                public void onNext(WatchEventResponse v) {
                    long now = System.nanoTime();
                    for (Path p : v.getTable().getPathsList()) {
                        arrived.putIfAbsent(key(p), now);
                    }
                    synchronized (Watch.this) {
                        Watch.this.notifyAll();
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            }));
        }

        static String key(boolean withdraw, ChildSa sa) {
            return (withdraw ? "W|" : "A|") + sa.remoteTs().get(0);
        }

        private static String key(Path p) {
            try {
                IPAddressPrefix n = p.getNlri().unpack(IPAddressPrefix.class);
                return (p.getIsWithdraw() ? "W|" : "A|") + n.getPrefix() + "/" + n.getPrefixLen();
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                return "?";
            }
        }

        long await(String key, Duration timeout) throws InterruptedException {
            return await(key, timeout, true);
        }

        /** When {@code key} first arrived (nanoTime); -1 on timeout unless {@code fail}. */
        synchronized long await(String key, Duration timeout, boolean fail) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            Long at;
            while ((at = arrived.remove(key)) == null) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    if (fail) {
                        throw new IllegalStateException("no best-path event for " + key + " within " + timeout);
                    }
                    return -1;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return at;
        }

        @Override
        public void close() {
            context.cancel(null);
        }
    }

    /**
     * CPU time since {@link #start}: of this JVM (all threads, JIT and GC included), of the
     * speaker's core thread ({@code rri-core}), of the sink's worker ({@code gobgp-sink}), of gRPC's
     * transport threads (shared by the sink and the benchmark's watch stream), and of gobgpd.
     */
    private record Cpu(long jvm0, Map<String, Long> threads0, long gobgpd0, BenchGobgpd g) {
        static Cpu start(BenchGobgpd g) {
            return new Cpu(jvmNanos(), threadNanos(), gobgpdTicks(g), g);
        }

        Phase phase(int n, String name, int events, double seconds, double[] latenciesMs, int missing) {
            Map<String, Long> t = threadNanos();
            return new Phase(n, name, events, seconds, latenciesMs, missing, (jvmNanos() - jvm0) / 1e9,
                    delta(t, "core"), delta(t, "sink"), delta(t, "grpc"), gobgpdSeconds());
        }

        private double delta(Map<String, Long> now, String group) {
            return (now.getOrDefault(group, 0L) - threads0.getOrDefault(group, 0L)) / 1e9;
        }

        double gobgpdSeconds() {
            long t = gobgpdTicks(g);
            return t < 0 || gobgpd0 < 0 ? Double.NaN : (t - gobgpd0) / 100.0; // USER_HZ
        }

        private static long jvmNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        /** CPU nanoseconds of the live threads, summed per group (a thread that ended is not counted). */
        private static Map<String, Long> threadNanos() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Map<String, Long> out = new java.util.HashMap<>();
            for (long id : mx.getAllThreadIds()) {
                ThreadInfo info = mx.getThreadInfo(id);
                long ns = mx.getThreadCpuTime(id);
                if (info == null || ns < 0) {
                    continue;
                }
                String t = info.getThreadName();
                String group = t.equals("rri-core") ? "core" : t.equals("gobgp-sink") ? "sink"
                        : t.startsWith("grpc-") ? "grpc" : "other";
                out.merge(group, ns, Long::sum);
            }
            return out;
        }

        /** utime + stime of gobgpd in clock ticks, from /proc/PID/stat; -1 if unreadable. */
        private static long gobgpdTicks(BenchGobgpd g) {
            try {
                String stat = Files.readString(java.nio.file.Path.of("/proc", Long.toString(g.pid()), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat
            } catch (Exception e) {
                return -1;
            }
        }
    }

    static String render(List<Phase> phases, double loadBefore, double loadAfter) {
        StringBuilder sb = new StringBuilder();
        Runtime rt = Runtime.getRuntime();
        sb.append(String.format("JVM %s %s, %d CPUs, max heap %d MiB; load average %.1f before, %.1f after%n",
                System.getProperty("java.vm.name"), Runtime.version(), rt.availableProcessors(), rt.maxMemory() >> 20,
                loadBefore, loadAfter));
        sb.append("speaker code from ").append(GobgpSink.class.getProtectionDomain().getCodeSource().getLocation())
                .append(String.format("%n%n"));
        sb.append("| N established | phase | events | seconds | latency p50 ms | p99 ms | max ms | missing"
                + " | CPU ms/event: rri-core | gobgp-sink | gRPC threads | whole JVM | JVM cores busy | gobgpd cores busy |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Phase p : phases) {
            double per = 1000.0 / p.events();
            sb.append(String.format("| %,d | %s | %,d | %.2f | %.1f | %.1f | %.1f | %d | %.3f | %.3f | %.3f | %.2f | %.2f | %.2f |%n",
                    p.n(), p.name(), p.events(), p.seconds(), p.percentile(50), p.percentile(99), p.percentile(100),
                    p.missing(), p.coreCpuSeconds() * per, p.sinkCpuSeconds() * per, p.grpcCpuSeconds() * per,
                    p.jvmCpuSeconds() * per, p.jvmCpuSeconds() / p.seconds(), p.gobgpdCpuSeconds() / p.seconds()));
        }
        return sb.toString();
    }
}
