package net.rrispeaker.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * gobgpd in the hub namespace. Its gRPC API listens on a path-based unix socket in the lab dir
 * ({@code --api-hosts unix://PATH}), which processes in any network namespace (the test JVM, the
 * speaker) can reach. No persistence: after {@link #restart()} its RIB is empty.
 */
public final class Gobgpd {
    private final Netns ns;
    private final Path dir;
    private final Path socket;
    private final Processes processes;
    private Daemon daemon;

    Gobgpd(Netns ns, Path dir, Path socket, Processes processes) {
        this(ns, dir, socket, processes, "gobgpd.toml.tmpl", Map.of());
    }

    /** With its config rendered from another template (e.g. an eBGP upstream), {@code vars} added. */
    Gobgpd(Netns ns, Path dir, Path socket, Processes processes, String template, Map<String, String> vars) {
        this.ns = ns;
        this.dir = dir;
        this.socket = socket;
        this.processes = processes;
        Template.write(template, vars, dir.resolve("gobgpd.toml"));
    }

    /** The gRPC unix socket path. */
    public Path socket() {
        return socket;
    }

    /** Starts gobgpd and waits until its API reports the configured AS. */
    public void start() {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon = processes.start("gobgpd", dir.resolve("gobgpd.log"), Map.of(), ns.wrap(List.of(
                "gobgpd", "-f", dir.resolve("gobgpd.toml").toString(), "-t", "toml",
                "--api-hosts", "unix://" + socket, "--pprof-disable", "-l", "info")));
        Await.until(Duration.ofSeconds(15), "gobgpd API on " + socket, () -> {
            if (!daemon.alive()) {
                throw new IllegalStateException("gobgpd exited: " + daemon.logTail(5));
            }
            Exec.Result r = cli("global");
            return r.ok() && r.stdout().contains(Integer.toString(Topology.AS));
        });
    }

    public void stop() {
        if (daemon != null) {
            daemon.stop(Duration.ofSeconds(10));
        }
    }

    public void kill() {
        if (daemon != null) {
            daemon.kill();
        }
    }

    public void restart() {
        stop();
        start();
    }

    /** gobgpd's PID (for signals). */
    public long pid() {
        return daemon.pid();
    }

    /** SIGSTOP: gobgpd hangs with its TCP sessions open (a frozen headend). */
    public void freeze() {
        Exec.run(Duration.ofSeconds(5), Map.of(), List.of("kill", "-STOP", Long.toString(daemon.pid()))).check();
    }

    /** SIGCONT: undoes {@link #freeze()}. */
    public void thaw() {
        Exec.run(Duration.ofSeconds(5), Map.of(), List.of("kill", "-CONT", Long.toString(daemon.pid()))).check();
    }

    public boolean alive() {
        return daemon != null && daemon.alive();
    }

    /** The running daemon (for signals such as SIGSTOP), or null before the first start. */
    public Daemon daemon() {
        return daemon;
    }

    /** The gobgp CLI against this daemon ({@code gobgp --target unix://SOCKET ARGS...}), unchecked. */
    public Exec.Result cli(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("gobgp", "--target", "unix://" + socket));
        cmd.addAll(List.of(args));
        return Exec.run(Duration.ofSeconds(15), Map.of(), cmd);
    }
}
