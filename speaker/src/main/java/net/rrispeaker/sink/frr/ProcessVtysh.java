package net.rrispeaker.sink.frr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.FrrSettings;

/**
 * vtysh as a child process, talking to one daemon only ({@code -d staticd}, {@code -d bfdd})
 * through the vty socket directory (a unix socket path, so it reaches an FRR in another network
 * namespace as well). Reads with {@code -c 'show ...'}; writes a whole batch with {@code -f FILE},
 * which vtysh applies as one transaction.
 */
public final class ProcessVtysh implements Vtysh {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration APPLY_TIMEOUT = Duration.ofMinutes(10);

    private final List<String> base;
    private final Path socket;

    ProcessVtysh(FrrSettings settings) {
        this(settings.vtysh(), settings.vtySocketDir(), "staticd");
    }

    /**
     * @param vtysh     the vtysh binary
     * @param socketDir FRR's vty socket directory, {@code null} for vtysh's default
     *                  ({@link FrrSettings#DEFAULT_VTY_SOCKET_DIR})
     * @param daemon    the one daemon vtysh talks to ({@code -d DAEMON})
     */
    public ProcessVtysh(String vtysh, String socketDir, String daemon) {
        List<String> b = new ArrayList<>(List.of(vtysh));
        if (socketDir != null) {
            b.add("--vty_socket");
            b.add(socketDir);
        }
        b.add("-d");
        b.add(daemon);
        this.base = List.copyOf(b);
        this.socket = Path.of(socketDir == null ? FrrSettings.DEFAULT_VTY_SOCKET_DIR : socketDir, daemon + ".vty");
    }

    @Override
    public String show(String command) throws IOException {
        List<String> cmd = new ArrayList<>(base);
        cmd.add("-c");
        cmd.add(command);
        Result r = run(cmd, READ_TIMEOUT);
        if (!r.ok()) {
            throw new IOException("vtysh " + command + ": exit " + r.exitCode() + ": " + oneLine(r.output()));
        }
        return r.output();
    }

    @Override
    public Result apply(String text) throws IOException {
        Path file = Files.createTempFile("rri-frr-batch-", ".conf");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(base);
            cmd.add("-f");
            cmd.add(file.toString());
            return run(cmd, APPLY_TIMEOUT);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public Object daemonIdentity() {
        try {
            return Files.getAttribute(socket, "unix:ino") + "/" + Files.getAttribute(socket, "unix:ctime");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String describe() {
        return socket.toString();
    }

    private static Result run(List<String> cmd, Duration timeout) throws IOException {
        Path out = Files.createTempFile("rri-frr-vtysh-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile());
            Process p = pb.start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while vtysh ran");
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException("vtysh did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** {@code s} on one line (line breaks become " | "), at most 400 characters: for logs and status. */
    public static String oneLine(String s) {
        String t = s.strip().replaceAll("\\s*\\n\\s*", " | ");
        return t.length() > 400 ? t.substring(0, 400) + "..." : t;
    }
}
