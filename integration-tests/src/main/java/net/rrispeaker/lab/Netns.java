package net.rrispeaker.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network namespaces owned by one JVM. Names are {@code rri-<jvm pid>-<lab number>-<role>}, so a
 * later run can tell which leftovers belong to a JVM that is gone ({@link #sweep()}).
 */
public final class Netns {
    private static final Logger log = LoggerFactory.getLogger(Netns.class);
    /** Project prefix of every namespace and temp dir the lab creates. */
    static final String PREFIX = "rri-";
    private static final Pattern OWNED = Pattern.compile("^rri-(\\d+)-(\\d+)-[a-z]+$");
    private static final Pattern LAB_DIR = Pattern.compile("^rri-lab-(\\d+)-.*$");
    private static final AtomicInteger LABS = new AtomicInteger();

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** Next unique name stem for a lab of this JVM: {@code rri-<pid>-<n>}. */
    static String nextStem() {
        return PREFIX + ProcessHandle.current().pid() + "-" + LABS.incrementAndGet();
    }

    /**
     * Creates the namespace and brings its loopback up. IPv6 duplicate address detection is off
     * for every interface created in it later, so link-local addresses (which FRR needs before
     * it opens an IPv6 session) are usable at once.
     */
    static Netns create(String name) {
        Exec.run("ip", "netns", "add", name).check();
        Netns ns = new Netns(name);
        ns.exec("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0").check();
        ns.exec("ip", "link", "set", "lo", "up").check();
        return ns;
    }

    public String name() {
        return name;
    }

    /** {@code ip netns exec NAME command...}, checked by the caller. */
    public Exec.Result exec(String... command) {
        return Exec.run(Duration.ofSeconds(30), java.util.Map.of(), wrap(List.of(command)));
    }

    /** The command prefixed with {@code ip netns exec NAME}. */
    public List<String> wrap(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /** PIDs of every process whose network namespace is this one. */
    List<Long> pids() {
        return pidsOf(name);
    }

    private static List<Long> pidsOf(String ns) {
        Exec.Result r = Exec.run("ip", "netns", "pids", ns);
        List<Long> pids = new ArrayList<>();
        if (r.ok()) {
            for (String line : r.stdout().split("\\s+")) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.strip()));
                }
            }
        }
        return pids;
    }

    /** Kills (TERM, bounded wait, KILL) every process still in the namespace, then deletes it. */
    void delete() {
        killAll(name);
        Exec.Result r = Exec.run("ip", "netns", "del", name);
        if (!r.ok() && exists(name)) {
            log.warn("netns={} reason=delete-failed stderr={}", name, r.stderr().strip());
        }
    }

    static void killAll(String ns) {
        List<ProcessHandle> victims = new ArrayList<>();
        for (long pid : pidsOf(ns)) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroy();
                victims.add(h);
            });
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (ProcessHandle h : victims) {
            while (running(h) && System.nanoTime() < deadline) {
                sleepQuietly(50);
            }
            if (running(h)) {
                h.destroyForcibly();
            }
        }
    }

    /** Alive and not a zombie (PID 1 may reap orphans late). */
    private static boolean running(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || stat.length() < close + 3 || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    static boolean exists(String ns) {
        return list().contains(ns);
    }

    private static List<String> list() {
        Exec.Result r = Exec.run("ip", "netns", "list");
        List<String> names = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isBlank()) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    /**
     * Removes what labs of dead JVMs left behind: namespaces {@code rri-<pid>-...} (and every
     * process in them) and temp dirs {@code rri-lab-<pid>-...} whose JVM pid no longer runs.
     * Never touches anything of a live JVM.
     */
    public static void sweep(Path tempRoot) {
        for (String ns : list()) {
            Matcher m = OWNED.matcher(ns);
            if (m.matches() && ownerDead(Long.parseLong(m.group(1)))) {
                log.info("netns={} reason=leftover-of-dead-jvm action=delete", ns);
                killAll(ns);
                Exec.run("ip", "netns", "del", ns);
            }
        }
        try (Stream<Path> dirs = Files.list(tempRoot)) {
            for (Path dir : dirs.toList()) {
                Matcher m = LAB_DIR.matcher(dir.getFileName().toString());
                if (m.matches() && ownerDead(Long.parseLong(m.group(1)))) {
                    log.info("dir={} reason=leftover-of-dead-jvm action=delete", dir);
                    deleteTree(dir);
                }
            }
        } catch (IOException e) {
            log.warn("dir={} reason=sweep-failed error={}", tempRoot, e.toString());
        }
    }

    private static boolean ownerDead(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        return h.isEmpty() || !running(h.get());
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("dir={} reason=delete-failed error={}", dir, e.toString());
        }
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
