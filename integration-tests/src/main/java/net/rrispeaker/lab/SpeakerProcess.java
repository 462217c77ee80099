package net.rrispeaker.lab;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import net.rrispeaker.control.api.CryptoRoute;
import net.rrispeaker.control.api.RriControlGrpc;
import net.rrispeaker.control.api.ShowBfdRequest;
import net.rrispeaker.control.api.ShowBfdResponse;
import net.rrispeaker.control.api.ShowCryptoRouteRequest;
import net.rrispeaker.control.api.StatusRequest;
import net.rrispeaker.control.api.StatusResponse;

/**
 * The real speaker as a separate JVM, started as it ships: the {@code rri-speaker} launcher next
 * to the jar ({@code rri-speaker --config FILE}, the shipped JVM defaults), or {@code java -jar
 * rri-speaker.jar --config FILE} for a jar without one. Its stdout and stderr are appended to
 * {@code speaker.log} in the lab dir; it is tracked by the lab so it is stopped with everything else.
 */
public final class SpeakerProcess {
    private final SpeakerHost lab;
    private final Path jar;
    private final Path config;
    private Daemon daemon;
    private int starts;

    public SpeakerProcess(SpeakerHost lab, Path jar, Path config) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("speaker jar: " + jar + " (expected: a built rri-speaker.jar; run mvn package)");
        }
        this.lab = lab;
        this.jar = jar;
        this.config = config;
    }

    /** The speaker jar named by system property {@code rri.speaker.jar}, else speaker/target/rri-speaker.jar. */
    public static Path defaultJar() {
        return Path.of(System.getProperty("rri.speaker.jar", "speaker/target/rri-speaker.jar")).toAbsolutePath().normalize();
    }

    public Path log() {
        return lab.dir().resolve("speaker.log");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts the speaker and waits until its control API answers {@code show crypto route}. */
    public void start() {
        if (daemon != null && daemon.alive()) {
            throw new IllegalStateException("speaker: running (expected: stopped)");
        }
        starts++;
        appendMarker("=== speaker start #" + starts);
        daemon = lab.startProcess("speaker", log(), command());
        Await.until(Duration.ofSeconds(30), "speaker control API on " + lab.controlSocket(), () -> {
            if (!daemon.alive()) {
                throw new IllegalStateException("speaker exited with " + daemon.exitValue() + ":\n" + logTail(20));
            }
            try {
                cryptoRoutes();
                return true;
            } catch (io.grpc.StatusRuntimeException notYet) {
                return false;
            }
        });
    }

    /**
     * The launcher when there is one next to the jar: run through {@code env} (which execs it, and
     * it execs the JVM: the PID the lab tracks is the speaker's) with this JVM as JAVA_HOME.
     */
    private List<String> command() {
        Path launcher = jar.resolveSibling("rri-speaker");
        if (Files.isExecutable(launcher)) {
            return List.of("env", "JAVA_HOME=" + System.getProperty("java.home"), "RRI_SPEAKER_JAR=" + jar,
                    launcher.toString(), "--config", config.toString());
        }
        return List.of(java(), "-jar", jar.toString(), "--config", config.toString());
    }

    /** The speaker's route table through its control API (gRPC over the control socket). */
    public List<CryptoRoute> cryptoRoutes() {
        return control(stub -> stub.showCryptoRoute(ShowCryptoRouteRequest.getDefaultInstance()).getRoutesList());
    }

    /** The speaker's flap history ({@code rri dampening}) through its control API. */
    public net.rrispeaker.control.api.ShowDampeningResponse dampening() {
        return control(stub -> stub.showDampening(net.rrispeaker.control.api.ShowDampeningRequest.getDefaultInstance()));
    }

    /** {@code java -jar rri-speaker.jar show dampening --control unix:PATH}, unchecked. */
    public Exec.Result showDampening() {
        return Exec.run(Duration.ofSeconds(30), Map.of(), List.of(java(), "-jar", jar.toString(), "show", "dampening",
                "--control", "unix:" + lab.controlSocket()));
    }

    /** The speaker's status (SAs, routes, connection of each source and sink) through its control API. */
    public StatusResponse status() {
        return control(stub -> stub.status(StatusRequest.getDefaultInstance()));
    }

    /** {@code show bfd} through the control API (the ShowBfd RPC). */
    public ShowBfdResponse bfd() {
        return control(stub -> stub.showBfd(ShowBfdRequest.getDefaultInstance()));
    }

    /** {@code java -jar rri-speaker.jar show WHAT... --control unix:PATH}, unchecked. */
    public Exec.Result show(String... what) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jar.toString(), "show"));
        cmd.addAll(List.of(what));
        cmd.add("--control");
        cmd.add("unix:" + lab.controlSocket());
        return Exec.run(Duration.ofSeconds(30), Map.of(), cmd);
    }

    /** True when the control API answers and every component reports itself connected. */
    public boolean allConnected() {
        try {
            return status().getComponentsList().stream().allMatch(c -> c.getConnected());
        } catch (io.grpc.StatusRuntimeException e) {
            return false;
        }
    }

    // a fresh channel per call: after a speaker restart an old channel would sit in reconnect backoff
    private <T> T control(Function<RriControlGrpc.RriControlBlockingStub, T> call) {
        ManagedChannel channel = Grpc.newChannelBuilder("unix://" + lab.controlSocket(), InsecureChannelCredentials.create()).build();
        try {
            return call.apply(RriControlGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS));
        } finally {
            channel.shutdownNow();
        }
    }

    /** SIGKILL: no goodbye, nothing withdrawn by the speaker itself. */
    public void kill() {
        if (daemon != null) {
            daemon.kill();
        }
    }

    /** SIGTERM with a bounded wait, then SIGKILL. */
    public void stop() {
        if (daemon != null) {
            daemon.stop(Duration.ofSeconds(10));
        }
    }

    /** SIGHUP ({@code kill -HUP PID}): the speaker re-reads its config file. Returns at once. */
    public void hangUp() {
        if (daemon == null || !daemon.alive()) {
            throw new IllegalStateException("speaker: stopped (expected: running, to send SIGHUP)");
        }
        Exec.run(Duration.ofSeconds(10), Map.of(), List.of("kill", "-HUP", Long.toString(daemon.pid()))).check();
    }

    /** The whole speaker log so far (every start of this lab), for counting what it said. */
    public String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log()) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public boolean alive() {
        return daemon != null && daemon.alive();
    }

    /** PID of the speaker JVM (of its latest start). */
    public long pid() {
        if (daemon == null) {
            throw new IllegalStateException("speaker: never started (expected: started, to have a PID)");
        }
        return daemon.pid();
    }

    /** {@code java -jar rri-speaker.jar show crypto route [--json] --control unix:PATH}, unchecked. */
    public Exec.Result showCryptoRoute(boolean json) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jar.toString(), "show", "crypto", "route"));
        if (json) {
            cmd.add("--json");
        }
        cmd.add("--control");
        cmd.add("unix:" + lab.controlSocket());
        return Exec.run(Duration.ofSeconds(30), Map.of(), cmd);
    }

    /** {@code java -jar rri-speaker.jar --config FILE --check-config}, unchecked. */
    public static Exec.Result checkConfig(Path jar, Path config) {
        return Exec.run(Duration.ofSeconds(30), Map.of(),
                List.of(java(), "-jar", jar.toString(), "--config", config.toString(), "--check-config"));
    }

    public String logTail(int lines) {
        return Daemon.tail(log(), lines);
    }

    private void appendMarker(String line) {
        try {
            Files.writeString(log(), line + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
