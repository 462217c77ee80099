package net.rrispeaker.bench;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.gobgp.api.GetBgpRequest;
import net.rrispeaker.gobgp.api.GobgpApiGrpc;

/**
 * A gobgpd for the benchmark: API on a unix socket in its own temp dir, {@code port = -1} and no
 * neighbours, so it listens on no network socket at all (checked with {@code ss -lpn}: only the
 * unix socket). Tracked by its PID; {@link #close()} stops it (SIGTERM, then SIGKILL) and removes
 * the dir, and is idempotent.
 */
final class BenchGobgpd implements AutoCloseable {
    static final int AS = 65000;

    private final Path dir;
    private final Path socket;
    private final Process process;
    private final ManagedChannel channel;

    private BenchGobgpd(Path dir, Path socket, Process process, ManagedChannel channel) {
        this.dir = dir;
        this.socket = socket;
        this.process = process;
        this.channel = channel;
    }

    /** Starts gobgpd and waits (bounded) until its API reports the configured AS. */
    static BenchGobgpd start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("rri-bulk-");
        Path socket = dir.resolve("api.sock");
        Path toml = dir.resolve("gobgpd.toml");
        Files.writeString(toml, """
                # benchmark gobgpd: no BGP listener, no neighbours; API only on --api-hosts
                [global.config]
                  as = %d
                  router-id = "192.0.2.1"
                  port = -1
                """.formatted(AS), StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(List.of("gobgpd", "-f", toml.toString(), "-t", "toml",
                "--api-hosts", "unix://" + socket, "--pprof-disable", "-l", "warn"));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("gobgpd.log").toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            deleteTree(dir);
            throw e;
        }
        ManagedChannel ch = Grpc.newChannelBuilder("unix://" + socket, InsecureChannelCredentials.create())
                .maxInboundMessageSize(256 * 1024 * 1024).build();
        BenchGobgpd g = new BenchGobgpd(dir, socket, p, ch);
        try {
            g.awaitReady(Duration.ofSeconds(15));
        } catch (RuntimeException | InterruptedException e) {
            g.close();
            throw e;
        }
        return g;
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gobgpd exited: " + process.exitValue() + " log: " + log());
            }
            if (Files.exists(socket)) {
                try {
                    int asn = GobgpApiGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                            .getBgp(GetBgpRequest.getDefaultInstance()).getGlobal().getAsn();
                    if (asn == AS) {
                        return;
                    }
                    last = "asn " + asn;
                } catch (StatusRuntimeException e) {
                    last = e.getStatus().toString();
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("gobgpd API on " + socket + ": not ready after " + timeout + " (" + last + ")");
    }

    /** {@code unix:PATH}, the speaker's {@code rri gobgp-api} form. */
    String target() {
        return "unix:" + socket;
    }

    /** The API's unix socket. */
    Path socket() {
        return socket;
    }

    /** A channel the benchmark's own raw calls use. */
    ManagedChannel channel() {
        return channel;
    }

    long pid() {
        return process.pid();
    }

    /** gobgpd's resident set size in MiB, from /proc (-1 if unreadable). */
    long rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("gobgpd.log"));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("bench: cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
