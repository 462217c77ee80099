package net.rrispeaker.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one lab owns and must give back: a temp dir {@code rri-lab-<pid>-*}, the network namespaces
 * it created ({@code rri-<pid>-<n>-<role>}) and every process it started. {@link #close()} stops
 * the processes by PID (TERM, bounded wait, KILL; the most recent first), deletes the namespaces
 * and the dir; a shutdown hook does the same if the JVM is interrupted. Creating one first sweeps
 * what labs of dead JVMs left behind. Shared by {@link Lab} and {@link HaLab}. Set system property
 * {@code rri.lab.keep=true} to keep the dir (logs) after close.
 */
final class LabResources implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LabResources.class);
    static final Path TMP = Path.of(System.getProperty("rri.lab.tmp", "/tmp"));

    private final Path dir;
    private final String stem;
    private final Processes processes = new Processes();
    private final List<Netns> namespaces = new ArrayList<>();
    private final Thread hook;
    private boolean closed;

    private LabResources(Path dir, Runnable onInterrupt) {
        this.dir = dir;
        this.stem = Netns.nextStem();
        this.hook = new Thread(onInterrupt, "lab-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Sweeps leftovers of dead JVMs, creates the dir; {@code onInterrupt} runs if the JVM exits first. */
    static LabResources create(Runnable onInterrupt) {
        Netns.sweep(TMP);
        try {
            return new LabResources(Files.createTempDirectory(TMP, "rri-lab-" + ProcessHandle.current().pid() + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))), onInterrupt);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create lab dir in " + TMP, e);
        }
    }

    Path dir() {
        return dir;
    }

    Processes processes() {
        return processes;
    }

    /** Creates namespace {@code <stem>-<role>} ({@code role}: lower-case letters) owned by this lab. */
    synchronized Netns netns(String role) {
        Netns ns = Netns.create(stem + "-" + role);
        namespaces.add(ns);
        return ns;
    }

    Path mkdir(String sub) {
        try {
            return Files.createDirectories(dir.resolve(sub));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ip ARGS...}, checked. */
    static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Exec.run(Duration.ofSeconds(15), Map.of(), cmd).check();
    }

    /** {@code ip -n NS addr add CIDR dev DEV FLAGS...}, checked. */
    static void addr(Netns ns, String cidr, String dev, String... flags) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns.name(), "addr", "add", cidr, "dev", dev));
        cmd.addAll(List.of(flags));
        Exec.run(Duration.ofSeconds(15), Map.of(), cmd).check();
    }

    /** Stops every process by PID, deletes the namespaces and (unless rri.lab.keep) the dir. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        processes.stopAll(Duration.ofSeconds(5));
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            namespaces.get(i).delete();
        }
        if (!Boolean.getBoolean("rri.lab.keep")) {
            Netns.deleteTree(dir);
        } else {
            log.info("lab={} event=kept", dir);
        }
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook runs close() again and returns at once
            }
        }
    }
}
