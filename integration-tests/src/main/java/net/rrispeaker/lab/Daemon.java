package net.rrispeaker.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One long-running process the lab started, tracked by its PID (the {@link Process} handle: the
 * commands are built so that every wrapper execs, so the PID is the daemon's own). Output goes
 * to a log file.
 */
public final class Daemon {
    private final String name;
    private final Process process;
    private final Path log;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with {@code env} added, stdout and stderr appended to {@code log}. */
    public static Daemon start(String name, Path log, Map<String, String> env, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            return new Daemon(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Exit status, once the process has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Sends {@code signal} ({@code STOP}, {@code CONT}, {@code KILL}, ...) with {@code kill -SIGNAL PID}; no wait. */
    public void signal(String signal) {
        if (process.isAlive()) {
            Exec.run(Duration.ofSeconds(10), Map.of(), List.of("kill", "-" + signal, Long.toString(process.pid())));
        }
    }

    /** SIGKILL, then wait (bounded) until the process is reaped. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** SIGTERM, a bounded wait, then SIGKILL if it is still there. Idempotent. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(grace)) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The last {@code lines} lines of the log, for failure reports. */
    public String logTail(int lines) {
        return tail(log, lines);
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
    }
}
