package net.rrispeaker.bfd;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.rrispeaker.config.BfdSettings;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.retry.Backoff;
import net.rrispeaker.sink.frr.ProcessVtysh;
import net.rrispeaker.sink.frr.Vtysh;
import net.rrispeaker.sink.gobgp.GobgpNeighbours;
import net.rrispeaker.sink.gobgp.Neighbour;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one BFD session in FRR's bfdd per gobgpd neighbour (GoBGP 3.x has no BFD of its own), on
 * its own thread {@code rri-bfd}. Every poll interval it lists gobgpd's neighbours (ListPeer),
 * reads bfdd's running configuration, works out the difference ({@link BfdPlan}) and applies it as
 * one {@code vtysh -d bfdd -f} transaction, then reads the sessions' state ({@code show bfd peers
 * json}). Level-triggered: a bfdd restart (its vty socket changes; counted) loses the peers, and
 * the next poll puts them back; a neighbour added to or removed from gobgpd is followed within a
 * poll interval.
 *
 * <p>When gobgpd cannot be asked the peers are left as they are (a neighbour list that cannot be
 * read is not an empty one). When bfdd is not there (no vty socket, vtysh fails) or refuses the
 * transaction, the error is logged, counted ({@code rri_bfd_errors_total}) and shown, and the
 * manager tries again after a backoff (1 s doubling to the poll interval). Nothing is withdrawn on
 * the speaker's side: BFD only makes the upstream routers notice a dead headend sooner.
 */
public final class BfdManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BfdManager.class);

    /** Where the neighbours come from (gobgpd's ListPeer in production). */
    public interface Neighbours {
        List<Neighbour> list() throws IOException;
    }

    private final BfdSettings settings;
    private final Neighbours neighbours;
    private final Vtysh vtysh;
    private final Clock clock;
    private final Backoff backoff;
    private final AutoCloseable onClose;
    private final Thread thread;
    private final MeterRegistry registry;
    private final AtomicInteger sessionsUp = new AtomicInteger();
    private final AtomicInteger sessionsDown = new AtomicInteger();
    private final Counter restartsSeen;

    // owned by the worker thread
    private Object bfddIdentity;
    private final Map<BfdKey, String> lastStatus = new HashMap<>();
    private final Map<String, String> lastSkipped = new HashMap<>();
    private long restarts;
    private String lastError = "";
    private Instant lastErrorAt;

    private volatile BfdStatus status;
    private volatile boolean stopped;
    private final Object wake = new Object();

    /** The production manager: gobgpd at {@code gobgpTarget}, bfdd through vtysh as configured. */
    public static BfdManager create(BfdSettings settings, String gobgpTarget, MeterRegistry registry) {
        GobgpNeighbours gobgp = new GobgpNeighbours(gobgpTarget);
        return new BfdManager(settings, gobgp::list,
                new ProcessVtysh(settings.vtysh(), settings.vtySocketDir(), "bfdd"), registry, Clock.systemUTC(), gobgp);
    }

    BfdManager(BfdSettings settings, Neighbours neighbours, Vtysh vtysh, MeterRegistry registry, Clock clock,
               AutoCloseable onClose) {
        this.settings = settings;
        this.neighbours = neighbours;
        this.vtysh = vtysh;
        this.registry = registry;
        this.clock = clock;
        this.onClose = onClose;
        Duration max = settings.pollInterval().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : settings.pollInterval();
        this.backoff = new Backoff(Duration.ofSeconds(1), max);
        this.status = new BfdStatus(vtysh.describe(), settings.profile(), false, false, false, List.of(), "", null, 0, null);
        Gauge.builder(Meters.BFD_SESSIONS, sessionsUp, AtomicInteger::get).tag("state", "up")
                .description("BFD sessions of the speaker's bfdd peers that are up").register(registry);
        Gauge.builder(Meters.BFD_SESSIONS, sessionsDown, AtomicInteger::get).tag("state", "down")
                .description("BFD sessions of the speaker's bfdd peers that are not up").register(registry);
        this.restartsSeen = Counter.builder(Meters.BFD_BFDD_RESTARTS).description("bfdd restarts seen").register(registry);
        this.thread = new Thread(this::run, "rri-bfd");
        this.thread.setDaemon(true);
    }

    public void start() {
        log.info("bfd=start bfdd={} profile={} transmit-interval={} receive-interval={} detect-multiplier={} poll-s={}",
                vtysh.describe(), settings.profile(), settings.transmitInterval(), settings.receiveInterval(),
                settings.detectMultiplier(), settings.pollInterval().toSeconds());
        thread.start();
    }

    public BfdStatus status() {
        return status;
    }

    private void run() {
        while (!stopped) {
            Duration next = pollOnce();
            synchronized (wake) {
                if (stopped) {
                    break;
                }
                try {
                    wake.wait(Math.max(1, next.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    /** One poll; the wait until the next one (the poll interval, or a backoff after a failure). */
    Duration pollOnce() {
        List<Neighbour> ns;
        try {
            ns = neighbours.list();
        } catch (IOException | RuntimeException e) {
            return failed("gobgpd", e.getMessage(), false, true);
        }
        Object identity = vtysh.daemonIdentity();
        if (identity == null) {
            return failed("bfdd-unreachable", "bfdd not running: no vty socket " + vtysh.describe(), true, false);
        }
        BfdRunning running;
        try {
            running = BfdRunning.parse(vtysh.runningConfig());
        } catch (IOException e) {
            return failed("bfdd-unreachable", "bfdd " + vtysh.describe() + ": " + e.getMessage(), true, false);
        }
        if (bfddIdentity != null && !bfddIdentity.equals(identity)) {
            restarts++;
            restartsSeen.increment();
            log.warn("bfd=bfdd-restarted bfdd={} restarts={} action=resync", vtysh.describe(), restarts);
        }
        bfddIdentity = identity;
        BfdPlan plan = BfdPlan.of(ns, running, settings);
        reportSkipped(plan);
        if (!plan.empty()) {
            String text = plan.text(settings);
            Vtysh.Result r;
            try {
                r = vtysh.apply(text);
            } catch (IOException e) {
                return failed("bfdd-unreachable", "bfdd " + vtysh.describe() + ": " + e.getMessage(), true, false);
            }
            if (!r.ok()) {
                return failed("bfdd-refused", "bfdd refused the change (vtysh exit " + r.exitCode() + "): "
                        + ProcessVtysh.oneLine(r.output()), true, false);
            }
            for (BfdKey k : plan.remove()) {
                log.info("bfd=peer-removed peer=\"{}\" reason=no-longer-a-gobgpd-neighbour", k);
                registry.counter(Meters.BFD_CHANGES, "op", "remove").increment();
            }
            for (BfdKey k : plan.add()) {
                log.info("bfd=peer-added peer=\"{}\" profile={}", k, settings.profile());
                registry.counter(Meters.BFD_CHANGES, "op", "add").increment();
            }
            if (plan.profile()) {
                log.info("bfd=profile-written profile={} transmit-interval={} receive-interval={} detect-multiplier={}",
                        settings.profile(), settings.transmitInterval(), settings.receiveInterval(),
                        settings.detectMultiplier());
                registry.counter(Meters.BFD_CHANGES, "op", "profile").increment();
            }
        }
        Map<BfdKey, BfdSessions.Session> sessions;
        try {
            sessions = BfdSessions.parse(vtysh.show("show bfd peers json"));
        } catch (IOException e) {
            return failed("bfdd-unreachable", "bfdd " + vtysh.describe() + ": " + e.getMessage(), true, false);
        } catch (IllegalArgumentException e) {
            return failed("bfdd-output", e.getMessage(), true, false);
        }
        publish(plan, sessions, true, true);
        backoff.succeeded();
        return settings.pollInterval();
    }

    private void reportSkipped(BfdPlan plan) {
        Map<String, String> now = new HashMap<>();
        for (BfdPlan.Skipped s : plan.skipped()) {
            String key = s.neighbour().address() + "|" + s.neighbour().vrf();
            now.put(key, s.reason());
            if (!s.reason().equals(lastSkipped.get(key))) {
                if (s.invalid()) {
                    log.warn("bfd=neighbour-skipped neighbour=\"{}\" reason=\"{}\"", BfdPlan.shown(s.neighbour().address()),
                            s.reason());
                    registry.counter(Meters.BFD_ERRORS, "reason", "neighbour-invalid").increment();
                } else {
                    log.info("bfd=neighbour-skipped neighbour=\"{}\" reason=\"{}\"", s.neighbour().address(), s.reason());
                }
            }
        }
        lastSkipped.clear();
        lastSkipped.putAll(now);
    }

    private Duration failed(String reason, String message, boolean gobgpOk, boolean bfddOk) {
        registry.counter(Meters.BFD_ERRORS, "reason", reason).increment();
        Duration wait = backoff.failed();
        if (!message.equals(lastError)) {
            log.warn("bfd=error reason={} retry-ms={} error=\"{}\"", reason, wait.toMillis(), message);
        }
        lastError = message;
        lastErrorAt = clock.instant();
        BfdStatus old = status;
        // keep what was known of the sessions; mark which side could not be read
        status = new BfdStatus(vtysh.describe(), settings.profile(), true, bfddOk && old.bfddReachable(),
                gobgpOk, old.sessions(), lastError, lastErrorAt, restarts, old.polledAt());
        if (!bfddOk) {
            sessionsUp.set(0);
            sessionsDown.set((int) old.sessions().stream().filter(e -> e.owner() == BfdStatus.Owner.SPEAKER).count());
        }
        return wait;
    }

    private void publish(BfdPlan plan, Map<BfdKey, BfdSessions.Session> sessions, boolean bfddOk, boolean gobgpOk) {
        List<BfdStatus.Entry> entries = new ArrayList<>();
        int up = 0;
        int down = 0;
        Map<BfdKey, String> seen = new HashMap<>();
        for (BfdPlan.Wanted w : plan.wanted()) {
            BfdSessions.Session s = sessions.get(w.key());
            String st = s == null ? "absent" : s.status();
            if ("up".equals(st)) {
                up++;
            } else {
                down++;
            }
            seen.put(w.key(), st);
            String before = lastStatus.get(w.key());
            if (before != null && !before.equals(st)) {
                log.info("bfd=session-state peer=\"{}\" from={} to={} diagnostic=\"{}\"", w.key(), before, st,
                        s == null ? "" : s.diagnostic());
                registry.counter(Meters.BFD_TRANSITIONS, "to", "up".equals(st) ? "up" : "down").increment();
            }
            entries.add(entry(w.neighbour(), w.key(), BfdStatus.Owner.SPEAKER, s, st, ""));
        }
        for (BfdPlan.Skipped k : plan.skipped()) {
            BfdSessions.Session s = k.operator() == null ? null : sessions.get(k.operator());
            entries.add(entry(k.neighbour(), k.operator(), k.operator() == null ? BfdStatus.Owner.NONE
                    : BfdStatus.Owner.OPERATOR, s, k.operator() == null ? "" : s == null ? "absent" : s.status(), k.reason()));
        }
        lastStatus.clear();
        lastStatus.putAll(seen);
        sessionsUp.set(up);
        sessionsDown.set(down);
        status = new BfdStatus(vtysh.describe(), settings.profile(), true, bfddOk, gobgpOk, entries, lastError, lastErrorAt,
                restarts, clock.instant());
    }

    private static BfdStatus.Entry entry(Neighbour n, BfdKey key, BfdStatus.Owner owner, BfdSessions.Session s,
                                         String st, String note) {
        return new BfdStatus.Entry(n.address(), key, n.state(), owner, st, s == null ? 0 : s.seconds(),
                s == null ? "" : s.diagnostic(), s == null ? 0 : s.transmitInterval(), s == null ? 0 : s.receiveInterval(),
                s == null ? 0 : s.detectMultiplier(), note);
    }

    /** Stops polling. The bfdd peers stay: gobgpd's sessions keep their BFD while the speaker is away. */
    @Override
    public void close() {
        stopped = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            onClose.close();
        } catch (Exception e) {
            log.warn("bfd=close error=\"{}\"", e.toString());
        }
    }
}
