package net.rrispeaker.sink.frr;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import net.rrispeaker.retry.Backoff;

/**
 * The FRR sink's single worker. Callers queue route changes ({@link #offer}); the worker waits the
 * batch window after the first one so that a burst becomes one vtysh transaction, folds everything
 * queued into its {@link StaticSync}, and applies the resulting {@link Batch}. It reads staticd's
 * whole configuration at start, when staticd's vty socket changes (staticd restarted), after a
 * batch vtysh did not fully accept, every resync interval, and after staticd was unreachable
 * (retried with backoff, 0.5 s doubling to 5 s). Nothing is written before the core has handed
 * over its first complete set. All fields without a lock note belong to the worker thread.
 */
final class FrrWorker {
    private static final Logger log = LoggerFactory.getLogger(FrrWorker.class);
    private static final String SINK = "frr";
    static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration BACKOFF_MIN = Duration.ofMillis(500);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(5);

    /** One hand-over from the core. */
    private record Update(List<Route> removed, List<Route> added, boolean full) {
    }

    private final Vtysh vtysh;
    private final StateFile state;
    private final Duration window;
    private final long resyncNanos;
    private final LongSupplier nanoTime;
    private final MeterRegistry registry;
    private final StaticSync sync = new StaticSync(new LogReporter());

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final List<Update> inbox = new ArrayList<>(); // lock
    private long offered;                                 // lock
    private long applied;                                 // lock: offers folded in and fully applied
    private boolean stopped;                              // lock
    private volatile boolean connected;
    private volatile long resyncs;
    private volatile String lastError = "";
    private volatile Instant lastErrorAt;
    private final AtomicInteger ours = new AtomicInteger();

    /** The state file's lines, until staticd has been read once; then {@code sync.ours()} is the truth. */
    private Set<StaticLine> fromStateFile;
    private boolean heldOnce;
    /** Additions of a batch whose vtysh call failed midway: they may be in staticd, and are ours if so. */
    private Set<StaticLine> inFlight = Set.of();
    private boolean needRead = true;
    private Object identity;
    private long lastRead;
    private final Backoff backoff = new Backoff(BACKOFF_MIN, BACKOFF_MAX);
    private final Counter adds;
    private final Counter removes;
    private final Counter resyncCounter;
    private final Timer batchTimer;

    FrrWorker(Vtysh vtysh, StateFile state, Duration window, Duration resyncInterval, MeterRegistry registry,
              LongSupplier nanoTime) {
        this.vtysh = vtysh;
        this.state = state;
        this.window = window;
        this.resyncNanos = resyncInterval.toNanos();
        this.registry = registry;
        this.nanoTime = nanoTime;
        this.adds = Counter.builder(Meters.SINK_CHANGES).tag("sink", SINK).tag("op", "add").register(registry);
        this.removes = Counter.builder(Meters.SINK_CHANGES).tag("sink", SINK).tag("op", "remove").register(registry);
        this.resyncCounter = Counter.builder(Meters.SINK_RESYNCS).tag("sink", SINK).register(registry);
        this.batchTimer = Timer.builder(Meters.SINK_RECONCILE).tag("sink", SINK).register(registry);
        Gauge.builder(Meters.SINK_ANNOUNCED, ours, AtomicInteger::get).tag("sink", SINK).register(registry);
    }

    // ---- callers' side

    void offer(List<Route> removed, List<Route> added, boolean full) {
        lock.lock();
        try {
            inbox.add(new Update(removed, added, full));
            offered++;
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

    FrrStatus status() {
        lock.lock();
        try {
            return new FrrStatus(connected, ours.get(), applied == offered && inbox.isEmpty(), resyncs, lastError,
                    lastErrorAt);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until everything offered so far has been applied (for tests and orderly shutdown). */
    boolean awaitInSync(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (applied != offered && !stopped) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = progress.awaitNanos(nanos);
            }
            return applied == offered;
        } finally {
            lock.unlock();
        }
    }

    // ---- the worker

    void run() {
        while (true) {
            List<Update> work = awaitWork();
            if (work == null) {
                return;
            }
            step(work);
        }
    }

    /**
     * Waits for work (at most {@link #POLL}, for the periodic checks), then the batch window, and
     * takes everything queued; {@code null} once stopped.
     */
    private List<Update> awaitWork() {
        lock.lock();
        try {
            if (inbox.isEmpty() && !stopped) {
                wake.awaitNanos(POLL.toNanos());
            }
            if (stopped) {
                return null;
            }
            if (!inbox.isEmpty() && !window.isZero()) {
                // let the burst gather: everything that arrives within the window goes in one transaction
                long left = window.toNanos();
                while (left > 0 && !stopped) {
                    left = wake.awaitNanos(left);
                }
            }
            return drain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Takes everything queued (lock held). */
    private List<Update> drain() {
        List<Update> out = new ArrayList<>(inbox);
        inbox.clear();
        return out;
    }

    /** For tests: folds in everything queued and does one pass, on the caller's thread. */
    void stepNow() {
        List<Update> work;
        lock.lock();
        try {
            work = drain();
        } finally {
            lock.unlock();
        }
        step(work);
    }

    /** One pass: fold the updates in, read staticd if needed, apply one batch. */
    private void step(List<Update> work) {
        for (Update u : work) {
            if (u.full()) {
                sync.resync(u.added());
            } else {
                sync.changed(u.removed(), u.added());
            }
        }
        long taken;
        lock.lock();
        try {
            taken = offered - inbox.size();
        } finally {
            lock.unlock();
        }
        if (!sync.haveWanted()) {
            return; // the core has not told the whole truth yet: touch nothing
        }
        try {
            readIfNeeded();
            while (sync.pending()) {
                Batch b = sync.plan();
                if (!b.isEmpty()) {
                    apply(b);
                }
            }
            connected = true;
            backoff.succeeded();
            lock.lock();
            try {
                applied = Math.max(applied, taken);
                progress.signalAll();
            } finally {
                lock.unlock();
            }
        } catch (IOException e) {
            connected = false;
            needRead = true;
            error("vtysh", "staticd at " + vtysh.describe() + " not reachable: " + e.getMessage());
            sleep(backoff.failed());
        }
    }

    private void readIfNeeded() throws IOException {
        Object id = vtysh.daemonIdentity();
        if (id == null) {
            throw new IOException("no vty socket");
        }
        if (!id.equals(identity) && identity != null) {
            log.info("sink=frr event=staticd-restarted: reading its configuration again");
            needRead = true;
        }
        long now = nanoTime.getAsLong();
        if (resyncNanos > 0 && now - lastRead >= resyncNanos) {
            needRead = true;
        }
        if (!needRead) {
            return;
        }
        Set<StaticLine> claims;
        if (heldOnce) {
            claims = new HashSet<>(sync.ours());
        } else {
            if (fromStateFile == null) {
                try {
                    fromStateFile = state.read();
                } catch (IOException e) {
                    fromStateFile = Set.of();
                    error("state-file", "cannot read " + state.path() + ": " + e.getMessage()
                            + "; routes a previous run left in FRR stay until removed by hand");
                }
            }
            claims = new HashSet<>(fromStateFile);
        }
        claims.addAll(inFlight);
        List<StaticLine> running = StaticConfig.parse(vtysh.runningConfig());
        sync.held(running, claims);
        heldOnce = true;
        fromStateFile = null;
        inFlight = Set.of();
        ours.set(sync.ours().size());
        identity = id;
        lastRead = now;
        needRead = false;
        resyncs++;
        resyncCounter.increment();
        log.info("sink=frr event=read staticd={} static-routes={} ours={} wanted={}", vtysh.describe(),
                running.size(), ours.get(), sync.wantedSize());
    }

    private void apply(Batch b) throws IOException {
        Set<StaticLine> intent = new HashSet<>(sync.ours());
        intent.addAll(b.adds());
        writeState(intent);
        long t0 = System.nanoTime();
        inFlight = Set.copyOf(b.adds());
        Vtysh.Result r = vtysh.apply(b.text());
        if (r.ok()) {
            sync.applied(b);
            adds.increment(b.adds().size());
            removes.increment(b.removes().size());
            if (!b.removes().isEmpty()) {
                writeState(sync.ours());
            }
        } else {
            error("batch", "vtysh exit " + r.exitCode() + " on a batch of " + b.removes().size() + " removals and "
                    + b.adds().size() + " additions: " + ProcessVtysh.oneLine(r.output()));
            List<StaticLine> running = StaticConfig.parse(vtysh.runningConfig());
            sync.failed(b, running);
            writeState(sync.ours());
            resyncs++;
            resyncCounter.increment();
        }
        inFlight = Set.of();
        batchTimer.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
        ours.set(sync.ours().size());
        if (log.isDebugEnabled()) {
            log.debug("sink=frr event=batch removes={} adds={} exit={} millis={}", b.removes().size(), b.adds().size(),
                    r.exitCode(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private void writeState(Set<StaticLine> lines) {
        try {
            state.write(lines);
        } catch (IOException e) {
            error("state-file", "cannot write " + state.path() + ": " + e.getMessage()
                    + " (after a restart the speaker would not recognise the routes it wrote)");
        }
    }

    private void error(String reason, String message) {
        lastError = message;
        lastErrorAt = Instant.now();
        Counter.builder(Meters.SINK_ERRORS).tag("sink", SINK).tag("reason", reason).register(registry).increment();
        log.warn("sink=frr reason={} {}", reason, message);
    }

    private void sleep(Duration d) {
        lock.lock();
        try {
            long left = d.toNanos();
            while (left > 0 && !stopped) {
                left = wake.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private final class LogReporter implements StaticSync.Reporter {
        @Override
        public void unwritable(Route route, String reason) {
            error("render", reason);
        }

        @Override
        public void conflict(StaticLine ours, StaticLine theirs) {
            error("operator-route", "not adding '" + ours.text() + "'" + vrf(ours) + ": the operator's static route '"
                    + theirs.text() + "' has the same prefix and distance with tag " + theirs.tag()
                    + " (FRR keeps one tag per prefix and distance; adding ours would re-tag it)");
        }

        @Override
        public void refused(StaticLine line, boolean removal) {
            error("refused", "FRR refused " + (removal ? "to remove" : "to add") + " '" + line.text() + "'" + vrf(line)
                    + "; not retried until staticd's configuration is read again");
        }

        private String vrf(StaticLine l) {
            return l.vrf().isEmpty() ? "" : " in vrf " + l.vrf();
        }
    }
}
