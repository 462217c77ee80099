package net.rrispeaker.sink.gobgp;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.RriSettings;
import net.rrispeaker.model.VrfDefinition;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.sink.PathSink;
import net.rrispeaker.sink.PathUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes gobgpd's RIB hold exactly the desired BGP paths, through the GoBGP v3 gRPC API.
 *
 * <p>The sink keeps the desired set: {@link #resync} hands it the complete set, {@link #apply}
 * the changes since. Both only record the request and wake the sink's single worker thread; while
 * the worker is busy, changes to one key collapse into the newest ({@link PendingPaths}). On every
 * (re)connect the worker lists what gobgpd holds (ListPath on the global IPv4/IPv6 unicast and
 * VPN tables), keeps the paths marked with our path identifier, and diffs the whole desired set
 * against them: new or changed paths are announced, stale ones withdrawn, a path that is already
 * right is left alone. From then on a change is diffed for its own key only, so an SA event costs
 * the same with 10 paths held as with 100,000. Paths without our identifier are never touched.
 * gobgpd keeps no state across a restart; the WatchEvent stream ending (or an UNAVAILABLE call)
 * marks the sink disconnected, it backs off 0.5 s doubling to 5 s, waits until gobgpd has a
 * global AS, and resyncs. Changes go in bulk through AddPathStream with a unary fallback that
 * isolates a bad path ({@link PathWriter}); a path gobgpd refused is tried again with the next
 * work.
 *
 * <p>Threads: one worker owns all state; {@link #resync}, {@link #apply}, {@link #status} and
 * {@link #announced} may be called from any thread.
 */
public final class GobgpSink implements PathSink {
    private static final Logger log = LoggerFactory.getLogger(GobgpSink.class);

    /** Default Path.identifier that marks our paths in gobgpd: {@code rri gobgp path-identifier}'s default. */
    public static final long DEFAULT_PATH_IDENTIFIER = RriSettings.DEFAULT_PATH_ID;

    private final String target;
    private final ManagedChannel channel;
    private final SinkWorker worker;
    private final Thread thread;

    /**
     * @param target         {@code host:port} or {@code unix:PATH} (gobgpd's {@code --api-hosts})
     * @param pathIdentifier the Path.identifier (1..4294967295) stamped on every path we create
     * @param registry       where the sink's meters go
     */
    public GobgpSink(String target, long pathIdentifier, MeterRegistry registry) {
        this(target, channel(target), pathIdentifier, registry, SinkSettings.DEFAULTS);
    }

    GobgpSink(String target, ManagedChannel channel, long pathIdentifier, MeterRegistry registry,
              SinkSettings settings) {
        if (pathIdentifier < 1 || pathIdentifier > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("path identifier: " + pathIdentifier + " (expected: 1..4294967295)");
        }
        this.target = target;
        this.channel = channel;
        this.worker = new SinkWorker(new GobgpClient(channel, settings.callDeadline(), settings.listDeadline()),
                (int) pathIdentifier, new SinkMeters(registry), settings);
        this.thread = new Thread(worker::run, "gobgp-sink");
        this.thread.setDaemon(true);
    }

    /** Turns {@code unix:PATH} into grpc-java's {@code unix://PATH}; anything else is host:port. */
    static ManagedChannel channel(String target) {
        Objects.requireNonNull(target, "target");
        String t = target.trim();
        if (t.startsWith("unix:")) {
            String path = t.substring("unix:".length()).replaceFirst("^//", "");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("gobgp target: '" + target + "' (expected: unix:/absolute/path)");
            }
            t = "unix://" + path;
        }
        return Grpc.newChannelBuilder(t, InsecureChannelCredentials.create())
                .maxInboundMessageSize(256 * 1024 * 1024).build();
    }

    /** Starts the worker: it connects, resyncs and applies the newest desired set. */
    public void start() {
        log.info("sink=gobgp target={} op=start", target);
        thread.start();
    }

    /** Stops the worker and closes the channel. Paths stay in gobgpd (it is not ours to flush). */
    @Override
    public void close() {
        worker.stop();
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Records the complete desired set and wakes the worker, which diffs all of it against gobgpd;
     * never blocks on I/O (the copy of {@code desired} is made on the caller's thread). Paths with
     * a non-empty VRF go into that gobgpd VRF, created from {@code vrfs} if missing.
     */
    @Override
    public void resync(Map<BgpPath.Key, BgpPath> desired, Map<String, VrfDefinition> vrfs) {
        worker.resync(new HashMap<>(desired), vrfs);
    }

    /**
     * Records paths wanted before the first resync and wakes the worker, which announces those
     * gobgpd holds nothing of ours for and leaves every key it holds alone until the resync.
     */
    @Override
    public void preload(List<BgpPath> paths, Map<String, VrfDefinition> vrfs) {
        worker.preload(paths, vrfs);
    }

    /**
     * Records changes to the desired set and wakes the worker, which diffs only their keys; never
     * blocks on I/O, and costs the caller work in proportion to {@code changes}.
     */
    @Override
    public void apply(List<PathUpdate> changes, Map<String, VrfDefinition> vrfs) {
        worker.apply(changes, vrfs);
    }

    /** Connection state, counts and the last error. */
    public SinkStatus status() {
        return worker.status();
    }

    /** The keys of the paths the sink believes gobgpd holds from us (a copy: a read, not for every event). */
    public Set<BgpPath.Key> announced() {
        return worker.announcedKeys();
    }

    /** How much the worker diffed so far, and how many changes collapsed; for tests. */
    SinkWorker.DiffCounts diffCounts() {
        return worker.diffCounts();
    }

    /**
     * Waits until everything given so far has been applied while connected.
     * For tests and orderly shutdown; returns false on timeout.
     */
    public boolean awaitInSync(Duration timeout) throws InterruptedException {
        return worker.awaitInSync(timeout);
    }
}
