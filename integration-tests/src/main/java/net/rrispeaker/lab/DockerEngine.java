package net.rrispeaker.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Docker engine (Debian's {@code docker.io}) for one test: {@code dockerd} in a network
 * namespace of its own (entered with {@code nsenter --net}: under {@code ip netns exec} its
 * mounts fail), with no bridge, no iptables and no forwarding, so containers get only what a
 * test gives them ({@code --network none} plus Unix sockets in bind mounts), and with its own
 * data root, exec root and API socket in a directory {@code rri-docker-<pid>-<n>} under
 * {@code rri.docker.tmp} (default {@code /var/tmp}: image layers are too big for a tmpfs).
 *
 * <p>{@link #close()} removes every container the test started, stops dockerd by its PID (it
 * stops its containerd), kills whatever is left in its namespace, deletes the namespace, unmounts
 * what a killed dockerd left mounted and deletes the directory; a shutdown hook does the same if
 * the JVM is interrupted, and the namespace is one {@link Netns#sweep} removes after a dead JVM.
 */
public final class DockerEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);
    /** The CLI of the docker.io package (the version that matches its dockerd). */
    public static final String CLI = "/usr/bin/docker";
    private static final String DOCKERD = "/usr/sbin/dockerd";

    private final Path dir;
    private final Netns ns;
    private final Processes processes = new Processes();
    private final List<String> containers = new ArrayList<>();
    private final Thread hook;
    private Daemon dockerd;
    private boolean closed;

    private DockerEngine(Path dir, Netns ns) {
        this.dir = dir;
        this.ns = ns;
        hook = new Thread(this::close, "docker-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts dockerd and waits until it answers; fails with its log when it does not. */
    public static DockerEngine start() {
        if (!Files.isExecutable(Path.of(DOCKERD)) || !Files.isExecutable(Path.of(CLI))) {
            throw new IllegalStateException(DOCKERD + " and " + CLI + " (expected: Debian's docker.io package, "
                    + "see .ci/debian-packages.sh)");
        }
        String stem = Netns.nextStem();
        Path root = Path.of(System.getProperty("rri.docker.tmp", "/var/tmp"));
        Path dir;
        try {
            dir = Files.createDirectories(root.resolve("rri-docker-" + stem.substring(Netns.PREFIX.length())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the engine's directory in " + root, e);
        }
        DockerEngine engine = new DockerEngine(dir, Netns.create(stem + "-docker"));
        try {
            engine.startDaemon();
            return engine;
        } catch (RuntimeException | Error e) {
            log.error("docker={} reason=start-failed\n{}", dir, engine.dockerd == null ? "" : engine.dockerd.logTail(40));
            engine.close();
            throw e;
        }
    }

    private void startDaemon() {
        dockerd = processes.start("dockerd", dir.resolve("dockerd.log"), Map.of(), List.of(
                "nsenter", "--net=/run/netns/" + ns.name(), DOCKERD,
                "--iptables=false", "--ip6tables=false", "--bridge=none", "--ip-forward=false", "--ip-masq=false",
                "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("dockerd.pid").toString(), "-H", host(),
                "--log-level", "warn"));
        Await.until(Duration.ofSeconds(60), "dockerd answering on " + host(), () -> {
            if (!dockerd.alive()) {
                throw new IllegalStateException("dockerd exited with " + dockerd.exitValue() + ":\n" + dockerd.logTail(30));
            }
            return docker(Duration.ofSeconds(10), "version").ok();
        });
        log.info("docker={} event=up storage={}", dir, docker(Duration.ofSeconds(10), "info", "-f", "{{.Driver}}").stdout().strip());
    }

    /** The engine's API, for {@code DOCKER_HOST}. */
    public String host() {
        return "unix://" + dir.resolve("docker.sock");
    }

    public Path dir() {
        return dir;
    }

    /** Environment for a command that uses this engine through the docker CLI. */
    public Map<String, String> env() {
        return Map.of("DOCKER_HOST", host(), "DOCKER", CLI, "DOCKER_BUILDKIT", "0");
    }

    /** {@code docker ARGS} against this engine. */
    public Exec.Result docker(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of(CLI, "-H", host()));
        cmd.addAll(List.of(args));
        return Exec.run(timeout, Map.of(), cmd);
    }

    public Exec.Result docker(String... args) {
        return docker(Duration.ofSeconds(60), args);
    }

    /** {@code docker run -d ARGS}; the container is removed on {@link #close()}. Returns its id. */
    public String run(String name, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("run", "-d", "--name", name));
        cmd.addAll(args);
        containers.add(name);
        return docker(Duration.ofSeconds(120), cmd.toArray(String[]::new)).check().stdout().strip();
    }

    /** Removes the containers, stops dockerd and cleans up. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (dockerd != null && dockerd.alive()) {
            for (String c : containers) {
                docker(Duration.ofSeconds(30), "rm", "-f", c);
            }
        }
        processes.stopAll(Duration.ofSeconds(20));
        ns.delete();
        // a dockerd that had to be killed leaves its overlay and shm mounts
        try {
            List<String> mounts = Files.readAllLines(Path.of("/proc/self/mounts"));
            for (int i = mounts.size() - 1; i >= 0; i--) {
                String target = mounts.get(i).split(" ")[1];
                if (target.startsWith(dir.toString() + "/")) {
                    Exec.run("umount", "-l", target);
                }
            }
        } catch (IOException e) {
            log.warn("docker={} reason=mounts-unreadable error={}", dir, e.toString());
        }
        if (!Boolean.getBoolean("rri.lab.keep")) {
            Exec.run(Duration.ofSeconds(120), Map.of(), List.of("rm", "-rf", "--one-file-system", dir.toString()));
        }
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook runs close() again and returns at once
            }
        }
    }

    /** The tail of dockerd's log, for failure reports. */
    public String diagnostics() {
        return "--- dockerd " + dir.resolve("dockerd.log") + "\n" + (dockerd == null ? "" : dockerd.logTail(40));
    }
}
