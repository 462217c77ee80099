package net.rrispeaker.sink.gobgp;

import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import net.rrispeaker.model.VrfDefinition;
import net.rrispeaker.gobgp.api.Family;
import net.rrispeaker.gobgp.api.Global;
import net.rrispeaker.gobgp.api.TableType;
import net.rrispeaker.model.BgpPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's single worker: connect, resync, diff and write. It does the threading, the calls to
 * gobgpd and their retries; what to change is decided by pure classes: {@link HeldPaths} (what
 * gobgpd holds of ours), {@link WantedPaths} (the desired paths, normalised), {@link PathDiff} (the
 * changes between them, in write order) and {@link Backoff}. All fields without a lock note are
 * owned by the worker thread; {@link #lock} guards the hand-over with callers.
 */
final class SinkWorker {
    private static final Logger log = LoggerFactory.getLogger(SinkWorker.class);

    private record Desired(Map<BgpPath.Key, BgpPath> paths, Map<String, VrfDefinition> vrfs, long generation) {
    }

    /** gobgpd answers but is not ready for paths (no global AS yet). */
    private static final class NotReady extends Exception {
        NotReady(String message) {
            super(message, null, false, false);
        }
    }

    private final GobgpClient client;
    private final SinkMeters meters;
    private final SinkSettings settings;
    private final PathWriter writer;
    private final VrfTable vrfs;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private Desired pending;            // lock
    private long generation;            // lock
    private long appliedGeneration = -1; // lock
    private boolean lost;               // lock
    private int watchId;                // lock
    private boolean stopped;            // lock
    private boolean connected;          // lock (written by the worker only)
    private long resyncs;               // lock

    private final HeldPaths held;
    private GobgpClient.Watch watch;
    private volatile Set<BgpPath.Key> announcedSnapshot = Set.of();
    private volatile String lastError = "";
    private volatile Instant lastErrorAt;

    SinkWorker(GobgpClient client, int identifier, SinkMeters meters, SinkSettings settings) {
        this.client = client;
        this.meters = meters;
        this.settings = settings;
        this.writer = new PathWriter(client, settings.pathsPerMessage(), settings.pathsPerStream(),
                settings.streamTimeout());
        this.vrfs = new VrfTable(client);
        this.held = new HeldPaths(identifier);
    }

    // ---- callers' side ----

    void offer(Map<BgpPath.Key, BgpPath> paths, Map<String, VrfDefinition> vrfDefs) {
        lock.lock();
        try {
            pending = new Desired(paths, vrfDefs, ++generation);
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        lock.lock();
        try {
            stopped = true;
            wake.signalAll();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    Set<BgpPath.Key> announcedKeys() {
        return announcedSnapshot;
    }

    SinkStatus status() {
        lock.lock();
        try {
            return new SinkStatus(connected, announcedSnapshot.size(), inSync(), resyncs, lastError, lastErrorAt);
        } finally {
            lock.unlock();
        }
    }

    boolean awaitInSync(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!inSync() && !stopped) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = progress.awaitNanos(nanos);
            }
            return inSync();
        } finally {
            lock.unlock();
        }
    }

    private boolean inSync() {
        return connected && (pending == null || appliedGeneration >= pending.generation);
    }

    // ---- worker ----

    void run() {
        Backoff backoff = new Backoff(settings.backoffMin(), settings.backoffMax());
        while (!isStopped()) {
            try {
                if (takeLost()) {
                    disconnect("watch stream ended");
                    sleep(backoff.failed()); // gobgpd needs ~1 s to come back; do not spin
                }
                if (!isConnected()) {
                    connect();
                    backoff.succeeded();
                }
                Desired d = nextWork();
                if (d != null) {
                    apply(d);
                    markApplied(d.generation);
                }
            } catch (StatusRuntimeException e) {
                error(PathWriter.connectionLost(e) ? "connect" : "call", "status=" + e.getStatus().getCode()
                        + " desc=\"" + e.getStatus().getDescription() + "\"");
                disconnect(e.getStatus().getCode().toString());
                sleep(backoff.failed());
            } catch (NotReady e) {
                error("connect", e.getMessage());
                sleep(backoff.failed());
            } catch (RuntimeException e) {
                log.error("sink=gobgp op=reconcile unexpected error", e);
                error("bug", String.valueOf(e));
                sleep(backoff.failed());
            }
        }
        if (watch != null) {
            watch.cancel();
        }
    }

    private void connect() throws NotReady {
        Global g = client.getBgp();
        if (g.getAsn() == 0) {
            throw new NotReady("gobgpd has no global AS yet (bgp server not started)");
        }
        startWatch();
        resync();
        lock.lock();
        try {
            connected = true;
            resyncs++;
            appliedGeneration = -1; // the newest desired set must be diffed against what we just read
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        meters.resyncs.increment();
        log.info("sink=gobgp op=connected asn={} router_id={} held={}", Integer.toUnsignedLong(g.getAsn()),
                g.getRouterId(), held.size());
    }

    private void startWatch() {
        int id;
        lock.lock();
        try {
            id = ++watchId;
            lost = false;
        } finally {
            lock.unlock();
        }
        if (watch != null) {
            watch.cancel();
        }
        watch = client.watchPeers(t -> {
            lock.lock();
            try {
                if (id == watchId) {
                    lost = true;
                    wake.signalAll();
                }
            } finally {
                lock.unlock();
            }
        });
    }

    private void disconnect(String why) {
        lock.lock();
        try {
            watchId++; // a late callback of the old watch must not flag the next connection
            lost = false;
            if (!connected) {
                return;
            }
            connected = false;
        } finally {
            lock.unlock();
        }
        if (watch != null) {
            watch.cancel();
            watch = null;
        }
        log.info("sink=gobgp op=disconnected reason=\"{}\"", why);
    }

    /**
     * Reads what gobgpd holds from us (our identifier, no peer): the global IPv4/IPv6 unicast tables,
     * and VRF paths from the VPNv4/VPNv6 tables, mapped to their VRF by RD. ListPath on a VRF is
     * no use here: gobgpd 3.10 shows there only paths whose RTs the VRF imports, so a VRF with
     * export RTs it does not import would look empty (checked live).
     */
    private void resync() {
        held.clear();
        vrfs.refresh();
        for (Family f : List.of(PathCodec.IPV4_UNICAST, PathCodec.IPV6_UNICAST, PathCodec.VPNV4, PathCodec.VPNV6)) {
            client.listPath(TableType.GLOBAL, "", f, p -> {
                try {
                    held.take(p, vrfs::nameForRd);
                } catch (IllegalArgumentException e) {
                    error("list", "family=" + f.getAfi() + "/" + f.getSafi() + " " + e.getMessage());
                }
            });
        }
        publish();
    }

    /**
     * Makes gobgpd hold the desired set {@code d}: creates the VRFs its paths need, writes the
     * difference to what gobgpd holds of ours, and deletes the VRFs we created that are no longer
     * configured nor used.
     */
    private void apply(Desired d) {
        Timer.Sample sample = Timer.start();
        Set<String> usable = new HashSet<>();
        for (String vrf : WantedPaths.vrfsOf(d.paths.values())) {
            if (ensureVrf(vrf, d.vrfs.get(vrf))) {
                usable.add(vrf);
            }
        }
        WantedPaths wanted = WantedPaths.of(d.paths.values(), d.vrfs, usable,
                bad -> error("invalid", "path=" + bad.key() + " " + bad.message()));
        held.forgetVrfsOtherThan(vrfs.names());
        List<Change> changes = PathDiff.full(wanted, held);
        write(changes);
        vrfs.prune(d.vrfs.keySet(), held.vrfsInUse());
        sample.stop(meters.reconcile);
        if (!changes.isEmpty()) {
            log.debug("sink=gobgp op=reconcile changes={} announced={}", changes.size(), held.size());
        }
    }

    /** Sends {@code changes}; each one gobgpd accepts goes into {@link #held}, each it refuses is reported. */
    private void write(List<Change> changes) {
        try {
            writer.write(changes, this::applied, f -> {
                String what = f.change() == null ? "stream" : "path=" + f.change().key() + " op=" + f.change().op();
                error(f.reason(), what + " status=" + f.status().getCode() + " desc=\"" + f.status().getDescription() + "\"");
            });
        } finally {
            publish();
        }
    }

    private boolean ensureVrf(String name, VrfDefinition def) {
        if (def == null) {
            if (vrfs.names().contains(name)) {
                return true; // made by someone else; we may use it
            }
            error("vrf", "vrf=" + name + " not defined (expected: a vrf definition)");
            return false;
        }
        try {
            vrfs.ensure(def);
            return true;
        } catch (IllegalArgumentException e) {
            error("vrf", "vrf=" + name + " at=" + def.file() + ":" + def.line() + " " + e.getMessage());
            return false;
        } catch (StatusRuntimeException e) {
            if (PathWriter.connectionLost(e)) {
                throw e;
            }
            error("vrf", "vrf=" + name + " op=add status=" + e.getStatus().getCode()
                    + " desc=\"" + e.getStatus().getDescription() + "\"");
            return false;
        }
    }

    private void applied(Change c) {
        held.applied(c);
        if (c.withdraw()) {
            meters.withdraw.increment();
            log.debug("sink=gobgp op=withdraw path={}", c.key());
        } else {
            meters.announce.increment();
            log.debug("sink=gobgp op=announce path={}", c.key());
        }
    }

    private void publish() {
        announcedSnapshot = Set.copyOf(held.keys());
        meters.announced.set(held.size());
    }

    private void error(String reason, String detail) {
        meters.error(reason);
        lastError = reason + ": " + detail;
        lastErrorAt = Instant.now();
        log.warn("sink=gobgp reason={} {}", reason, detail);
    }

    private Desired nextWork() {
        lock.lock();
        try {
            while (!stopped && !lost && (pending == null || pending.generation <= appliedGeneration)) {
                wake.awaitUninterruptibly();
            }
            return stopped || lost ? null : pending;
        } finally {
            lock.unlock();
        }
    }

    private void markApplied(long gen) {
        lock.lock();
        try {
            appliedGeneration = Math.max(appliedGeneration, gen);
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean takeLost() {
        lock.lock();
        try {
            boolean l = lost;
            lost = false;
            return l;
        } finally {
            lock.unlock();
        }
    }

    private boolean isConnected() {
        lock.lock();
        try {
            return connected;
        } finally {
            lock.unlock();
        }
    }

    private boolean isStopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    /** Waits {@code time}, or until stopped. */
    private void sleep(Duration time) {
        lock.lock();
        try {
            long nanos = time.toNanos();
            while (!stopped && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
