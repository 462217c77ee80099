package net.rrispeaker.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Everything a benchmark run started, closed in reverse order by {@link #closeAll()}, which the
 * shutdown hook also calls (Ctrl-C). Processes are tracked by their {@link Process} handle, so
 * each is ended by its own PID (SIGTERM, 5 s, then SIGKILL); nothing is looked up by name.
 */
final class Cleanup {
    private static final List<AutoCloseable> LIVE = new ArrayList<>();
    private static boolean hooked;

    private Cleanup() {
    }

    /** Installs the shutdown hook once. */
    static synchronized void installHook() {
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::closeAll, "bench-cleanup"));
        }
    }

    static synchronized <T extends AutoCloseable> T track(T c) {
        LIVE.add(c);
        return c;
    }

    /** Closes {@code c} now and forgets it. */
    static void close(AutoCloseable c) {
        if (c == null) {
            return;
        }
        synchronized (Cleanup.class) {
            LIVE.remove(c);
        }
        closeQuietly(c);
    }

    /** Closes everything still tracked, the most recent first. Idempotent. */
    static void closeAll() {
        while (true) {
            AutoCloseable c;
            synchronized (Cleanup.class) {
                if (LIVE.isEmpty()) {
                    return;
                }
                c = LIVE.remove(LIVE.size() - 1);
            }
            closeQuietly(c);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("bench: cleanup of " + c + " failed: " + e);
        }
    }

    /** A started process, tracked; stdout and stderr appended to {@code log}. */
    static Proc start(String name, List<String> command, Path log) {
        return start(name, command, java.util.Map.of(), log);
    }

    /** {@link #start(String, List, Path)} with {@code env} added to this JVM's environment. */
    static Proc start(String name, List<String> command, java.util.Map<String, String> env, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            return track(new Proc(name, pb.start(), log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    /** A temp dir removed (with its content) on close. */
    static Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        track(new AutoCloseable() {
            @Override
            public void close() {
                deleteTree(dir);
            }

            @Override
            public String toString() {
                return "dir " + dir;
            }
        });
        return dir;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("bench: cannot remove " + dir + ": " + e.getMessage());
        }
    }

    /** One process the benchmark started. */
    static final class Proc implements AutoCloseable {
        final String name;
        final Process process;
        final Path log;

        Proc(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
        }

        long pid() {
            return process.pid();
        }

        boolean alive() {
            return process.isAlive();
        }

        /** Waits for the exit; the exit status, or -1 after {@code timeoutMillis}. */
        int waitFor(long timeoutMillis) throws InterruptedException {
            return process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        }

        /** SIGTERM, up to 5 s, then SIGKILL; idempotent. */
        @Override
        public void close() {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            return name + "[pid " + process.pid() + "]";
        }
    }
}
