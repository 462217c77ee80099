package net.rrispeaker.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.SaBinding;
import net.rrispeaker.config.PeerAddresses;
import net.rrispeaker.model.VrfDefinition;
import net.rrispeaker.model.Route;
import net.rrispeaker.engine.RouteTable;
import net.rrispeaker.engine.RriEngine;
import net.rrispeaker.engine.SaTable;
import net.rrispeaker.guard.Refusal;
import net.rrispeaker.guard.RouteGuard;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.paths.Conflict;
import net.rrispeaker.paths.DesiredPaths;
import net.rrispeaker.paths.PathChange;
import net.rrispeaker.paths.RouteMapDecision;
import net.rrispeaker.redistribution.Redistributor;
import net.rrispeaker.sink.PathSink;
import net.rrispeaker.sink.RouteSink;
import net.rrispeaker.sink.PathUpdate;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.SaEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core: one writer thread ({@code rri-core}) owns the SA table, the route table and the desired
 * BGP paths. Sources and the control API hand work to it; after each burst of changes it recomputes
 * the dirty destinations and hands the sinks the paths that changed (the complete set only once,
 * when the source first comes in sync); the sinks keep the desired set and diff.
 *
 * <p>Thread ownership and invariants are described in docs/architecture.md.
 */
public final class Speaker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Speaker.class);
    private static final String CONFIG_OWNER = "config";

    private final ScheduledExecutorService loop;
    private final LongSupplier nanoTime;
    private final MeterRegistry registry;
    private final List<PathSink> sinks;
    private final VrfResolver vrfResolver;

    // Everything below is touched only on the loop thread.
    private Config config;
    private PeerAddresses peers = PeerAddresses.NONE;
    private Redistributor redistributor;
    /**
     * Every event source's SAs (VICI first, then the control API's publishers in order of
     * appearance): a snapshot, a loss and a hold time concern only the source they came from.
     */
    private final Map<String, Source> sources = new LinkedHashMap<>();
    /** SAs of all sources, for the gauge (read from the metrics thread). */
    private volatile int saCount;
    private RouteTable routes;
    /** Which of the routes SAs justify may be announced (prefix guard, first claim wins, limits). */
    private final RouteGuard guard;
    private final DesiredPaths desired = new DesiredPaths(new MetricsRecorder());
    private boolean flushQueued;
    private boolean pushAlways;
    private ScheduledFuture<?> expiry;
    private long expiryAt = Long.MAX_VALUE;
    /**
     * False until the source has told us the complete truth once (its first snapshot), or failed to
     * within the hold time. Until then the desired set is partial (e.g. only config routes after a
     * restart while tunnels are up) and handing it to a sink would withdraw live paths.
     */
    private boolean sourceInSync;
    private ScheduledFuture<?> firstSyncTimer;
    private final Counter unmatched;
    private final Counter conflicts;
    /** The route sinks (FRR): winners per destination, as changes. */
    private final RouteFeed routeFeed = new RouteFeed();

    /** Maps a configuration to the VRF definitions the sinks must create. */
    public interface VrfResolver extends Function<Config, Map<String, VrfDefinition>> {
    }

    public Speaker(Config config, MeterRegistry registry, List<PathSink> sinks, VrfResolver vrfs) {
        this(config, registry, sinks, vrfs, coreThread(), System::nanoTime);
    }

    /**
     * The core's one thread. Timers still pending at {@link #close} (a withdraw delay, the source
     * hold time) are dropped rather than waited for: a stopping speaker announces nothing more.
     */
    private static ScheduledExecutorService coreThread() {
        ScheduledThreadPoolExecutor loop = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "rri-core");
            t.setDaemon(true);
            return t;
        });
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        loop.setRemoveOnCancelPolicy(true);
        return loop;
    }

    /** For tests: a given executor (one thread) and clock. */
    public Speaker(Config config, MeterRegistry registry, List<PathSink> sinks, VrfResolver vrfs,
                   ScheduledExecutorService loop, LongSupplier nanoTime) {
        this.config = config;
        this.registry = registry;
        this.sinks = List.copyOf(sinks);
        this.vrfResolver = vrfs;
        this.loop = loop;
        this.nanoTime = nanoTime;
        this.routes = new RouteTable(config.rri().withdrawDelay().toNanos());
        this.redistributor = new Redistributor(config.bgp(), config.policies(), config.rri().bgpNextHopSelf());
        this.unmatched = Counter.builder(Meters.SA_UNMATCHED).register(registry);
        this.conflicts = Counter.builder(Meters.ROUTE_CONFLICTS).register(registry);
        // the route table's withdraw delay: a waiting claim takes over when the old route goes
        this.guard = new RouteGuard(config, new RouteGuard.SaRoutes() {
            @Override
            public List<Route> routes(ChildSa sa) {
                return RriEngine.routesFor(Speaker.this.config, Speaker.this.peers, sa);
            }

            @Override
            public SaBinding binding(ChildSa sa) {
                return RriEngine.bindingFor(Speaker.this.config, Speaker.this.peers, sa).orElse(null);
            }
        }, new GuardRecorder(), config.rri().withdrawDelay().toNanos());
        Gauge.builder(Meters.GUARD_CLAIMS, this, s -> s.guard.claims()).register(registry);
        Gauge.builder(Meters.SA_INSTALLED, this, s -> s.saCount).register(registry);
        sources.put(ChildSa.VICI, new Source(ChildSa.VICI));
        Gauge.builder(Meters.ROUTES, this, s -> s.routes.size()).register(registry);
        loop.execute(() -> {
            routes.setOwner(CONFIG_OWNER, RriEngine.configRoutes(this.config), nanoTime.getAsLong());
            armFirstSyncTimer();
            scheduleFlush();
        });
    }

    /** Attaches a route sink (FRR); it gets the complete set once the source is in sync, then changes. */
    public void addRouteSink(RouteSink sink) {
        loop.execute(() -> routeFeed.add(sink));
    }

    /** Hands an SA event of the VICI source to the core; callable from any thread. */
    public void submit(SaEvent event) {
        submit(ChildSa.VICI, event);
    }

    /**
     * Hands an SA event of source {@code source} to the core; callable from any thread. The SAs in
     * it must carry that source ({@link ChildSa#source()}); a snapshot or a loss concerns only it.
     */
    public void submit(String source, SaEvent event) {
        loop.execute(() -> {
            try {
                apply(source, event);
            } catch (RuntimeException e) {
                // A bug, not bad input: log it and keep serving what we know.
                log.error("source={} event={} reason=internal-error", source, event.getClass().getSimpleName(), e);
            }
        });
    }

    /** One event source: its SAs, and whether it is delivering (the hold timer after a loss). */
    private static final class Source {
        final String name;
        final SaTable sas = new SaTable();
        ScheduledFuture<?> holdTimer;
        /** Connected and streaming a snapshot: the start-up and hold timers wait for it. */
        boolean snapshotArriving;
        /** The last loss was one where the daemon (or publisher) may be there but the conversation failed. */
        boolean lastLossDaemonAlive;

        Source(String name) {
            this.name = name;
        }

        /** Who it is, in log lines. */
        String who() {
            return ChildSa.VICI.equals(name) ? "charon" : "publisher " + name;
        }
    }

    /**
     * Swaps in a new (already validated) configuration and applies only the difference: every
     * owner's routes are recomputed, routes that stay the same are untouched.
     */
    public CompletableFuture<Void> reload(Config next) {
        return reload(next, null);
    }

    /** {@link #reload(Config)} with what {@code next}'s peer host names resolve to now ({@code null}: keep). */
    public CompletableFuture<Void> reload(Config next, PeerAddresses addresses) {
        return CompletableFuture.runAsync(() -> {
            peers = addresses != null ? addresses : peers;
            long now = nanoTime.getAsLong();
            boolean delayChanged = !next.rri().withdrawDelay().equals(config.rri().withdrawDelay());
            config = next;
            redistributor = new Redistributor(next.bgp(), next.policies(), next.rri().bgpNextHopSelf());
            if (delayChanged) {
                routes.setWithdrawDelay(next.rri().withdrawDelay().toNanos());
                guard.setWithdrawDelay(next.rri().withdrawDelay().toNanos());
                log.info("withdraw-delay changed to {} ms; applies to routes withdrawn from now on",
                        next.rri().withdrawDelay().toMillis());
            }
            routes.setOwner(CONFIG_OWNER, RriEngine.configRoutes(next, peers), now);
            // every SA judged again under the new guard: what was refused may be announced, and back
            admit(guard.reload(next, now), now);
            routes.markAllDirty();
            // routes the new config no longer justifies wait out the withdraw delay: time them out
            scheduleExpiry(expire(now));
            scheduleFlush();
        }, loop);
    }

    /** Runs {@code reader} on the core thread against a consistent view. */
    public <T> CompletableFuture<T> read(Function<View, T> reader) {
        return CompletableFuture.supplyAsync(() -> reader.apply(new View()), loop);
    }

    /** A read-only view of the core's state, valid only inside {@link #read}. */
    public final class View {
        public List<Route> routes() {
            return List.copyOf(routes.all());
        }

        /** Every source's SAs, VICI's first. */
        public List<ChildSa> sas() {
            List<ChildSa> all = new ArrayList<>(saCount);
            for (Source src : sources.values()) {
                all.addAll(src.sas.all());
            }
            return all;
        }

        /** A copy of the desired paths: a read may copy the table, an event never does. */
        public Map<BgpPath.Key, BgpPath> desired() {
            return desired.snapshot();
        }

        public Config config() {
            return config;
        }

        /** Owners of a route key; 0 while it waits out its withdraw delay. */
        public int refCount(Route.Key key) {
            return routes.refCount(key);
        }

        /** The routes one SA owns now. */
        public List<Route> routesOf(ChildSa sa) {
            return routes.routesOf(owner(sa));
        }

        /** The selectors of one SA the prefix guard does not announce now, and why. */
        public List<Refusal> refusalsOf(ChildSa sa) {
            return guard.refusals(sa.id());
        }
    }

    private void apply(String name, SaEvent event) {
        long now = nanoTime.getAsLong();
        if (!carriesSource(event, name)) {
            throw new IllegalArgumentException("an SA in a " + event.getClass().getSimpleName() + " of source " + name
                    + " names another source");
        }
        Source src = sources.computeIfAbsent(name, Source::new);
        if (event instanceof SaEvent.SnapshotStarted) {
            src.snapshotArriving = true;
            return;
        }
        if (event instanceof SaEvent.SourceLost lost) {
            src.snapshotArriving = false;
            src.lastLossDaemonAlive = lost.daemonAlive();
            Duration hold = config.rri().sourceHoldTime();
            log.warn("source {} lost reason=\"{}\" daemon={}; keeping its {} SAs for {} s unless it comes back", src.name,
                    lost.reason(), lost.daemonAlive() ? "reachable" : "gone", src.sas.size(), hold.toSeconds());
            if (src.holdTimer == null) {
                armHoldTimer(src);
            }
            return;
        }
        if (event instanceof SaEvent.Snapshot) {
            src.snapshotArriving = false;
            if (src.holdTimer != null) {
                src.holdTimer.cancel(false);
                src.holdTimer = null;
            }
        }
        applyChange(src.sas.apply(event), now);
        saCount = sources.values().stream().mapToInt(x -> x.sas.size()).sum();
        // only VICI's first snapshot puts the core in sync: a publisher's alone is not the whole truth
        if (event instanceof SaEvent.Snapshot && !sourceInSync && src.name.equals(ChildSa.VICI)) {
            markInSync();
        }
    }

    /** True if every SA the event names belongs to {@code source}. */
    private static boolean carriesSource(SaEvent event, String source) {
        if (event instanceof SaEvent.ChildUp up) {
            return up.sa().source().equals(source);
        } else if (event instanceof SaEvent.ChildDown down) {
            return down.sa().source().equals(source);
        } else if (event instanceof SaEvent.ChildRekeyed rk) {
            return rk.old().source().equals(source) && rk.replacement().source().equals(source);
        } else if (event instanceof SaEvent.Snapshot snap) {
            return snap.sas().stream().allMatch(sa -> sa.source().equals(source));
        }
        return true;
    }

    /**
     * At start, the source's first snapshot is awaited for {@code rri source-hold-time}: the sinks
     * keep what they hold (paths announced before a restart stay) until the core knows the truth.
     * The timer waits while a snapshot is arriving, and, with {@code rri source-failure keep}, while
     * charon is reachable but cannot deliver one; otherwise (no daemon at all) what the
     * configuration alone justifies is announced.
     */
    private void armFirstSyncTimer() {
        Duration hold = config.rri().sourceHoldTime();
        firstSyncTimer = loop.schedule(() -> {
            if (sourceInSync) {
                return;
            }
            Source vici = sources.get(ChildSa.VICI);
            if (vici.snapshotArriving) {
                log.info("the source's first snapshot is still arriving after {} s: waiting for it", hold.toSeconds());
                armFirstSyncTimer();
            } else if (vici.lastLossDaemonAlive && config.rri().keepOnSourceFailure()) {
                sourceDecision(vici, "keep-at-start");
                log.warn("charon is reachable but has not delivered a snapshot within {} s of start: the sinks keep"
                        + " what they hold (rri source-failure keep)", hold.toSeconds());
                armFirstSyncTimer();
            } else {
                sourceDecision(vici, "start-without-source");
                log.warn("no SA snapshot from the source within {} s of start: announcing what the configuration"
                        + " alone justifies", hold.toSeconds());
                markInSync();
            }
        }, hold.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * After a lost source: its SAs are kept for {@code rri source-hold-time}. A snapshot on its way
     * extends that. A daemon that is gone (charon closed the socket, nothing listens) takes its
     * tunnels with it: its SAs are dropped. A daemon that is there but whose messages cannot be read
     * or do not come in time keeps the last good state by default ({@code rri source-failure keep}):
     * its tunnels are up, and withdrawing every route would turn a protocol fault into an outage.
     * A publisher that went away is such a case: the speaker cannot tell whether its tunnels went
     * with it, so the operator's choice decides. Only this source's SAs are concerned.
     */
    private void armHoldTimer(Source src) {
        Duration hold = config.rri().sourceHoldTime();
        src.holdTimer = loop.schedule(() -> {
            src.holdTimer = null;
            if (src.snapshotArriving) {
                log.info("a snapshot from {} is still arriving after {} s: keeping its {} SAs until it completes",
                        src.who(), hold.toSeconds(), src.sas.size());
                armHoldTimer(src);
            } else if (src.lastLossDaemonAlive && config.rri().keepOnSourceFailure()) {
                sourceDecision(src, "keep");
                log.warn("{} {} not delivered a snapshot for {} s: keeping the last good state of {} SAs"
                        + " (rri source-failure keep)", src.who(), src.name.equals(ChildSa.VICI)
                        ? "is reachable but has" : "has", hold.toSeconds(), src.sas.size());
            } else {
                sourceDecision(src, "withdraw");
                log.warn("{} did not come back within {} s: dropping its {} SAs{}", src.who(), hold.toSeconds(),
                        src.sas.size(), src.lastLossDaemonAlive ? " (rri source-failure withdraw)" : "");
                apply(src.name, new SaEvent.Snapshot(List.of()));
                if (!src.name.equals(ChildSa.VICI) && src.sas.size() == 0 && src.holdTimer == null) {
                    sources.remove(src.name); // a publisher that is gone leaves nothing behind
                }
            }
        }, hold.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void sourceDecision(Source src, String decision) {
        registry.counter(Meters.SOURCE_HOLD_DECISIONS, "source", src.name, "decision", decision).increment();
    }

    /** The source is in sync for the first time: from now on the desired set is the whole truth. */
    private void markInSync() {
        sourceInSync = true;
        if (firstSyncTimer != null) {
            firstSyncTimer.cancel(false);
        }
        // Hand the complete set over even if nothing changed: a sink holding stale paths from a
        // previous run (tunnel gone while the speaker was down) must be told the set is empty.
        routes.markAllDirty();
        pushAlways = true;
        scheduleFlush();
    }

    private void applyChange(SaTable.Change change, long now) {
        Set<ChildSa.Id> readded = new HashSet<>();
        // oldest first (charon's unique ids grow): after a restart, the first claim of a prefix is
        // the one of the oldest SA the snapshot lists
        List<ChildSa> added = new ArrayList<>(change.added());
        added.sort(Comparator.comparingLong(ChildSa::ikeId).thenComparingLong(ChildSa::childId));
        for (ChildSa sa : added) {
            readded.add(sa.id());
            admit(guard.up(sa, now), now);
            noteWithoutRoutes(sa);
        }
        for (ChildSa sa : change.removed()) {
            if (!readded.contains(sa.id())) {
                routes.removeOwner(owner(sa), now);
                admit(guard.down(sa.id(), now), now);
            }
        }
        scheduleExpiry(expire(now));
        scheduleFlush();
    }

    /** The routes the guard lets each SA have, into the route table. */
    private void admit(List<RouteGuard.Admission> admissions, long now) {
        for (RouteGuard.Admission a : admissions) {
            routes.setOwner(owner(a.sa()), a.routes(), now);
        }
    }

    /** Claims and routes whose withdraw delay has passed go (claims first: a waiting claim takes over in the same step). */
    private long expire(long now) {
        admit(guard.expire(now), now);
        return Math.min(guard.nextDeadline(), routes.expire(now));
    }

    /** Counts and logs an SA that justifies no route at all (not one the guard refused). */
    private void noteWithoutRoutes(ChildSa sa) {
        if (!guard.admitted(sa.id()).isEmpty() || !guard.refusals(sa.id()).isEmpty()) {
            return;
        }
        List<Route> r = RriEngine.routesFor(config, peers, sa);
        if (r.isEmpty()) {
            var binding = RriEngine.bindingFor(config, peers, sa);
            if (binding.isEmpty()) {
                unmatched.increment();
                log.info("sa={} connection={} reason=no-crypto-map-entry: no routes", sa.id(), sa.connection());
            } else {
                // covered, but no per-SA route: no reverse-route, or reverse-route static on a static map
                log.info("sa={} connection={} binding=\"{}\" reason=no-per-sa-routes", sa.id(), sa.connection(),
                        binding.get().origin());
            }
        }
    }

    private static String owner(ChildSa sa) {
        return "sa:" + sa.id();
    }

    private void scheduleExpiry(long deadline) {
        if (deadline == Long.MAX_VALUE || deadline >= expiryAt) {
            return;
        }
        if (expiry != null) {
            expiry.cancel(false);
        }
        expiryAt = deadline;
        long delay = Math.max(0, deadline - nanoTime.getAsLong());
        expiry = loop.schedule(() -> {
            expiry = null;
            expiryAt = Long.MAX_VALUE;
            scheduleExpiry(expire(nanoTime.getAsLong()));
            scheduleFlush();
        }, delay, TimeUnit.NANOSECONDS);
    }

    /** Coalesces: many events queued behind each other produce one flush. */
    private void scheduleFlush() {
        if (!flushQueued) {
            flushQueued = true;
            loop.execute(this::flush);
        }
    }

    /**
     * Re-decides the dirty destinations and hands the sinks what changed: work in proportion to
     * the destinations touched, never to the table. The complete set goes out only once, when the
     * source first comes in sync ({@link PathSink#resync}); the sinks keep it up to date from the
     * changes and diff everything against their daemons themselves when they reconnect.
     */
    private void flush() {
        flushQueued = false;
        Set<RouteTable.Dest> dirty = routes.drainDirty();
        routeFeed.flush(dirty, routes, sourceInSync);
        if (dirty.isEmpty() && !(pushAlways && sourceInSync)) {
            return;
        }
        List<PathChange> changes = desired.update(dirty, routes, redistributor);
        if (!sourceInSync) {
            return;
        }
        if (pushAlways) {
            pushAlways = false;
            Map<BgpPath.Key, BgpPath> all = desired.snapshot(); // once per start, not per event
            Map<String, VrfDefinition> vrfs = vrfResolver.apply(config);
            for (PathSink s : sinks) {
                s.resync(all, vrfs);
            }
        } else if (!changes.isEmpty()) {
            List<PathUpdate> updates = new ArrayList<>(changes.size());
            for (PathChange c : changes) {
                updates.add(new PathUpdate(c.key(), c.after()));
            }
            List<PathUpdate> handed = Collections.unmodifiableList(updates);
            Map<String, VrfDefinition> vrfs = vrfResolver.apply(config);
            for (PathSink s : sinks) {
                s.apply(handed, vrfs);
            }
        }
    }

    /** Route-map decisions become counters (like FRR's "applied"), conflicts a counter and a warning. */
    private final class MetricsRecorder implements DesiredPaths.Recorder {
        @Override
        public void decided(RouteMapDecision d) {
            registry.counter(Meters.POLICY_DECISIONS, "map", d.map(), "seq", d.seq(), "result", d.result()).increment();
            if (log.isDebugEnabled()) {
                Route r = d.route();
                log.debug("prefix={} vrf={} map={} seq={} result={} reason={}", r.prefix(), r.vrf(), d.map(),
                        d.decision().matchedSeq(), d.result(), d.decision().reason());
            }
        }

        @Override
        public void conflict(Conflict c) {
            conflicts.increment();
            log.warn(c.message());
        }
    }

    /** Guard refusals become a warning and a counter per rule; permitted overlaps a warning. */
    private final class GuardRecorder implements RouteGuard.Recorder {
        @Override
        public void refused(Refusal r) {
            registry.counter(Meters.GUARD_REFUSED, "rule", r.rule().tag()).increment();
            log.warn("guard refused {}", r.message());
        }

        @Override
        public void overlapPermitted(Refusal notice) {
            log.warn("guard overlap {}", notice.message());
        }
    }

    @Override
    public void close() {
        loop.shutdown();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
