package net.rrispeaker.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * FRR's bfdd in a lab namespace, started from lab code in one call: beside a headend's gobgpd
 * (with a zebra of its own: bfdd needs one; {@link #startWithZebra}) or beside an FRR router's
 * zebra that already runs in {@code dir} ({@link #startBeside}, e.g. the core's bgpd with
 * {@code neighbor X bfd}). Every path (config, pid file, zebra API socket, vty socket) is under
 * {@code dir}; the daemons are tracked by the lab's {@link Processes}, so closing the lab stops them.
 * The speaker reaches bfdd through {@code rri bfd vtysh-socket-dir} {@link #dir()}.
 *
 * <p>For failure tests: {@link #freeze()} / {@link #thaw()} (SIGSTOP / SIGCONT: a hung headend
 * whose link stays up) and {@link #restart()} (bfdd loses every peer it was given at run time).
 */
public final class Bfdd {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Processes processes;
    private final Netns ns;
    private final Path dir;
    private final Daemon zebra;
    private Daemon bfdd;

    private Bfdd(Processes processes, Netns ns, Path dir, Daemon zebra) {
        this.processes = processes;
        this.ns = ns;
        this.dir = dir;
        this.zebra = zebra;
    }

    /**
     * Starts zebra and bfdd in {@code ns}, everything under {@code dir} (created, chowned to frr);
     * {@code bfddConfig} is bfdd's startup configuration (may be empty). Do not use a dir where
     * another zebra of the same namespace runs.
     */
    static Bfdd startWithZebra(Processes processes, Netns ns, Path dir, String bfddConfig) {
        write(dir, "zebra.conf", "hostname " + ns.name() + "\nlog timestamp precision 3\n");
        write(dir, "bfdd.conf", bfddConfig);
        chown(dir);
        Daemon zebra = Frr.startDaemon(processes, ns, dir, "zebra");
        Await.until(Duration.ofSeconds(10), "zebra API socket", () -> Files.exists(dir.resolve("zserv.api")));
        Bfdd b = new Bfdd(processes, ns, dir, zebra);
        b.startBfdd();
        return b;
    }

    /** Starts bfdd in {@code ns} beside the zebra already running with its API socket in {@code dir}. */
    static Bfdd startBeside(Processes processes, Netns ns, Path dir, String bfddConfig) {
        write(dir, "bfdd.conf", bfddConfig);
        chown(dir);
        Bfdd b = new Bfdd(processes, ns, dir, null);
        b.startBfdd();
        return b;
    }

    /** bfdd configuration text with one profile of {@code intervalMs} transmit and receive interval. */
    public static String profileConfig(String profile, int intervalMs) {
        return "bfd\n profile " + profile + "\n  transmit-interval " + intervalMs + "\n  receive-interval " + intervalMs
                + "\n exit\nexit\n";
    }

    /**
     * {@code neighbor N bfd} and {@code neighbor N bfd profile PROFILE} for each neighbour in the
     * {@code router bgp AS} of the bgpd whose vty socket is in {@code vtyDir} (an FRR upstream router
     * with bfdd beside it): it drops a BGP session when the neighbour's BFD session goes down.
     */
    public static void bgpNeighborBfd(Path vtyDir, int as, String profile, List<String> neighbours) {
        List<String> cmd = new ArrayList<>(List.of("vtysh", "--vty_socket", vtyDir.toString(), "-d", "bgpd",
                "-c", "configure terminal", "-c", "router bgp " + as));
        for (String n : neighbours) {
            cmd.addAll(List.of("-c", "neighbor " + n + " bfd", "-c", "neighbor " + n + " bfd profile " + profile));
        }
        Exec.run(Duration.ofSeconds(15), Map.of(), cmd).check();
    }

    private void startBfdd() {
        bfdd = Frr.startDaemon(processes, ns, dir, "bfdd");
    }

    /** The vty socket directory ({@code vtysh --vty_socket}, {@code rri bfd vtysh-socket-dir}). */
    public Path dir() {
        return dir;
    }

    /** bfdd's PID (for signals). */
    public long pid() {
        return bfdd.pid();
    }

    /** {@code vtysh --vty_socket DIR -d bfdd -c C1 -c C2 ...}, checked. */
    public String vtysh(String... commands) {
        List<String> cmd = new ArrayList<>(List.of("vtysh", "--vty_socket", dir.toString(), "-d", "bfdd"));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        return Exec.run(Duration.ofSeconds(15), Map.of(), cmd).check().stdout();
    }

    /** Configuration lines entered in bfdd's {@code bfd} node (e.g. {@code peer A}, {@code exit}), checked. */
    public void configure(String... bfdLines) {
        List<String> c = new ArrayList<>(List.of("configure terminal", "bfd"));
        c.addAll(List.of(bfdLines));
        vtysh(c.toArray(String[]::new));
    }

    /** bfdd's running configuration. */
    public String runningConfig() {
        return vtysh("show running-config");
    }

    /** {@code show bfd peers json}. */
    public JsonNode peers() {
        try {
            return JSON.readTree(vtysh("show bfd peers json"));
        } catch (IOException e) {
            throw new UncheckedIOException("show bfd peers json: not JSON", e);
        }
    }

    /** The status bfdd reports for the session to {@code peer} ({@code up}, {@code down}, ...), or {@code null}. */
    public String status(String peer) {
        for (JsonNode p : peers()) {
            if (peer.equals(p.path("peer").asText())) {
                return p.path("status").asText();
            }
        }
        return null;
    }

    /** SIGSTOP to bfdd (and this zebra, if it started one): the process hangs, its sockets stay. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT: undoes {@link #freeze()}. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String sig) {
        List<Long> pids = new ArrayList<>(List.of(bfdd.pid()));
        if (zebra != null) {
            pids.add(zebra.pid());
        }
        for (long pid : pids) {
            Exec.run(Duration.ofSeconds(5), Map.of(), List.of("kill", "-" + sig, Long.toString(pid))).check();
        }
    }

    /** Stops bfdd (TERM) and starts it again with its startup configuration: run-time peers are gone. */
    public void restart() {
        bfdd.stop(Duration.ofSeconds(10));
        try {
            Files.deleteIfExists(dir.resolve("bfdd.vty")); // so the start below waits for the new one
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startBfdd();
    }

    /** The tail of bfdd's log. */
    public String logTail(int lines) {
        return Daemon.tail(dir.resolve("bfdd.log"), lines);
    }

    private static void write(Path dir, String name, String text) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }

    private static void chown(Path dir) {
        Exec.run("chown", "-R", "frr:frr", dir.toString()).check();
    }
}
