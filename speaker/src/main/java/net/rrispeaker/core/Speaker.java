package net.rrispeaker.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.DampeningSettings;
import net.rrispeaker.dampening.Dampening;
import net.rrispeaker.model.Addresses;
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
import net.rrispeaker.model.RouteKind;
import net.rrispeaker.redundancy.VrrpNotice;
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
    /** Oldest first: charon's IKE_SA and CHILD_SA unique ids grow. */
    private static final Comparator<ChildSa> SA_AGE = Comparator.comparingLong(ChildSa::ikeId)
            .thenComparingLong(ChildSa::childId);

    /** Events applied per task of the loop, at most: a burst yields to timers and reads between. */
    private static final int EVENTS_PER_TASK = 1_000;

    private final ScheduledExecutorService loop;
    /** Events submitted and not applied yet, in order; any thread adds, the loop takes. */
    private final ConcurrentLinkedQueue<Queued> events = new ConcurrentLinkedQueue<>();
    /** A {@link #drainEvents} task is queued on the loop and has not started taking events. */
    private final AtomicBoolean drainQueued = new AtomicBoolean();
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
    /**
     * Parts of the first snapshot were admitted as they arrived (not oldest first): before the
     * source is in sync, the guard's contended claims are made again oldest first.
     */
    private boolean partsAdmitted;
    private final Counter unmatched;
    private final Counter rekeysInPlace;
    private final Counter rekeysFull;
    private final Counter conflicts;
    /** The route sinks (FRR): winners per destination, as changes. */
    private final RouteFeed routeFeed = new RouteFeed();
    /** Redundancy groups: whose routes this box announces now. */
    private final Redundancy redundancy;
    /** Owner names of the configuration's routes: {@code config}, and {@code config:GROUP} per redundancy group. */
    private final Set<String> configOwners = new HashSet<>();
    /** {@link #withdrawAll} ran: the sinks were told to withdraw everything; nothing more is handed on. */
    private boolean stopping;
    /** Route-flap dampening of remote peers ({@code rri dampening}); {@code null} when off. */
    private Dampening<ChildSa.Id> dampening;
    /**
     * The SAs of suppressed peers with the routes the guard admitted them: kept here, out of the
     * route table (so out of every sink), and put back when the peer is reused.
     */
    private final Map<ChildSa.Id, Held> held = new HashMap<>();
    private final Counter flaps;
    private final Counter suppressions;
    /** Peers suppressed now, for the gauge (written on the core thread only). */
    private volatile int suppressedPeers;

    private record Held(ChildSa sa, List<Route> routes) {
    }

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
        this.rekeysInPlace = Counter.builder(Meters.SA_REKEYS).tag("path", "in-place").register(registry);
        this.rekeysFull = Counter.builder(Meters.SA_REKEYS).tag("path", "full").register(registry);
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
        this.redundancy = new Redundancy(registry);
        redundancy.configure(config);
        desired.setGate(redundancy.enabled() ? redundancy : null);
        routeFeed.setGate(redundancy.enabled() ? redundancy : null);
        Gauge.builder(Meters.GUARD_CLAIMS, this, s -> s.guard.claims()).register(registry);
        Gauge.builder(Meters.SA_INSTALLED, this, s -> s.saCount).register(registry);
        sources.put(ChildSa.VICI, new Source(ChildSa.VICI));
        Gauge.builder(Meters.ROUTES, this, s -> s.routes.size()).register(registry);
        this.flaps = Counter.builder(Meters.DAMPENING_FLAPS).register(registry);
        this.suppressions = Counter.builder(Meters.DAMPENING_SUPPRESSIONS).register(registry);
        Gauge.builder(Meters.DAMPENING_SUPPRESSED, this, s -> s.suppressedPeers).register(registry);
        this.dampening = config.dampening() == null ? null
                : new Dampening<>(parameters(config.dampening()), config.rri().withdrawDelay().toNanos());
        loop.execute(() -> {
            setConfigRoutes(nanoTime.getAsLong());
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
     * Events wait in one queue and the core takes them in order, many per task: a task per event
     * would cost a scheduled task and a trip through the executor's delay queue each, most of the
     * work of a rekey when events come faster than one at a time.
     */
    public void submit(String source, SaEvent event) {
        events.add(new Queued(source, event));
        if (drainQueued.compareAndSet(false, true)) {
            loop.execute(this::drainEvents);
        }
    }

    /** An event waiting for the core, with the source it came from. */
    private record Queued(String source, SaEvent event) {
    }

    /**
     * Applies the events queued so far, at most {@link #EVENTS_PER_TASK}, then lets timers and the
     * flush run before it takes more.
     */
    private void drainEvents() {
        drainQueued.set(false); // from here on, a new event queues a new task (maybe one too many: harmless)
        if (applyQueued(EVENTS_PER_TASK) && drainQueued.compareAndSet(false, true)) {
            loop.execute(this::drainEvents);
        }
    }

    /** Applies up to {@code max} queued events in order; true if more are waiting. */
    private boolean applyQueued(int max) {
        for (int n = 0; n < max; n++) {
            Queued q = events.poll();
            if (q == null) {
                return false;
            }
            String source = q.source();
            SaEvent event = q.event();
            try {
                apply(source, event);
            } catch (RuntimeException e) {
                // A bug, not bad input: log it and keep serving what we know.
                log.error("source={} event={} reason=internal-error", source, event.getClass().getSimpleName(), e);
            }
        }
        return !events.isEmpty();
    }

    /** Updates the installed-SA gauge: a loop over the few sources, no stream per event. */
    private void countSas() {
        int n = 0;
        for (Source src : sources.values()) {
            n += src.sas.size();
        }
        saCount = n;
    }

    /** Every source's SAs, VICI's first (a new list; for reloads and reads, not for events). */
    private List<ChildSa> allSas() {
        List<ChildSa> all = new ArrayList<>(saCount);
        for (Source src : sources.values()) {
            all.addAll(src.sas.all());
        }
        return all;
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
            applyQueued(Integer.MAX_VALUE); // the events submitted before the reload come first
            peers = addresses != null ? addresses : peers;
            long now = nanoTime.getAsLong();
            boolean delayChanged = !next.rri().withdrawDelay().equals(config.rri().withdrawDelay());
            DampeningSettings dampeningBefore = config.dampening();
            config = next;
            redistributor = new Redistributor(next.bgp(), next.policies(), next.rri().bgpNextHopSelf());
            if (delayChanged) {
                routes.setWithdrawDelay(next.rri().withdrawDelay().toNanos());
                guard.setWithdrawDelay(next.rri().withdrawDelay().toNanos());
                log.info("withdraw-delay changed to {} ms; applies to routes withdrawn from now on",
                        next.rri().withdrawDelay().toMillis());
            }
            if (delayChanged || !java.util.Objects.equals(dampeningBefore, next.dampening())) {
                reconfigureDampening(now);
            }
            redundancy.configure(next);
            desired.setGate(redundancy.enabled() ? redundancy : null);
            routeFeed.setGate(redundancy.enabled() ? redundancy : null);
            setConfigRoutes(now);
            for (ChildSa sa : allSas()) { // a map may have joined or left a group
                redundancy.setOwner(owner(sa), groupOf(sa));
            }
            // every SA judged again under the new guard: what was refused may be announced, and back
            admit(guard.reload(next, now), now);
            routes.markAllDirty();
            // routes the new config no longer justifies wait out the withdraw delay: time them out
            scheduleExpiry(expire(now));
            scheduleFlush();
        }, loop);
    }

    /**
     * The configuration's routes ({@code reverse-route static}, {@code ip route}) into the route
     * table: those of static crypto maps in a redundancy group under the owner {@code config:GROUP},
     * the others under {@code config}.
     */
    private void setConfigRoutes(long now) {
        List<Route> all = RriEngine.configRoutes(config, peers);
        Map<String, List<Route>> byOwner = new java.util.LinkedHashMap<>();
        byOwner.put(CONFIG_OWNER, new ArrayList<>());
        Map<String, String> groupOfOrigin = new java.util.HashMap<>();
        if (redundancy.enabled()) {
            for (SaBinding b : config.crypto().bindings()) {
                String g = redundancy.groupOf(config, b);
                if (g != null) {
                    groupOfOrigin.put(b.origin(), g);
                }
            }
        }
        for (Route r : all) {
            String g = r.kind() == RouteKind.RRI_STATIC ? groupOfOrigin.get(r.origin()) : null;
            String owner = g == null ? CONFIG_OWNER : CONFIG_OWNER + ":" + g;
            byOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(r);
        }
        for (String old : List.copyOf(configOwners)) {
            if (!byOwner.containsKey(old)) {
                redundancy.ownerLeaving(old, now + config.rri().withdrawDelay().toNanos());
                routes.removeOwner(old, now);
                configOwners.remove(old);
            }
        }
        byOwner.forEach((owner, rs) -> {
            redundancy.setOwner(owner, owner.equals(CONFIG_OWNER) ? null : owner.substring(CONFIG_OWNER.length() + 1));
            routes.setOwner(owner, rs, now);
            configOwners.add(owner);
        });
    }

    /** The redundancy group of an SA (of the crypto map set its binding is in), or {@code null}. */
    private String groupOf(ChildSa sa) {
        if (!redundancy.enabled()) {
            return null;
        }
        return redundancy.groupOf(config, RriEngine.bindingFor(config, peers, sa).orElse(null));
    }

    /**
     * A notification from keepalived (notify FIFO or the control API); callable from any thread.
     * Completes with the redundancy groups whose standing changed.
     */
    public CompletableFuture<List<String>> vrrpNotice(VrrpNotice notice) {
        return CompletableFuture.supplyAsync(() -> regate(redundancy.notice(notice, nanoTime.getAsLong())), loop);
    }

    /** keepalived's notify FIFO closed (keepalived stopped or died): every group is standby until it speaks again. */
    public CompletableFuture<List<String>> vrrpLost(String why) {
        return CompletableFuture.supplyAsync(() -> regate(redundancy.lost(nanoTime.getAsLong(), why)), loop);
    }

    private List<String> regate(List<String> changed) {
        if (!changed.isEmpty()) {
            // a failover is rare and must be complete: every destination is decided again
            routes.markAllDirty();
            scheduleFlush();
        }
        return changed;
    }

    /**
     * The speaker is stopping and its paths must go ({@code rri shutdown withdraw-paths}): every
     * path sink is handed an empty set, and nothing is handed on after it. Callable from any thread.
     */
    public CompletableFuture<Void> withdrawAll() {
        return CompletableFuture.runAsync(() -> {
            stopping = true;
            Map<String, VrfDefinition> vrfs = vrfResolver.apply(config);
            for (PathSink s : sinks) {
                s.resync(Map.of(), vrfs);
            }
        }, loop);
    }

    /** Runs {@code reader} on the core thread against a consistent view. */
    public <T> CompletableFuture<T> read(Function<View, T> reader) {
        return CompletableFuture.supplyAsync(() -> {
            applyQueued(Integer.MAX_VALUE); // a read sees every event submitted before it
            return reader.apply(new View());
        }, loop);
    }

    /** A read-only view of the core's state, valid only inside {@link #read}. */
    public final class View {
        public List<Route> routes() {
            return List.copyOf(routes.all());
        }

        /** Every source's SAs, VICI's first. */
        public List<ChildSa> sas() {
            return allSas();
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
            Held h = held.get(sa.id());
            return h != null ? h.routes() : routes.routesOf(owner(sa));
        }

        /** The routes an SA of a peer suppressed by {@code rri dampening} would have: kept, not announced. */
        public List<Route> dampenedRoutes() {
            List<Route> out = new ArrayList<>();
            for (Held h : held.values()) {
                out.addAll(h.routes());
            }
            return out;
        }

        /** True if {@code sa}'s peer is suppressed and its routes are held back. */
        public boolean dampened(ChildSa sa) {
            return held.containsKey(sa.id());
        }

        /** Every peer with a flap history ({@code rri dampening}), as of {@link #now()}; empty when off. */
        public List<Dampening.PeerState> dampeningHistory() {
            return dampening == null ? List.of() : dampening.history(nanoTime.getAsLong());
        }

        /** How many routes of {@code peer} (see {@link #peerOf}) are held back now. */
        public int dampenedRoutesOf(String peer) {
            int n = 0;
            for (Held h : held.values()) {
                n += peerOf(h.sa()).equals(peer) ? h.routes().size() : 0;
            }
            return n;
        }

        /** The core's clock (nanoseconds), against which the dampening times are given. */
        public long now() {
            return nanoTime.getAsLong();
        }

        /** The peer (dampening key) an SA belongs to: its IKE identity, or its address without one. */
        public String peerOf(ChildSa sa) {
            return Speaker.peerOf(sa);
        }

        /** The selectors of one SA the prefix guard does not announce now, and why. */
        public List<Refusal> refusalsOf(ChildSa sa) {
            return guard.refusals(sa.id());
        }

        /** Redundancy groups: configuration and what keepalived last said, in configuration order. */
        public List<GroupStatus> redundancyGroups() {
            long now = nanoTime.getAsLong();
            List<GroupStatus> out = new ArrayList<>();
            for (Redundancy.GroupView g : redundancy.view()) {
                long since = g.known().sinceNanos() == Long.MIN_VALUE ? -1 : (now - g.known().sinceNanos()) / 1_000_000_000L;
                out.add(new GroupStatus(g.group().name(), g.group().vrrpInstance(), g.known().state().name(),
                        g.known().priority(), since, g.known().state().active(), g.group().standby().text(),
                        g.group().maps()));
            }
            return out;
        }

        /**
         * The redundancy group of a route (of its owners: the first in a group), and whether that
         * group is active; {@code null} for a route in no group.
         */
        public String groupOf(Route r) {
            for (Object o : routes.owners(r.key())) {
                String g = redundancy.groupOfOwner(o);
                if (g != null) {
                    return g + (redundancy.standingOf(g).active() ? " ACTIVE" : " STANDBY");
                }
            }
            return null;
        }
    }

    /**
     * One redundancy group, for {@code show status}.
     *
     * @param name          the group
     * @param vrrpInstance  the keepalived instance it follows
     * @param state         UNKNOWN, MASTER, BACKUP, FAULT, STOP or DELETED
     * @param priority      the priority keepalived last reported
     * @param sinceSeconds  seconds in this state, -1 if never heard of
     * @param active        the group's routes are announced as they are
     * @param standby       what its routes do while standby ({@code withdraw} or {@code announce ...})
     * @param maps          the crypto map sets in the group
     */
    public record GroupStatus(String name, String vrrpInstance, String state, int priority, long sinceSeconds,
                              boolean active, String standby, List<String> maps) {
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
        if (event instanceof SaEvent.SnapshotPart) {
            if (sourceInSync || !src.name.equals(ChildSa.VICI)) {
                // a resync of a speaker in sync is decided by the whole snapshot in one step, as
                // before parts existed: what it removes and adds, contended claims oldest first
                return;
            }
            // the first snapshot: admit what is read while the rest arrives, and let the sinks
            // announce it (nothing is withdrawn before the snapshot is complete)
            partsAdmitted = true;
            applyChange(src.sas.apply(event), now);
            countSas();
            // now, not queued: while the core is behind the source (the usual case at start),
            // a queued flush would wait behind every part already read, and nothing would overlap
            flush();
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
        if (event instanceof SaEvent.ChildRekeyed rk) {
            if (rekeyInPlace(src, rk, now)) {
                rekeysInPlace.increment();
                return;
            }
            rekeysFull.increment();
        }
        applyChange(src.sas.apply(event), now);
        countSas();
        // only VICI's first snapshot puts the core in sync: a publisher's alone is not the whole truth
        if (event instanceof SaEvent.Snapshot && !sourceInSync && src.name.equals(ChildSa.VICI)) {
            markInSync(now);
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
                markInSync(nanoTime.getAsLong());
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
    private void markInSync(long now) {
        sourceInSync = true;
        if (firstSyncTimer != null) {
            firstSyncTimer.cancel(false);
        }
        if (partsAdmitted) {
            partsAdmitted = false;
            // the parts came in charon's order; where that decided a claim, decide it oldest first,
            // as one snapshot would have (a scan of the guard; the replay only when it matters)
            if (guard.contended()) {
                log.info("snapshot parts: contended claims made again oldest first");
                admit(guard.replay(SA_AGE, now), now);
                scheduleExpiry(expire(now));
            }
        }
        // Hand the complete set over even if nothing changed: a sink holding stale paths from a
        // previous run (tunnel gone while the speaker was down) must be told the set is empty.
        routes.markAllDirty();
        pushAlways = true;
        scheduleFlush();
    }

    private void applyChange(SaTable.Change change, long now) {
        dampen(now); // hold-downs that ended before this change count first
        trackPeers(change, now);
        Set<ChildSa.Id> readded = new HashSet<>();
        // oldest first (charon's unique ids grow): after a restart, the first claim of a prefix is
        // the one of the oldest SA the snapshot lists
        List<ChildSa> added = new ArrayList<>(change.added());
        added.sort(SA_AGE);
        for (ChildSa sa : added) {
            readded.add(sa.id());
            redundancy.setOwner(owner(sa), groupOf(sa));
            admit(guard.up(sa, now), now);
            noteWithoutRoutes(sa);
        }
        for (ChildSa sa : change.removed()) {
            if (!readded.contains(sa.id())) {
                redundancy.ownerLeaving(owner(sa), now + config.rri().withdrawDelay().toNanos());
                routes.removeOwner(owner(sa), now);
                held.remove(sa.id());
                admit(guard.down(sa.id(), now), now);
            }
        }
        scheduleExpiry(expire(now));
        scheduleFlush();
    }

    /**
     * The fast path of a CHILD_SA rekey: when the replacement is the old SA but for its ids (child
     * id, IKE id, reqid; same connection, child name, addresses, identity, selectors, interface id:
     * hence the same binding and routes), the old SA's guard state, route-table ownership,
     * redundancy group and dampening record move to the new id in place. No admission, nothing
     * dirty, no flush, no path change. The state ends as the full path ({@link #applyChange}:
     * replacement up, then old down) leaves it. False, with nothing changed, for anything else
     * (then the full path runs): an SA the table does not know, a replacement id already up, a
     * changed SA, a peer whose routes dampening holds back, or an SA the guard must judge again
     * ({@link RouteGuard#rekeyInPlace}).
     */
    private boolean rekeyInPlace(Source src, SaEvent.ChildRekeyed rk, long now) {
        ChildSa old = src.sas.get(rk.old().id());
        ChildSa next = rk.replacement();
        if (old == null || src.sas.get(next.id()) != null || !sameButIds(old, next) || held.containsKey(old.id())) {
            return false;
        }
        // what applyChange does first: hold-downs that ended before this change count first
        scheduleExpiry(dampen(now));
        if (held.containsKey(old.id()) || !guard.rekeyInPlace(old.id(), next)) {
            return false;
        }
        routes.renameOwner(owner(old), owner(next));
        redundancy.renameOwner(owner(old), owner(next));
        if (dampening != null) {
            String peer = peerOf(next);
            dampening.up(peer, next.id(), now); // the peer never lacks an SA: no flap
            dampening.down(peer, old.id(), now);
        }
        src.sas.apply(rk);
        noteWithoutRoutes(next);
        return true;
    }

    /** True if two SAs differ at most in their ids (child id, IKE id, reqid). */
    static boolean sameButIds(ChildSa a, ChildSa b) {
        return a.connection().equals(b.connection()) && a.child().equals(b.child()) && a.source().equals(b.source())
                && java.util.Objects.equals(a.localHost(), b.localHost()) && a.remoteHost().equals(b.remoteHost())
                && a.remoteId().equals(b.remoteId()) && a.ifId() == b.ifId() && a.remoteTs().equals(b.remoteTs())
                && a.localTs().equals(b.localTs()) && a.unroutableTs().equals(b.unroutableTs());
    }

    /**
     * The routes the guard lets each SA have, into the route table; those of a peer suppressed by
     * dampening are held back instead (the guard's claims stay: the peer keeps its prefixes).
     */
    private void admit(List<RouteGuard.Admission> admissions, long now) {
        for (RouteGuard.Admission a : admissions) {
            if (dampening != null && !a.routes().isEmpty() && dampening.suppressed(peerOf(a.sa()))) {
                held.put(a.sa().id(), new Held(a.sa(), a.routes()));
                routes.removeOwner(owner(a.sa()), now);
                continue;
            }
            if (!held.isEmpty()) {
                held.remove(a.sa().id());
            }
            routes.setOwner(owner(a.sa()), a.routes(), now);
        }
    }

    /**
     * Claims and routes whose withdraw delay has passed go (claims first: a waiting claim takes over
     * in the same step); flaps whose hold-down ended are counted and reused peers come back.
     */
    private long expire(long now) {
        admit(guard.expire(now), now);
        redundancy.forgetDeparted(now);
        long damped = dampen(now);
        return Math.min(damped, Math.min(guard.nextDeadline(), routes.expire(now)));
    }

    // ---- route-flap dampening (rri dampening) ----

    /**
     * The remote peer an SA belongs to for dampening: its outer address and its IKE identity,
     * {@code "ADDRESS IDENTITY"}. Both, because spokes often share one identity (a group PSK or
     * certificate) and must not be dampened together, and an address alone may be reused by another
     * peer behind the same NAT.
     */
    static String peerOf(ChildSa sa) {
        String address = Addresses.format(sa.remoteHost());
        return sa.remoteId().isEmpty() ? address : address + " " + sa.remoteId();
    }

    private static Dampening.Parameters parameters(DampeningSettings d) {
        return new Dampening.Parameters(d.halfLife(), d.reuse(), d.suppress(), d.maxSuppress());
    }

    /**
     * Tells dampening which peers gained and lost SAs: adds first, so a rekey never leaves a peer
     * without one; an SA that moved to a new address (same id) leaves its old key without a flap.
     */
    private void trackPeers(SaTable.Change change, long now) {
        if (dampening == null) {
            return;
        }
        Map<ChildSa.Id, String> addedPeers = new HashMap<>();
        for (ChildSa sa : change.added()) {
            String peer = peerOf(sa);
            addedPeers.put(sa.id(), peer);
            dampening.up(peer, sa.id(), now);
        }
        for (ChildSa sa : change.removed()) {
            String peer = peerOf(sa);
            String movedTo = addedPeers.get(sa.id());
            if (movedTo == null) {
                dampening.down(peer, sa.id(), now);
            } else if (!peer.equals(movedTo)) {
                dampening.leave(peer, sa.id(), now); // moved (MOBIKE, NAT): not a flap
            }
        }
    }

    /** Runs dampening to {@code now}: counts, logs, reuses; returns its next deadline. */
    private long dampen(long now) {
        if (dampening == null) {
            return Long.MAX_VALUE;
        }
        for (Dampening.Event e : dampening.advance(now)) {
            switch (e.kind()) {
                case FLAP -> {
                    flaps.increment();
                    log.info("peer=\"{}\" event=flap penalty={}", e.peer(), Math.round(e.penalty()));
                }
                case SUPPRESSED -> {
                    suppressions.increment();
                    log.warn("peer=\"{}\" event=suppressed penalty={} suppress-limit={}: its routes are not announced"
                            + " until the penalty decays to {}", e.peer(), Math.round(e.penalty()),
                            config.dampening().suppress(), config.dampening().reuse());
                }
                case REUSED -> {
                    log.info("peer=\"{}\" event=reused penalty={}: its routes are announced again", e.peer(),
                            Math.round(e.penalty()));
                    release(e.peer(), now);
                }
            }
        }
        suppressedPeers = dampening.suppressedCount();
        return dampening.nextDeadline();
    }

    /** A reused peer's held routes go into the route table, as its SAs are still up. */
    private void release(String peer, long now) {
        for (var it = held.values().iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (peerOf(h.sa()).equals(peer)) {
                it.remove();
                routes.setOwner(owner(h.sa()), h.routes(), now);
            }
        }
    }

    /** A reload that turns dampening on or off, or changes its numbers or the withdraw delay (its hold-down). */
    private void reconfigureDampening(long now) {
        DampeningSettings d = config.dampening();
        long holdDown = config.rri().withdrawDelay().toNanos();
        if (d == null) {
            if (dampening != null) {
                dampening = null;
                suppressedPeers = 0;
                for (Held h : List.copyOf(held.values())) {
                    routes.setOwner(owner(h.sa()), h.routes(), now);
                }
                held.clear();
                log.info("rri dampening off: every peer's routes are announced, flap history dropped");
            }
            return;
        }
        if (dampening == null) {
            dampening = new Dampening<>(parameters(d), holdDown);
            for (ChildSa sa : allSas()) {
                dampening.up(peerOf(sa), sa.id(), now);
            }
            log.info("rri dampening on: half-life {} s, reuse {}, suppress {}, max-suppress-time {} s",
                    d.halfLife().toSeconds(), d.reuse(), d.suppress(), d.maxSuppress().toSeconds());
        } else {
            dampening.reconfigure(parameters(d), holdDown, now);
            log.info("rri dampening now half-life {} s, reuse {}, suppress {}, max-suppress-time {} s; penalties kept",
                    d.halfLife().toSeconds(), d.reuse(), d.suppress(), d.maxSuppress().toSeconds());
        }
        dampen(now);
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

    /** An SA's owner key in the route table: its id (no string per SA). */
    private static Object owner(ChildSa sa) {
        return sa.id();
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
        if (stopping) {
            return;
        }
        Set<RouteTable.Dest> dirty = routes.drainDirty();
        routeFeed.flush(dirty, routes, sourceInSync);
        if (dirty.isEmpty() && !(pushAlways && sourceInSync)) {
            return;
        }
        List<PathChange> changes = desired.update(dirty, routes, redistributor);
        if (!sourceInSync) {
            if (partsAdmitted) {
                preload(changes);
            }
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

    /**
     * While the first snapshot arrives: the paths wanted so far go to the sinks to announce where
     * their daemons hold nothing of ours; withdrawals wait for the complete set.
     */
    private void preload(List<PathChange> changes) {
        List<BgpPath> wanted = new ArrayList<>(changes.size());
        for (PathChange c : changes) {
            if (c.after() != null) {
                wanted.add(c.after());
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        List<BgpPath> handed = Collections.unmodifiableList(wanted);
        Map<String, VrfDefinition> vrfs = vrfResolver.apply(config);
        for (PathSink s : sinks) {
            s.preload(handed, vrfs);
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
