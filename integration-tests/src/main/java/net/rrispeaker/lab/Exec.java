package net.rrispeaker.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a short command to completion with a deadline and captures its output. */
public final class Exec {
    private Exec() {
    }

    /** What a finished command printed and returned. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** True when the command exited with status 0. */
        public boolean ok() {
            return exitCode == 0;
        }

        /** Returns this result, or throws naming the command and its output when it failed. */
        public Result check() {
            if (!ok()) {
                throw new IllegalStateException("command " + String.join(" ", command) + ": exit " + exitCode
                        + " (expected: 0)\nstdout: " + stdout.strip() + "\nstderr: " + stderr.strip());
            }
            return this;
        }
    }

    /** Runs {@code command} with no extra environment and a 30 s deadline. */
    public static Result run(String... command) {
        return run(Duration.ofSeconds(30), Map.of(), List.of(command));
    }

    /**
     * Runs {@code command} with {@code env} added to this JVM's environment; kills it (by its
     * PID) when it outlives {@code timeout}.
     */
    public static Result run(Duration timeout, Map<String, String> env, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("command " + String.join(" ", command) + ": still running after "
                        + timeout.toMillis() + " ms (killed)");
            }
            return new Result(List.copyOf(command), p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
