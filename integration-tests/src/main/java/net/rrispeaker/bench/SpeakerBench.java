package net.rrispeaker.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.rrispeaker.gobgp.api.AddPathStreamRequest;
import net.rrispeaker.lab.ViciServer;
import net.rrispeaker.sink.gobgp.GobgpSink;

/**
 * End-to-end benchmark of the real speaker jar: the speaker runs as its own JVM
 * (the {@code rri-speaker} launcher next to the jar, or {@code java FLAGS -jar rri-speaker.jar --config FILE}) against the project's VICI simulator
 * ({@link ViciServer}, in this JVM) as the SA source and a real gobgpd ({@link BenchGobgpd}: no BGP
 * listener, no neighbours, API on a unix socket) as the sink. gobgpd's best-path event stream
 * ({@link RibWatch}) is the clock on the RIB side.
 *
 * <p>Scenarios, per SA count N ({@code --sizes}):
 * <ul>
 *   <li>{@code mrt}: {@code gobgp mrt inject global} of an MRT TABLE_DUMP_V2 file of the same N
 *       routes ({@link MrtRib}) into a fresh gobgpd: gobgp's own bulk loader as a reference;</li>
 *   <li>{@code raw}: the N paths pre-built, one AddPathStream of 1,000-path messages
 *       ({@link RawGobgp}): the ceiling of what gobgpd ingests;</li>
 *   <li>{@code cold}: the speaker started against a simulator that holds N IKE_SAs with one
 *       CHILD_SA each and an empty gobgpd: seconds from process start to the first and to the
 *       last of the N paths in gobgpd's RIB, and the speaker's CPU seconds until then;</li>
 *   <li>{@code memory}: after the cold start, a forced GC ({@code jcmd GC.run}), then heap used
 *       ({@code GC.heap_info}), live objects ({@code GC.class_histogram}) and VmRSS; per SA
 *       against the same figures of a speaker with 0 SAs (measured once per run);</li>
 *   <li>{@code churn}: for each rate ({@code --rates}), {@code child-updown} events for
 *       {@code --duration} seconds at that steady rate, alternating a spoke going down and
 *       another one (down for {@code --down-seconds}) coming up with a new CHILD_SA: event-to-RIB latency
 *       of each withdrawal and announcement (arrival of gobgpd's event minus the time the
 *       simulator sent the VICI event, minus {@code --withdraw-delay-ms} for withdrawals), and
 *       the speaker's CPU per event. An unmeasured warm-up churn ({@code --warmup} seconds at
 *       the first rate) runs first, so the JIT has compiled the event path;</li>
 *   <li>{@code rekey}: every CHILD_SA rekeyed once ({@code child-rekey}) at {@code --rekey-rate}:
 *       path changes seen at gobgpd (must be 0) and CPU per rekey.</li>
 * </ul>
 *
 * <p>CPU is utime + stime of the speaker process from {@code /proc/PID/stat}, from just before
 * the first event to the end of the last 100 ms interval in which the speaker still used CPU
 * after the last expected result. Outputs go to {@code --out/run-TIMESTAMP/}: {@code results.csv},
 * {@code summary.md} (the tables printed at the end), per-event latencies
 * ({@code latency-N-RATE.csv}), arrival curves ({@code arrivals-N.csv}), PNG plots
 * ({@code latency-cdf-N.png}, {@code cold-start-N.png}), the speaker's log and jcmd outputs.
 * Every process, socket and temp dir it starts is stopped/removed by PID at the end and on
 * Ctrl-C ({@link Cleanup}). See docs/benchmarks.md for the command.
 */
public final class SpeakerBench {
    static final List<String> ALL = List.of("mrt", "raw", "cold", "memory", "churn", "rekey");
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ 100: checked in main
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** Command-line options. */
    record Options(Path jar, Path launcher, List<String> jvmFlags, Set<String> scenarios, List<Integer> sizes, List<Integer> rates,
                   int durationSeconds, int warmupSeconds, int downSeconds, int rekeyRate, int restoreRate, long withdrawDelayMs, Path out, Duration timeout, Path jfr) {
    }

    private final Options o;
    private final Path run;
    private final Results results = new Results();
    private SpeakerJvm.Memory emptyMemory;

    private SpeakerBench(Options o, Path run) {
        this.o = o;
        this.run = run;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        Cleanup.installHook();
        String clk = getconf();
        if (!"100".equals(clk)) {
            throw new IllegalStateException("CLK_TCK " + clk + " (expected: 100; /proc/PID/stat CPU ticks are read as 10 ms)");
        }
        Path run = o.out().resolve("run-" + LocalDateTime.now().format(STAMP));
        Files.createDirectories(run);
        SpeakerBench b = new SpeakerBench(o, run);
        try {
            b.all();
        } finally {
            Cleanup.closeAll();
        }
    }

    static String usage() {
        return """
                usage: SpeakerBench [--jar PATH] [--launcher PATH|none] [--jvm-flags "FLAGS"] [--scenarios mrt,raw,cold,memory,churn,rekey]
                                    [--sizes 10000,100000] [--rates 1000,5000] [--duration SECONDS] [--warmup SECONDS]
                                    [--down-seconds S] [--rekey-rate PER_S]
                                    [--withdraw-delay-ms MS] [--out DIR] [--timeout SECONDS] [--jfr DIR]
                defaults: --jar ${rri.speaker.jar} or speaker/target/rri-speaker.jar; --launcher: the rri-speaker
                          script next to the jar (the shipped JVM defaults; --jvm-flags go into RRI_JAVA_OPTS, after
                          them), or with `none` or no script `java FLAGS -jar` (JVM defaults); no JVM flags, all scenarios,
                          --sizes 10000, --rates 1000,5000, --duration 20, --warmup 5 (unmeasured churn at the
                          first rate before the measured ones; 0: none), --down-seconds 1 (how long a churned
                          spoke stays down; at most N/2 spokes are down at once), --rekey-rate 5000 (0: unpaced),
                          --withdraw-delay-ms 0, --out integration-tests/target/bench, --timeout 300
                --jfr DIR: a JFR recording (settings=profile) of the speaker during each measured churn rate and the
                          rekey storm, started and stopped with jcmd: DIR/churn-N-RATE.jfr, DIR/rekey-N.jfr. For the
                          cold start pass -XX:StartFlightRecording=... in --jvm-flags instead.""";
    }

    static Options parse(String[] args) {
        Path jar = Path.of(System.getProperty("rri.speaker.jar", "speaker/target/rri-speaker.jar"));
        String launcher = null;
        List<String> flags = List.of();
        Set<String> scenarios = new LinkedHashSet<>(ALL);
        List<Integer> sizes = List.of(10_000);
        List<Integer> rates = List.of(1000, 5000);
        int duration = 20;
        int warmup = 5;
        int down = 1;
        int rekeyRate = 5000;
        long withdrawDelay = 0;
        Path out = Path.of(Files.isDirectory(Path.of("integration-tests")) ? "integration-tests/target/bench" : "target/bench");
        int timeout = 300;
        Path jfr = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + ": value missing");
            }
            String v = args[++i];
            switch (a) {
                case "--jar" -> jar = Path.of(v);
                case "--launcher" -> launcher = v;
                case "--jvm-flags" -> flags = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                case "--scenarios" -> {
                    scenarios = new LinkedHashSet<>(List.of(v.split(",")));
                    for (String s : scenarios) {
                        if (!ALL.contains(s)) {
                            throw new IllegalArgumentException("scenario '" + s + "' (expected: one of " + ALL + ")");
                        }
                    }
                }
                case "--sizes" -> sizes = ints(a, v);
                case "--rates" -> rates = ints(a, v);
                case "--duration" -> duration = ints(a, v).get(0);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--down-seconds" -> down = ints(a, v).get(0);
                case "--rekey-rate" -> rekeyRate = Integer.parseInt(v);
                case "--withdraw-delay-ms" -> withdrawDelay = Long.parseLong(v);
                case "--out" -> out = Path.of(v);
                case "--timeout" -> timeout = ints(a, v).get(0);
                case "--jfr" -> jfr = Path.of(v).toAbsolutePath().normalize();
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        for (int n : sizes) {
            if (n > BenchData.MAX) {
                throw new IllegalArgumentException("--sizes " + n + " (expected: at most " + BenchData.MAX + ")");
            }
        }
        jar = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("speaker jar " + jar + ": not a file (build it: mvn package)");
        }
        Path script;
        if ("none".equals(launcher)) {
            script = null;
        } else if (launcher != null) {
            script = Path.of(launcher).toAbsolutePath().normalize();
            if (!Files.isExecutable(script)) {
                throw new IllegalArgumentException("--launcher " + script + ": not an executable file");
            }
        } else {
            Path next = jar.resolveSibling("rri-speaker");
            script = Files.isExecutable(next) ? next : null;
        }
        return new Options(jar, script, flags, scenarios, sizes, rates, duration, warmup, down, rekeyRate, 20_000, withdrawDelay,
                out.toAbsolutePath().normalize(), Duration.ofSeconds(timeout), jfr);
    }

    private static List<Integer> ints(String option, String v) {
        try {
            List<Integer> out = Arrays.stream(v.split(",")).map(s -> Integer.parseInt(s.trim().replace("_", ""))).toList();
            if (out.isEmpty() || out.stream().anyMatch(x -> x < 1)) {
                throw new NumberFormatException();
            }
            return out;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + v + "' (expected: positive integers, comma-separated)");
        }
    }

    // ------------------------------------------------------------------ the run

    private void all() throws Exception {
        StringBuilder head = new StringBuilder();
        head.append("speaker jar ").append(o.jar()).append(" (").append(Files.size(o.jar()) / 1024).append(" KiB, modified ")
                .append(Files.getLastModifiedTime(o.jar())).append(")\n");
        String extra = o.jvmFlags().isEmpty() ? "" : String.join(" ", o.jvmFlags());
        head.append("speaker JVM flags: ").append(o.launcher() != null
                ? "launcher " + o.launcher() + " (its defaults: " + SpeakerJvm.launcherDefaults(o.launcher()) + ")"
                        + (extra.isEmpty() ? "" : " + RRI_JAVA_OPTS=" + extra)
                : extra.isEmpty() ? "(none: JVM defaults, java -jar)" : extra + " (java -jar)")
                .append("; ").append(System.getProperty("java.vm.name")).append(' ').append(Runtime.version())
                .append("; ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs\n");
        head.append(oneLine(List.of("gobgpd", "--version"))).append("; withdraw-delay ").append(o.withdrawDelayMs())
                .append(" ms; churn ").append(o.durationSeconds()).append(" s per rate after ").append(o.warmupSeconds())
                .append(" s unmeasured warm-up, churned spokes down ").append(o.downSeconds()).append(" s; rekey rate ")
                .append(o.rekeyRate() == 0 ? "unpaced" : o.rekeyRate() + "/s").append('\n');
        head.append("start: ").append(oneLine(List.of("uptime"))).append('\n');
        System.err.print(head);
        results.header(head.toString());

        if (o.scenarios().contains("memory")) {
            step("memory baseline (0 SAs)", this::emptyBaseline);
        }
        for (int n : o.sizes()) {
            Arrivals curves = new Arrivals();
            if (o.scenarios().contains("mrt")) {
                step("mrt N=" + n, () -> mrt(n, curves));
            }
            if (o.scenarios().contains("raw")) {
                step("raw N=" + n, () -> raw(n, curves));
            }
            if (o.scenarios().stream().anyMatch(s -> Set.of("cold", "memory", "churn", "rekey").contains(s))) {
                step("speaker N=" + n, () -> speaker(n, curves));
            }
            curves.write(run, n);
        }
        results.footer("end: " + oneLine(List.of("uptime")));
        results.write(run);
        System.out.println(results.markdown());
        System.err.println("bench: outputs in " + run);
    }

    interface Step {
        void run() throws Exception;
    }

    /** Runs one step; a failure is reported as a row and the run goes on with the next step. */
    private void step(String name, Step s) {
        System.err.println("bench: --- " + name + " (load " + Load.now() + ")");
        try {
            s.run();
        } catch (Exception | AssertionError e) {
            System.err.println("bench: " + name + " FAILED: " + e);
            e.printStackTrace();
            results.add(new Row(name, 0).note("FAILED: " + e.getMessage()));
        } finally {
            Cleanup.closeAll();
        }
    }

    private void mrt(int n, Arrivals curves) throws Exception {
        Path dir = Cleanup.tempDir("rri-bench-mrt-");
        Path file = dir.resolve("rib-" + n + ".mrt");
        int padding = Math.min(n, MrtRib.MAX_PADDING);
        MrtRib.write(file, n, padding, System.currentTimeMillis() / 1000);
        BenchGobgpd g = Cleanup.track(BenchGobgpd.start());
        RibWatch w = Cleanup.track(new RibWatch(g.channel(), n));
        w.start();
        w.mark(true, 0);
        Load load = Load.start();
        Path log = run.resolve("mrt-inject-" + n + ".log");
        long t0 = System.nanoTime();
        Cleanup.Proc p = Cleanup.start("gobgp mrt inject", List.of("gobgp", "--target", "unix://" + g.socket(),
                "mrt", "inject", "global", file.toString()), log);
        // the CLI may exit before gobgpd has read its last messages (see MrtRib): the padding
        // after the N routes absorbs that; if even the N routes do not all arrive, say so
        long end = System.nanoTime() + o.timeout().toNanos();
        long exited = 0;
        while (!w.await(() -> w.present() == n, TimeUnit.MILLISECONDS.toNanos(200))) {
            if (exited == 0 && !p.alive()) {
                exited = System.nanoTime();
                if (p.waitFor(0) != 0) {
                    throw new IllegalStateException("gobgp mrt inject: exit " + p.waitFor(0) + "; " + SpeakerJvm.tail(log, 10));
                }
            }
            if (exited != 0 && System.nanoTime() - exited > TimeUnit.SECONDS.toNanos(5) || System.nanoTime() > end) {
                throw new IllegalStateException("gobgp mrt inject: gobgpd holds " + w.present() + " of the " + n
                        + " routes (CLI " + (p.alive() ? "still running" : "exited") + "; padding " + padding + " routes)");
            }
        }
        long[] arr = w.arrivals();
        int rc = p.waitFor(o.timeout().toMillis());
        if (rc != 0) {
            throw new IllegalStateException("gobgp mrt inject: exit " + rc + "; " + SpeakerJvm.tail(log, 10));
        }
        if (exited == 0) {
            exited = System.nanoTime();
        }
        curves.add("gobgp mrt inject", arr, t0);
        results.add(new Row("mrt", n).first(secs(t0, w.firstArrival())).all(secs(t0, arr[n - 1]))
                .load(load.end()).note(String.format("one path per AddPathStream message; file has %,d padding routes"
                        + " after the N; CLI exited after %.3f s", padding, secs(t0, exited))));
    }

    private void raw(int n, Arrivals curves) throws Exception {
        List<net.rrispeaker.gobgp.api.Path> paths = BenchData.entries(n).stream()
                .map(e -> RawGobgp.path(e, (int) GobgpSink.DEFAULT_PATH_IDENTIFIER)).toList();
        List<AddPathStreamRequest> messages = RawGobgp.messages(paths, 1000);
        BenchGobgpd g = Cleanup.track(BenchGobgpd.start());
        RibWatch w = Cleanup.track(new RibWatch(g.channel(), n));
        w.start();
        w.mark(true, 0);
        Load load = Load.start();
        long t0 = System.nanoTime();
        new RawGobgp(g.channel()).stream(messages, o.timeout());
        awaitPresent(w, n, null, "raw AddPathStream of " + n + " paths");
        long[] arr = w.arrivals();
        checkTable(g, n);
        curves.add("raw AddPathStream", arr, t0);
        results.add(new Row("raw", n).first(secs(t0, w.firstArrival())).all(secs(t0, arr[n - 1]))
                .load(load.end()).note("pre-built paths, 1,000 per message, one stream"));
    }

    /** The speaker's environment: simulator, gobgpd, watch, config. */
    private record Env(Path dir, ViciServer vici, SimFleet fleet, BenchGobgpd gobgpd, RibWatch watch, Path config) {
    }

    private Env env(int n) throws Exception {
        Path dir = Cleanup.tempDir("rri-bench-");
        ViciServer vici = ViciServer.start(dir.resolve("charon.vici"));
        Cleanup.track(vici);
        SimFleet fleet = new SimFleet(vici, Math.max(n, 1));
        if (n > 0) {
            fleet.populate();
        }
        BenchGobgpd g = Cleanup.track(BenchGobgpd.start());
        RibWatch w = Cleanup.track(new RibWatch(g.channel(), Math.max(n, 1)));
        w.start();
        Path config = dir.resolve("speaker.conf");
        Files.writeString(config, """
                ! rri-speaker benchmark: every CHILD_SA of connection "spokes" becomes a route, tag 5 / distance 20
                rri vici-socket %s
                rri gobgp-api unix:%s
                rri control-api unix:%s
                rri metrics-listen 127.0.0.1:%d
                rri withdraw-delay %d
                !
                crypto dynamic-map DYN 10
                 match ipsec-connection spokes
                 set reverse-route tag %d
                 set reverse-route distance %d
                 reverse-route
                !
                crypto map VPN 10 ipsec-isakmp dynamic DYN
                !
                router bgp %d
                 redistribute static
                """.formatted(dir.resolve("charon.vici"), g.socket(), dir.resolve("control.sock"), freePort(),
                o.withdrawDelayMs(), BenchData.TAG, BenchData.DISTANCE, BenchGobgpd.AS));
        return new Env(dir, vici, fleet, g, w, config);
    }

    private SpeakerJvm startSpeaker(Env e, String stem) {
        String conf = SpeakerJvm.read(e.config());
        int port = Integer.parseInt(conf.replaceAll("(?s).*metrics-listen 127\\.0\\.0\\.1:(\\d+).*", "$1"));
        return SpeakerJvm.start(o.jar(), o.launcher(), o.jvmFlags(), e.config(), run.resolve(stem + ".log"), port);
    }

    private void emptyBaseline() throws Exception {
        Env e = env(0);
        SpeakerJvm sp = startSpeaker(e, "speaker-0");
        long end = System.nanoTime() + o.timeout().toNanos();
        while (!(sp.metric("rri_source_connects_total", "") >= 1 && sp.metric("rri_sink_resyncs_total", "") >= 1)) {
            sp.checkAlive();
            if (System.nanoTime() > end) {
                throw new IllegalStateException("speaker with 0 SAs: not connected to simulator and gobgpd after " + o.timeout());
            }
            Thread.sleep(100);
        }
        Thread.sleep(2000);
        emptyMemory = sp.memory(run, "memory-0");
        results.add(new Row("memory", 0).memory(emptyMemory, null, 0).load(Load.now() + "")
                .note("speaker connected, no SAs: the reference for per-SA figures"));
        sp.close();
    }

    private void speaker(int n, Arrivals curves) throws Exception {
        Env e = env(n);
        double encode = encodeSeconds(e.vici());
        RibWatch w = e.watch();
        w.mark(true, 0);
        Load load = Load.start();
        SpeakerJvm sp = startSpeaker(e, "speaker-" + n);
        long t0 = sp.startNanos();
        awaitPresent(w, n, sp, "speaker cold start with " + n + " SAs");
        long cpu = sp.cpuTicks();
        long[] arr = w.arrivals();
        checkTable(e.gobgpd(), n);
        curves.add("speaker cold start", arr, t0);
        curves.markers.add(new Plot.Marker("speaker: config loaded, started", sp.logOffsetSeconds("rri-speaker started")));
        curves.markers.add(new Plot.Marker("speaker: list-sas snapshot received", sp.logOffsetSeconds("vici snapshot sas=")));
        if (o.scenarios().contains("cold")) {
            results.add(new Row("cold", n).first(secs(t0, w.firstArrival())).all(secs(t0, arr[n - 1]))
                    .cpu(cpu, 0).load(load.end()).note(String.format("from process start; speaker log: started %.2f s,"
                                    + " gobgpd connected %.2f s, list-sas snapshot complete %.2f s (simulator encodes the %,d"
                                    + " records alone in %.2f s)", sp.logOffsetSeconds("rri-speaker started"),
                            sp.logOffsetSeconds("op=connected"), sp.logOffsetSeconds("vici snapshot sas="), n, encode)));
        }
        if (o.scenarios().contains("memory")) {
            Load l = Load.start();
            SpeakerJvm.Memory m = sp.memory(run, "memory-" + n);
            results.add(new Row("memory", n).memory(m, emptyMemory, n).load(l.end()).note("after jcmd GC.run"));
        }
        if (o.scenarios().contains("churn")) {
            List<String> names = new ArrayList<>();
            List<long[]> lat = new ArrayList<>();
            if (o.warmupSeconds() > 0) {
                churn(e, sp, n, o.rates().get(0), o.warmupSeconds(), null, null);
            }
            for (int rate : o.rates()) {
                churn(e, sp, n, rate, o.durationSeconds(), names, lat);
            }
            Plot.latencyCdf(run.resolve("latency-cdf-" + n + ".png"),
                    String.format("child-updown churn, %,d SAs: VICI event sent -> gobgpd best-path event", n), names, lat);
        }
        if (o.scenarios().contains("rekey")) {
            rekey(e, sp, n);
        }
        sp.close();
    }

    /**
     * Steady child-updown churn: before the clock, {@code G = min(rate * D / 2, N / 2)} spokes go
     * down (not measured; D = {@code --down-seconds}); then events alternate between taking the
     * next up spoke down (in cyclic order) and bringing the spoke that has been down longest up
     * again with a new CHILD_SA, so announcements and withdrawals are half each, about N - G SAs
     * stay established, and each spoke stays down for about D seconds (2G events). A speaker
     * slower than D sees a spoke's down and its up in one batch and changes nothing: such pairs
     * are counted as coalesced, and the latency figures are censored at about D.
     */
    private void churn(Env e, SpeakerJvm sp, int n, int rate, int seconds, List<String> names, List<long[]> lat) throws Exception {
        RibWatch w = e.watch();
        SimFleet fleet = e.fleet();
        int gap = Math.max(1, Math.min(rate * o.downSeconds() / 2, n / 2));
        java.util.ArrayDeque<Integer> down = new java.util.ArrayDeque<>(gap + 1);
        int cursor = 0;
        for (int k = 0; k < gap; k++) {
            fleet.down(cursor);
            down.add(cursor);
            cursor = (cursor + 1) % n;
        }
        int established = n - gap;
        awaitPresent(w, established, null, "churn set-up: " + gap + " spokes down");
        long events = (long) rate * seconds;
        double receivedBefore = speakerEvents(sp, "child-up") + speakerEvents(sp, "child-down");
        if (names != null) {
            jfrStart(sp, "churn-" + n + "-" + rate);
        }
        w.mark(false, TimeUnit.MILLISECONDS.toNanos(o.withdrawDelayMs()));
        Load load = Load.start();
        long cpu0 = sp.cpuTicks();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        long maxLag = 0;
        long first = 0;
        long last = 0;
        for (long k = 0; k < events; k++) {
            long due = start + (long) (k * 1e9 / rate);
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            boolean withdraw = k % 2 == 0;
            int i;
            if (withdraw) {
                while (!fleet.isUp(cursor)) {
                    cursor = (cursor + 1) % n;
                }
                i = cursor;
                cursor = (cursor + 1) % n;
            } else {
                i = down.remove();
            }
            long sent = System.nanoTime();
            w.expect(i, withdraw, sent);
            if (withdraw) {
                fleet.down(i);
                down.add(i);
            } else {
                fleet.up(i);
            }
            maxLag = Math.max(maxLag, sent - due);
            if (k == 0) {
                first = sent;
            }
            last = sent;
        }
        boolean complete = settle(w);
        long cpu1 = quiescentTicks(sp);
        String loadText = load.end();
        if (names != null) {
            jfrStop(sp, "churn-" + n + "-" + rate);
        }
        long coalesced = 2L * w.coalesced();
        long lost = w.waiting() + w.overwritten();
        long unexpected = w.unexpected();
        double received = speakerEvents(sp, "child-up") + speakerEvents(sp, "child-down") - receivedBefore;
        Latencies a = w.announceLatency();
        Latencies d = w.withdrawLatency();
        Latencies all = Latencies.merge(a, d);
        double achieved = events > 1 ? (events - 1) / ((last - first) / 1e9) : Double.NaN;
        if (names == null) {
            System.err.printf("bench: warm-up churn %,d/s for %d s: p50 %.2f ms, p99 %.2f ms, lost %d%n", rate, seconds,
                    all.percentileMillis(50), all.percentileMillis(99), lost);
            restore(e, n);
            return;
        }
        results.add(new Row("churn", n).rate(rate).events(events, achieved).latency(all, a, d)
                .lost(lost).coalesced(coalesced).unexpected(unexpected).cpu(cpu1 - cpu0, events).load(loadText)
                .note(String.format("~%,d SAs established; sender max lag %.1f ms; speaker counted %,.0f events%s%s",
                        established, maxLag / 1e6, received, coalesced == 0 ? "" : String.format("; %,d events (a down and"
                                + " the up %d s later) coalesced by the speaker: no change, no latency", coalesced,
                                o.downSeconds()),
                        complete ? "" : "; NOT all path changes seen within 30 s")));
        writeLatencies(run.resolve("latency-" + n + "-" + rate + ".csv"), a, d);
        names.add(String.format("%,d/s announce", rate));
        lat.add(a.sorted());
        names.add(String.format("%,d/s withdraw", rate));
        lat.add(d.sorted());
        // every spoke up again before the next measurement (not measured)
        restore(e, n);
    }

    /** Brings every spoke that is down up again and waits until gobgpd holds all N paths. */
    private void restore(Env e, int n) throws Exception {
        SimFleet fleet = e.fleet();
        long start = System.nanoTime();
        long k = 0;
        for (int i = 0; i < n; i++) {
            if (!fleet.isUp(i)) {
                long due = start + (long) (k++ * 1e9 / o.restoreRate());
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                fleet.up(i);
            }
        }
        awaitPresent(e.watch(), n, null, "all " + n + " paths back after churn");
    }

    private void rekey(Env e, SpeakerJvm sp, int n) throws Exception {
        RibWatch w = e.watch();
        SimFleet fleet = e.fleet();
        double before = speakerEvents(sp, "child-rekey");
        jfrStart(sp, "rekey-" + n);
        w.mark(false, 0);
        Load load = Load.start();
        long cpu0 = sp.cpuTicks();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (o.rekeyRate() > 0) {
                long due = start + (long) (i * 1e9 / o.rekeyRate());
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
            }
            fleet.rekey(i);
        }
        long sentEnd = System.nanoTime();
        // wait for the speaker to go quiet, then check it counted every rekey (scraping only then)
        long end = System.nanoTime() + o.timeout().toNanos();
        long cpu1;
        double received;
        while (true) {
            cpu1 = quiescentTicks(sp);
            received = speakerEvents(sp, "child-rekey") - before;
            if (received >= n || System.nanoTime() > end) {
                break;
            }
        }
        String loadText = load.end();
        jfrStop(sp, "rekey-" + n);
        Thread.sleep(1000);
        w.barrier();
        results.add(new Row("rekey", n).rate(o.rekeyRate()).events(n, n > 1 ? (n - 1) / ((sentEnd - start) / 1e9) : Double.NaN)
                .changes(w.changes()).cpu(cpu1 - cpu0, n).load(loadText)
                .note(String.format("speaker counted %,.0f child-rekey events; path changes must be 0", received)));
        if (w.present() != n) {
            throw new IllegalStateException("after the rekey storm gobgpd holds " + w.present() + " of " + n + " paths");
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * After the last churn event: waits (up to 30 s) until every expected change was seen or is
     * part of a coalesced down/up pair, then until no change arrived for one second (late
     * changes of coalesced-looking pairs); true if nothing was still awaited.
     */
    private static boolean settle(RibWatch w) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (w.waiting() > 0 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        long changes = -1;
        while (changes != w.changes() && System.nanoTime() < end) {
            changes = w.changes();
            Thread.sleep(1000);
        }
        return w.waiting() == 0;
    }

    private void jfrStart(SpeakerJvm sp, String name) throws IOException, InterruptedException {
        if (o.jfr() != null) {
            Files.createDirectories(o.jfr());
            sp.jcmd(run.resolve(name + ".jfr-start.txt"), "JFR.start", "name=" + name, "settings=profile",
                    "filename=" + o.jfr().resolve(name + ".jfr"));
        }
    }

    private void jfrStop(SpeakerJvm sp, String name) throws IOException, InterruptedException {
        if (o.jfr() != null) {
            sp.jcmd(run.resolve(name + ".jfr-stop.txt"), "JFR.stop", "name=" + name);
        }
    }

    /**
     * Encodes every list-sa record the simulator holds, as its list-sas stream does, without a
     * socket: the simulator's own cost per snapshot (second of two passes; the first warms the JIT,
     * so the measured cold start is not slowed by a cold simulator).
     */
    private static double encodeSeconds(ViciServer vici) {
        net.rrispeaker.lab.ViciWriter wr = new net.rrispeaker.lab.ViciWriter();
        List<net.rrispeaker.lab.SimIkeSa> sas = vici.sas();
        long bytes = 0;
        long t = 0;
        for (int pass = 0; pass < 2; pass++) {
            t = System.nanoTime();
            for (net.rrispeaker.lab.SimIkeSa ike : sas) {
                wr.reset();
                net.rrispeaker.lab.CharonMessages.listSa(wr, ike);
                bytes += wr.frame(net.rrispeaker.lab.ViciWriter.EVENT, "list-sa").length;
            }
        }
        return bytes > 0 ? secs(t, System.nanoTime()) : 0;
    }

    private double speakerEvents(SpeakerJvm sp, String type) {
        return sp.metric("rri_sa_events_total", "type=\"" + type + "\"");
    }

    /**
     * Samples the speaker's CPU every 100 ms until an interval uses at most one tick (10 ms, i.e.
     * at most 10 % of a core) and returns the count at the start of that quiet interval (at most 20 s).
     */
    private static long quiescentTicks(SpeakerJvm sp) throws InterruptedException {
        long prev = sp.cpuTicks();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            Thread.sleep(100);
            long cur = sp.cpuTicks();
            if (cur - prev <= 1) {
                return prev;
            }
            prev = cur;
        }
        return prev;
    }

    private void awaitPresent(RibWatch w, int n, SpeakerJvm sp, String what) throws InterruptedException {
        long end = System.nanoTime() + o.timeout().toNanos();
        while (!w.await(() -> w.present() == n, TimeUnit.SECONDS.toNanos(1))) {
            if (sp != null) {
                sp.checkAlive();
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException(what + ": gobgpd holds " + w.present() + " of " + n + " paths after " + o.timeout());
            }
        }
    }

    private void checkTable(BenchGobgpd g, int n) {
        long num = new RawGobgp(g.channel()).numPaths();
        if (num != n) {
            throw new IllegalStateException("gobgpd GetTable: " + num + " paths (expected: " + n + ")");
        }
    }

    private static void writeLatencies(Path file, Latencies announce, Latencies withdraw) throws IOException {
        StringBuilder sb = new StringBuilder("kind,latency_us\n");
        for (long v : announce.sorted()) {
            sb.append("announce,").append(v / 1000).append('\n');
        }
        for (long v : withdraw.sorted()) {
            sb.append("withdraw,").append(v / 1000).append('\n');
        }
        Files.writeString(file, sb);
    }

    static double secs(long t0, long t1) {
        return (t1 - t0) / 1e9;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String getconf() {
        return oneLine(List.of("getconf", "CLK_TCK"));
    }

    static String oneLine(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return s;
        } catch (IOException e) {
            return "(" + String.join(" ", cmd) + ": " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /** The 1-minute load average, before and after a measurement. */
    static final class Load {
        private final String before;

        private Load(String before) {
            this.before = before;
        }

        static Load start() {
            return new Load(now());
        }

        static String now() {
            try {
                return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            } catch (IOException e) {
                return "?";
            }
        }

        String end() {
            return before + "→" + now();
        }
    }

    /** Cold-start arrival curves of one N, for the plot and arrivals-N.csv. */
    static final class Arrivals {
        final List<String> names = new ArrayList<>();
        final List<long[]> arrivals = new ArrayList<>();
        final List<Long> starts = new ArrayList<>();
        final List<Plot.Marker> markers = new ArrayList<>();

        void add(String name, long[] a, long start) {
            names.add(name);
            arrivals.add(a);
            starts.add(start);
        }

        void write(Path dir, int n) throws IOException {
            if (names.isEmpty()) {
                return;
            }
            Plot.arrivals(dir.resolve("cold-start-" + n + ".png"),
                    String.format("%,d paths into an empty gobgpd: paths in the RIB over time", n), names, arrivals, starts,
                    markers);
            StringBuilder sb = new StringBuilder("source,path_number,seconds\n");
            for (int k = 0; k < names.size(); k++) {
                long[] a = arrivals.get(k);
                for (int i = 0; i < a.length; i++) {
                    sb.append(names.get(k)).append(',').append(i + 1).append(',')
                            .append(String.format("%.6f", (a[i] - starts.get(k)) / 1e9)).append('\n');
                }
            }
            Files.writeString(dir.resolve("arrivals-" + n + ".csv"), sb);
        }
    }

}
