package net.rrispeaker.sink.gobgp;

import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
import net.rrispeaker.sink.PathUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import net.rrispeaker.retry.Backoff;

/**
 * The sink's single worker: connect, resync, diff and write. It does the threading, the calls to
 * gobgpd and their retries; what to change is decided by pure classes: {@link PendingPaths} (the
 * hand-over from the core: the desired set and the changes not taken yet, coalesced by key),
 * {@link HeldPaths} (what gobgpd holds of ours), {@link WantedPaths} (the desired paths,
 * normalised), {@link PathDiff} (the changes between them, in write order) and {@link Backoff}.
 *
 * <p>Work is incremental: a batch of changes is applied to {@link #wanted} and only its keys are
 * diffed against {@link #held} (plus the keys gobgpd refused last time, retried). Everything is
 * diffed only after a (re)connect (gobgpd's state was just listed), a resync from the core, a
 * change of the VRF definitions, an overflow of the pending changes, or an unexpected error.
 *
 * <p>All fields without a lock note are owned by the worker thread; {@link #lock} guards the
 * hand-over with callers and is never held during I/O.
 */
final class SinkWorker {
    private static final Logger log = LoggerFactory.getLogger(SinkWorker.class);

    /** What the worker did so far, for tests and the benchmark. */
    record DiffCounts(long fullDiffs, long changeDiffs, long keysDiffed, long lastKeysDiffed, long received,
                      long coalesced, long overflows) {
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
    private final PendingPaths pending;  // lock
    private long appliedGeneration;      // lock
    private boolean lost;               // lock
    private int watchId;                // lock
    private boolean stopped;            // lock
    private boolean connected;          // lock (written by the worker only)
    private long resyncs;               // lock

    private final HeldPaths held;
    private WantedPaths wanted = new WantedPaths(Map.of(), Set.of());
    private Map<String, VrfDefinition> vrfDefs = Map.of();
    /** Keys whose last change gobgpd refused: diffed again with the next work. */
    private Set<BgpPath.Key> retry = new HashSet<>();
    private GobgpClient.Watch watch;
    private volatile int announcedCount;
    private long fullDiffs;              // lock
    private long changeDiffs;            // lock
    private long keysDiffed;             // lock
    private long lastKeysDiffed;         // lock
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
        this.pending = new PendingPaths(settings.maxPendingKeys());
    }

    // ---- callers' side: never waits for I/O. The lock is held for work in proportion to a call;
    // the worker holds it at most for a reference copy of the desired set when it takes a full diff.

    /** The complete desired set; the worker diffs all of it. Takes ownership of {@code all}. */
    void resync(HashMap<BgpPath.Key, BgpPath> all, Map<String, VrfDefinition> vrfDefinitions) {
        lock.lock();
        try {
            pending.resync(all, vrfDefinitions);
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Paths wanted before the first resync; the worker announces those gobgpd lacks, nothing else. */
    void preload(List<BgpPath> paths, Map<String, VrfDefinition> vrfDefinitions) {
        lock.lock();
        try {
            pending.preload(paths, vrfDefinitions);
            if (pending.hasWork()) {
                wake.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Changes to the desired set; the worker diffs their keys only. */
    void apply(List<PathUpdate> changes, Map<String, VrfDefinition> vrfDefinitions) {
        lock.lock();
        try {
            pending.apply(changes, vrfDefinitions);
            if (pending.hasWork()) {
                wake.signalAll();
            }
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

    /** A copy of the keys gobgpd holds of ours (a read: may cost a copy of the table). */
    Set<BgpPath.Key> announcedKeys() {
        return Set.copyOf(held.keys());
    }

    SinkStatus status() {
        lock.lock();
        try {
            return new SinkStatus(connected, announcedCount, inSync(), resyncs, lastError, lastErrorAt);
        } finally {
            lock.unlock();
        }
    }

    DiffCounts diffCounts() {
        lock.lock();
        try {
            return new DiffCounts(fullDiffs, changeDiffs, keysDiffed, lastKeysDiffed, pending.received(),
                    pending.coalesced(), pending.overflows());
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
        return connected && !pending.hasWork() && appliedGeneration >= pending.generation();
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
                PendingPaths.Work w = nextWork();
                if (w != null) {
                    if (w instanceof PendingPaths.Full f) {
                        applyFull(f);
                    } else if (w instanceof PendingPaths.Preload p) {
                        applyPreload(p);
                    } else {
                        applyChanges((PendingPaths.Changes) w);
                    }
                    markApplied(w.generation());
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
                requestFull(); // what was taken may be half done: diff everything next time
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
        readHeld();
        lock.lock();
        try {
            connected = true;
            resyncs++;
            pending.requestFull(); // the desired set must be diffed against what we just read
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
    private void readHeld() {
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
     * Makes gobgpd hold the complete desired set {@code f}: creates the VRFs its paths need,
     * rebuilds {@link #wanted}, writes the difference of every key to what gobgpd holds of ours,
     * and deletes the VRFs we created that are no longer configured nor used.
     */
    private void applyFull(PendingPaths.Full f) {
        Timer.Sample sample = Timer.start();
        vrfDefs = f.vrfs();
        Set<String> usable = new HashSet<>();
        for (String vrf : WantedPaths.vrfsOf(f.paths())) {
            if (ensureVrf(vrf, vrfDefs.get(vrf))) {
                usable.add(vrf);
            }
        }
        wanted = WantedPaths.of(f.paths(), vrfDefs, usable, this::invalid);
        held.forgetVrfsOtherThan(vrfs.names());
        retry = new HashSet<>();
        long keys = (long) wanted.size() + held.size();
        List<Change> changes = PathDiff.full(wanted, held);
        write(changes);
        pruneVrfs();
        counted(keys, true);
        sample.stop(meters.reconcile);
        log.debug("sink=gobgp op=reconcile diff=full keys={} changes={} announced={}", keys, changes.size(), held.size());
    }

    /**
     * Applies a batch of changes to {@link #wanted} and writes the difference of their keys only
     * (and of the keys gobgpd refused last time). A VRF a path waits for is tried again; when it
     * becomes usable, its waiting paths are diffed too.
     */
    private void applyChanges(PendingPaths.Changes c) {
        Timer.Sample sample = Timer.start();
        Set<BgpPath.Key> keys = retry; // taken over, not copied or cleared: its capacity may be large
        retry = new HashSet<>();
        Set<String> tried = new HashSet<>();
        for (PathUpdate u : c.updates()) {
            keys.add(u.key());
            if (u.path() == null) {
                wanted.remove(u.key());
                continue;
            }
            String vrf = u.path().vrf();
            if (!wanted.usable(vrf) && tried.add(vrf) && ensureVrf(vrf, vrfDefs.get(vrf))) {
                keys.addAll(wanted.makeUsable(vrf, this::invalid));
            }
            wanted.put(u.key(), u.path()).ifPresent(this::invalid);
        }
        for (String vrf : wanted.waitingVrfs()) {
            // old troubles of a VRF (AddVrf refused) heal with the next work, as with a full diff
            if (tried.add(vrf) && ensureVrf(vrf, vrfDefs.get(vrf))) {
                keys.addAll(wanted.makeUsable(vrf, this::invalid));
            }
        }
        List<Change> changes = PathDiff.of(keys, wanted, held);
        write(changes);
        pruneVrfs();
        counted(keys.size(), false);
        sample.stop(meters.reconcile);
        if (!changes.isEmpty()) {
            log.debug("sink=gobgp op=reconcile diff=keys keys={} changes={} announced={}", keys.size(), changes.size(),
                    held.size());
        }
    }

    /**
     * Before the first resync (the core's snapshot still arriving): announces the paths under keys
     * gobgpd holds nothing of ours for, so gobgpd ingests while the speaker reads. A key gobgpd
     * holds is left as it is, neither replaced nor withdrawn, and nothing is pruned: the desired
     * set is partial, and a path from before a restart may be live. The resync diffs everything.
     */
    private void applyPreload(PendingPaths.Preload p) {
        Timer.Sample sample = Timer.start();
        if (!p.vrfs().equals(vrfDefs)) {
            vrfDefs = p.vrfs();
            wanted = new WantedPaths(vrfDefs, Set.of()); // only preloads use it before the resync
        }
        Set<BgpPath.Key> keys = new HashSet<>();
        for (BgpPath.Key k : retry) {
            if (held.get(k) == null) {
                keys.add(k);
            }
        }
        retry = new HashSet<>();
        Set<String> tried = new HashSet<>();
        for (BgpPath path : p.paths()) {
            if (held.get(path.key()) != null) {
                continue;
            }
            String vrf = path.vrf();
            if (!wanted.usable(vrf) && tried.add(vrf) && ensureVrf(vrf, vrfDefs.get(vrf))) {
                for (BgpPath.Key k : wanted.makeUsable(vrf, this::invalid)) {
                    if (held.get(k) == null) {
                        keys.add(k);
                    }
                }
            }
            wanted.put(path).ifPresent(this::invalid);
            keys.add(path.key());
        }
        List<Change> changes = PathDiff.of(keys, wanted, held);
        write(changes);
        counted(keys.size(), false);
        sample.stop(meters.reconcile);
        log.debug("sink=gobgp op=preload keys={} changes={} announced={}", keys.size(), changes.size(), held.size());
    }

    private void invalid(WantedPaths.Invalid bad) {
        error("invalid", "path=" + bad.key() + " " + bad.message());
    }

    /** Deletes the VRFs we created that are no longer configured and neither held nor wanted. */
    private void pruneVrfs() {
        Set<String> inUse = held.vrfsInUse();
        inUse.addAll(wanted.vrfsInUse());
        vrfs.prune(vrfDefs.keySet(), inUse);
    }

    private void counted(long keys, boolean full) {
        lock.lock();
        try {
            if (full) {
                fullDiffs++;
            } else {
                changeDiffs++;
            }
            keysDiffed += keys;
            lastKeysDiffed = keys;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends {@code changes}; each one gobgpd accepts goes into {@link #held}, each it refuses is
     * reported and its key diffed again with the next work.
     */
    private void write(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            writer.write(changes, this::applied, f -> {
                if (f.change() != null) {
                    retry.add(f.change().key());
                }
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
        announcedCount = held.size();
        meters.announced.set(held.size());
    }

    private void error(String reason, String detail) {
        meters.error(reason);
        lastError = reason + ": " + detail;
        lastErrorAt = Instant.now();
        log.warn("sink=gobgp reason={} {}", reason, detail);
    }

    private PendingPaths.Work nextWork() {
        lock.lock();
        try {
            while (!stopped && !lost && !pending.hasWork()) {
                wake.awaitUninterruptibly();
            }
            return stopped || lost ? null : pending.take();
        } finally {
            lock.unlock();
        }
    }

    private void requestFull() {
        lock.lock();
        try {
            pending.requestFull();
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
