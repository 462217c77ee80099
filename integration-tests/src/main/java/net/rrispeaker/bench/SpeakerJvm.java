package net.rrispeaker.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real speaker under test: {@code java FLAGS -jar rri-speaker.jar --config FILE}, a separate
 * JVM tracked by {@link Cleanup} (stopped by its PID). Reads what the benchmark reports from
 * outside the process: CPU time and RSS from {@code /proc/PID}, counters from its Prometheus
 * endpoint ({@code rri metrics-listen 127.0.0.1:PORT}), and the live heap through {@code jcmd}.
 */
final class SpeakerJvm implements AutoCloseable {
    private static final Pattern GENERATION_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    private final Cleanup.Proc proc;
    private final int metricsPort;
    private final long startNanos;
    private final long startMillis;

    private SpeakerJvm(Cleanup.Proc proc, int metricsPort, long startNanos, long startMillis) {
        this.proc = proc;
        this.metricsPort = metricsPort;
        this.startNanos = startNanos;
        this.startMillis = startMillis;
    }

    /**
     * Starts the speaker; returns at once (the caller's clock starts at {@link #startNanos()}).
     * With a {@code launcher} (the shipped {@code rri-speaker} script) it runs that, with this
     * JVM's {@code JAVA_HOME}, the jar in {@code RRI_SPEAKER_JAR} and {@code jvmFlags} in
     * {@code RRI_JAVA_OPTS} (after the script's defaults); the script execs the JVM, so the PID is
     * the speaker's. Without, {@code java FLAGS -jar JAR}.
     */
    static SpeakerJvm start(Path jar, Path launcher, List<String> jvmFlags, Path config, Path log, int metricsPort) {
        List<String> cmd = new ArrayList<>();
        java.util.Map<String, String> env = new java.util.HashMap<>();
        if (launcher != null) {
            cmd.add(launcher.toString());
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("RRI_SPEAKER_JAR", jar.toString());
            env.put("RRI_JAVA_OPTS", String.join(" ", jvmFlags));
        } else {
            cmd.add(javaTool("java"));
            cmd.addAll(jvmFlags);
            cmd.addAll(List.of("-jar", jar.toString()));
        }
        cmd.addAll(List.of("--config", config.toString()));
        long wall = System.currentTimeMillis();
        long t0 = System.nanoTime();
        Cleanup.Proc p = Cleanup.start("speaker", cmd, env, log);
        return new SpeakerJvm(p, metricsPort, t0, wall);
    }

    /** The JVM options the launcher script sets by default (its {@code RRI_JVM_DEFAULTS} line), for the report. */
    static String launcherDefaults(Path launcher) {
        try {
            for (String line : Files.readAllLines(launcher)) {
                Matcher m = Pattern.compile("RRI_JVM_DEFAULTS-\"([^\"]*)\"").matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "?";
    }

    static String javaTool(String name) {
        Path p = Path.of(System.getProperty("java.home"), "bin", name);
        return Files.isExecutable(p) ? p.toString() : name;
    }

    /**
     * Seconds from the process start to the first log line containing {@code marker} (the log's
     * millisecond ISO timestamps against the wall clock at start), NaN if there is none.
     */
    double logOffsetSeconds(String marker) {
        for (String line : read(proc.log).split("\n")) {
            if (line.contains(marker)) {
                try {
                    long at = java.time.OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant().toEpochMilli();
                    return (at - startMillis) / 1000.0;
                } catch (RuntimeException e) {
                    return Double.NaN;
                }
            }
        }
        return Double.NaN;
    }

    long pid() {
        return proc.pid();
    }

    long startNanos() {
        return startNanos;
    }

    boolean alive() {
        return proc.alive();
    }

    void checkAlive() {
        if (!proc.alive()) {
            throw new IllegalStateException("speaker (pid " + pid() + ") exited; log " + proc.log + ":\n" + tail(proc.log, 20));
        }
    }

    /** utime + stime of the whole process (all threads), in clock ticks. */
    long cpuTicks() {
        String stat = read(Path.of("/proc", Long.toString(pid()), "stat"));
        // the command name (field 2) may hold spaces; fields after it start at field 3 (state)
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** VmRSS in KiB. */
    long rssKib() {
        for (String line : read(Path.of("/proc", Long.toString(pid()), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid() + "/status");
    }

    /**
     * The sum of every sample of {@code name} (Prometheus name, e.g. {@code rri_sa_events_total})
     * whose label set contains {@code labelPart} (empty: all); NaN while the endpoint does not answer.
     */
    double metric(String name, String labelPart) {
        String text;
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + metricsPort + "/metrics").openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            try (InputStream in = c.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name) && (line.length() == name.length() || line.charAt(name.length()) == '{'
                    || line.charAt(name.length()) == ' ')) {
                int sp = line.lastIndexOf(' ');
                String labels = line.substring(name.length(), sp);
                if (labels.contains(labelPart)) {
                    sum += Double.parseDouble(line.substring(sp + 1));
                }
            }
        }
        return sum;
    }

    /** What a forced full GC leaves: heap used (sum of the generations) and live object bytes. */
    record Memory(long rssKib, long heapUsedKib, long liveBytes, long liveInstances) {
    }

    /**
     * {@code jcmd PID GC.run}, then {@code GC.heap_info} and {@code GC.class_histogram} (which
     * collects again and counts only reachable objects) and VmRSS; the outputs are written to
     * {@code out} with suffixes {@code .heap.txt} and {@code .histo.txt}.
     */
    Memory memory(Path out, String stem) throws IOException, InterruptedException {
        jcmd(out.resolve(stem + ".gc.txt"), "GC.run");
        String heap = jcmd(out.resolve(stem + ".heap.txt"), "GC.heap_info");
        String histo = jcmd(out.resolve(stem + ".histo.txt"), "GC.class_histogram");
        long used = 0;
        String beforeMetaspace = heap.contains("Metaspace") ? heap.substring(0, heap.indexOf("Metaspace")) : heap;
        Matcher m = GENERATION_USED.matcher(beforeMetaspace);
        while (m.find()) {
            used += Long.parseLong(m.group(2));
        }
        Matcher h = HISTOGRAM_TOTAL.matcher(histo);
        long liveBytes = -1;
        long liveInstances = -1;
        if (h.find()) {
            liveInstances = Long.parseLong(h.group(1));
            liveBytes = Long.parseLong(h.group(2));
        }
        return new Memory(rssKib(), used, liveBytes, liveInstances);
    }

    /** {@code jcmd PID COMMAND ARGS...}; output written to {@code file} and returned. */
    String jcmd(Path file, String command, String... args) throws IOException, InterruptedException {
        Files.deleteIfExists(file);
        List<String> cmd = new ArrayList<>(List.of(javaTool("jcmd"), Long.toString(pid()), command));
        cmd.addAll(List.of(args));
        Cleanup.Proc p = Cleanup.start("jcmd " + command, cmd, file);
        try {
            int rc = p.waitFor(120_000);
            if (rc != 0) {
                throw new IllegalStateException("jcmd " + pid() + " " + command + ": exit " + rc + "\n" + read(file));
            }
        } finally {
            Cleanup.close(p);
        }
        return read(file);
    }

    /** SIGTERM, then SIGKILL after 5 s. */
    @Override
    public void close() {
        Cleanup.close(proc);
    }

    Path log() {
        return proc.log;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path p, int lines) {
        try {
            List<String> all = Files.readAllLines(p);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + p + ")";
        }
    }
}
