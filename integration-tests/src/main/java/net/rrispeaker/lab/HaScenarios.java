package net.rrispeaker.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault scenarios of the redundant-headend lab, shared by the fault-suite IT (which asserts on
 * the results) and the HA harness (which prints and documents them). Each scenario starts from
 * the settled lab (every tunnel up at both headends, the core exact), injects one fault, waits
 * until the core holds exactly the truth again ({@link HaInvariant}), and reports what the
 * {@link CoreWatcher} saw meanwhile; then it heals the lab for the next one.
 */
public final class HaScenarios implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HaScenarios.class);
    /** Extra observation after the core became exact: late withdrawals or flaps would show here. */
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * One measured phase.
     *
     * @param convergeMillis from the fault to the core's last change before it was exact (0 if it never changed)
     * @param absences stretches during which a prefix that was valid throughout (some headend kept its SA) was
     *     not forwarded by the core (no installed route in its zebra)
     * @param absentMillis their total length
     * @param moved prefixes whose forwarding next hop at the core changed at least once
     * @param changes forwarding next-hop changes over all prefixes
     * @param noBestMillis longest stretch with paths in the core's BGP table but none best (bgpd's
     *     transient between a withdrawal and its best-path run; forwarding is not affected)
     * @param extra paths at the core the truth does not have, after the phase
     * @param missing paths of the truth the core lacks (or with wrong attributes), after the phase
     * @param sampleMillis the watcher's mean sampling interval during the phase (the time resolution)
     * @param movedPrefixes the prefixes counted in {@code moved}
     */
    public record Result(String scenario, double convergeMillis, int absences, double absentMillis, int moved,
            int changes, double noBestMillis, int extra, int missing, double sampleMillis, String note,
            List<String> movedPrefixes) {
        public boolean exact() {
            return extra == 0 && missing == 0;
        }

        public String row() {
            return String.format(Locale.ROOT, "| %s | %s | %d (%.0f ms) | %d / %d | %.0f ms | %d / %d | %.1f | %s |",
                    scenario, convergeMillis == 0 ? "no change" : String.format(Locale.ROOT, "%.0f ms", convergeMillis),
                    absences, absentMillis, moved, changes, noBestMillis, extra, missing, sampleMillis, note);
        }

        public static String header() {
            return "| scenario | converged at the core | valid prefixes not forwarded (total) | prefixes moved /"
                    + " next-hop changes | longest without a BGP best | extra / missing after | sample interval ms | note |\n"
                    + "|---|---|---|---|---|---|---|---|";
        }
    }

    private final HaLab lab;
    private final CoreWatcher watcher;
    private final List<Result> results = new ArrayList<>();

    public HaScenarios(HaLab lab) {
        this.lab = lab;
        this.watcher = lab.watchCore();
    }

    public List<Result> results() {
        return List.copyOf(results);
    }

    /**
     * Injects {@code fault}, waits until {@code reached} holds and the core is exact, watches
     * {@link #QUIET} longer and records the phase. {@code mustStay}: the prefixes that stay valid
     * throughout (counted when absent).
     */
    public Result measure(String scenario, String note, Collection<String> mustStay, Runnable fault,
            BooleanSupplier reached) {
        lab.awaitExact(TIMEOUT);
        return measureFromHere(scenario, note, mustStay, fault, reached);
    }

    /** {@link #measure} without first waiting for an exact core (the previous step left it inexact on purpose). */
    private Result measureFromHere(String scenario, String note, Collection<String> mustStay, Runnable fault,
            BooleanSupplier reached) {
        watcher.resetIntervals();
        long t0 = System.nanoTime();
        fault.run();
        HaInvariant.Report[] last = new HaInvariant.Report[1];
        try {
            Await.until(TIMEOUT, scenario + ": fault visible and the core exact", () -> {
                if (!reached.getAsBoolean()) {
                    return false;
                }
                last[0] = lab.check();
                return last[0].exact();
            });
        } catch (Await.TimeoutError e) {
            throw new Await.TimeoutError(e.getMessage() + "\n" + (last[0] == null ? lab.check() : last[0]));
        }
        long exactAt = System.nanoTime();
        pause(QUIET);
        HaInvariant.Report end = lab.check();
        long t1 = System.nanoTime();
        double converge = watcher.lastChange(t0, exactAt).map(t -> (t - t0) / 1e6).orElse(0.0);
        List<CoreWatcher.Absence> absent = watcher.absences(mustStay, t0, t1);
        List<String> movedPrefixes = new ArrayList<>();
        int changes = 0;
        for (String p : HaTopology.allLans()) {
            int c = watcher.bestChanges(p, t0, t1);
            changes += c;
            if (c > 0) {
                movedPrefixes.add(p);
            }
        }
        int moved = movedPrefixes.size();
        Result r = new Result(scenario, converge, absent.size(), absent.stream().mapToDouble(CoreWatcher.Absence::millis).sum(),
                moved, changes, watcher.longestWithoutBest(HaTopology.allLans(), t0, t1), end.extra().size(), end.missing().size() + end.wrong().size(), watcher.meanIntervalMillis(), note,
                movedPrefixes);
        if (changes > moved || !absent.isEmpty()) {
            for (String p : movedPrefixes) {
                log.info("scenario='{}' prefix={} best={}", scenario, p, watcher.timeline(p, t0, t1));
            }
        }
        if (!absent.isEmpty()) {
            log.warn("scenario='{}' absences={}", scenario, absent);
        }
        if (!end.exact()) {
            log.warn("scenario='{}' not exact after the quiet period:\n{}", scenario, end);
        }
        log.info("scenario='{}' result={}", scenario, r.row());
        results.add(r);
        return r;
    }

    // ------------------------------------------------------------------ the dual-headend design

    /** The primary's tunnels to spoke a die (its packets to the primary dropped); DPD clears them. */
    public List<Result> tunnelDies() {
        Charon spokeA = lab.spokes().get(0);
        Headend pri = lab.primary();
        List<String> lansA = HaTopology.spokeLans(0);
        List<Result> out = new ArrayList<>();
        out.add(measure("primary's tunnel to one spoke dies (DPD)", "only that spoke's prefixes may move; includes"
                + " DPD detection (1 s + 3.6 s of retransmits)", HaTopology.allLans(),
                () -> spokeA.netns().exec("ip", "route", "add", "blackhole", pri.addrs().wan() + "/32").check(),
                () -> pri.installedRemoteSelectors().stream().noneMatch(lansA::contains)));
        out.add(measure("that tunnel comes back", "spoke re-initiates (keyingtries 0)", HaTopology.allLans(),
                () -> spokeA.netns().exec("ip", "route", "del", "blackhole", pri.addrs().wan() + "/32").check(),
                () -> new HashSet<>(pri.installedRemoteSelectors()).containsAll(HaTopology.allLans())));
        return out;
    }

    /** Every process of the primary SIGKILLed at once (charon, speaker, gobgpd, keepalived, zebra, bfdd); then restarted. */
    public List<Result> primaryKilled() {
        Headend pri = lab.primary();
        List<Result> out = new ArrayList<>();
        out.add(measure("primary headend killed (SIGKILL of all its processes)", "target < 1 s: all via the secondary",
                HaTopology.allLans(), pri::crash, () -> !pri.charon().alive()));
        out.add(measure("primary headend restarted", "spokes' DPD finds the dead IKE_SAs, they re-initiate",
                HaTopology.allLans(), () -> pri.startMissing(lab.speakerJar()),
                () -> new HashSet<>(pri.installedRemoteSelectors()).containsAll(HaTopology.allLans())));
        return out;
    }

    /**
     * Spoke a's CHILD_SAs to the primary are closed and reopened in a burst; the primary's speaker
     * is SIGKILLed in the middle of it and started again after the burst.
     */
    public List<Result> speakerKilledDuringBurst(Duration burst) {
        Headend pri = lab.primary();
        Charon spokeA = lab.spokes().get(0);
        lab.awaitExact(TIMEOUT);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger changesMade = new AtomicInteger();
        AtomicInteger whileDead = new AtomicInteger();
        Thread churn = new Thread(() -> {
            while (!stop.get()) {
                String child = "pri-lan" + (1 + ThreadLocalRandom.current().nextInt(3));
                spokeA.swanctl("--terminate", "--child", child, "--timeout", "10");
                spokeA.swanctl("--initiate", "--child", child, "--timeout", "10");
                changesMade.addAndGet(2);
                if (!pri.speaker().alive()) {
                    whileDead.addAndGet(2);
                }
            }
        }, "sa-burst");
        churn.start();
        pause(burst.dividedBy(3));
        pri.speaker().kill();
        pause(burst.dividedBy(3).multipliedBy(2));
        stop.set(true);
        join(churn);
        // a definite end state the dead speaker never saw: lan1 down, lan2 and lan3 up
        spokeA.swanctl("--terminate", "--child", "pri-lan1", "--timeout", "10");
        for (int i = 2; i <= 3; i++) {
            if (!pri.installedRemoteSelectors().contains(HaTopology.spokeLans(0).get(i - 1))) {
                spokeA.swanctl("--initiate", "--child", "pri-lan" + i, "--timeout", "10");
            }
        }
        List<Result> out = new ArrayList<>();
        out.add(measureFromHere("speaker SIGKILLed during a burst of SA changes, restarted", changesMade.get()
                + " SA changes, " + whileDead.get() + " while it was dead; from the restart", HaTopology.allLans(),
                () -> pri.speaker().start(), () -> true));
        out.add(measure("the SA closed while it was dead comes back", "", HaTopology.allLans(),
                () -> spokeA.swanctl("--initiate", "--child", "pri-lan1", "--timeout", "10").check(),
                () -> new HashSet<>(pri.installedRemoteSelectors()).containsAll(HaTopology.allLans())));
        return out;
    }

    /**
     * The primary frozen (SIGSTOP of every process of it): sockets stay open, nothing is sent. Without
     * BFD the core notices only when the BGP hold time (9 s in the lab) runs out and meanwhile
     * forwards to a box that forwards nothing; the figure is the baseline BFD is meant to cut.
     */
    public Result primaryFrozen(String note) {
        Headend pri = lab.primary();
        return measure("primary frozen (SIGSTOP of all its processes)", note, HaTopology.allLans(), pri::freeze,
                () -> true);
    }

    /**
     * The primary's links stay up but every packet it sends is dropped (a power-loss stand-in: the
     * kernel cannot send a TCP reset either). Same baseline as {@link #primaryFrozen}.
     */
    public Result primaryBlackholed(String note) {
        Headend pri = lab.primary();
        return measure("primary silent, links up (all its packets dropped)", note, HaTopology.allLans(),
                () -> pri.blackhole(true), () -> true);
    }

    /**
     * Spoke b's tunnel to the primary flaps {@code flaps} times (IKE_SA closed, reopened) while the
     * primary's speaker runs with {@code rri dampening 300 750 1500 900}: the first flap costs 1000,
     * the second brings the penalty to about 1990, above 1500, and suppresses spoke b at the primary.
     * So the core may move each of spoke b's prefixes at most three times (away, back, away) however
     * often the tunnel flaps, and ends with them via the secondary. Heal: the speaker restarted without
     * dampening.
     */
    public Result flappingSpokeDampened(int flaps) {
        Headend pri = lab.primary();
        Charon spokeB = lab.spokes().get(1);
        pri.addSpeakerConfig(List.of("rri dampening 300 750 1500 900"), List.of());
        pri.speaker().stop();
        pri.speaker().start();
        return measure("spoke b's tunnel to the primary flaps " + flaps + " times, rri dampening at the primary",
                "suppress at the 2nd flap: at most 3 moves per prefix", HaTopology.allLans(), () -> {
                    for (int i = 0; i < flaps; i++) {
                        spokeB.swanctl("--terminate", "--ike", "pri", "--timeout", "10");
                        pause(Duration.ofMillis(1200)); // longer than the withdraw delay: a real flap
                        for (int c = 1; c <= 3; c++) {
                            spokeB.swanctl("--initiate", "--child", "pri-lan" + c, "--timeout", "10");
                        }
                        pause(Duration.ofMillis(1200));
                    }
                    pri.suppressed(new HashSet<>(HaTopology.spokeLans(1)));
                }, () -> new HashSet<>(pri.installedRemoteSelectors()).containsAll(HaTopology.allLans()));
    }

    /** Undoes {@link #flappingSpokeDampened}: the primary's speaker restarted without dampening. */
    public void undoDampening() {
        Headend pri = lab.primary();
        pri.suppressed(java.util.Set.of());
        pri.resetSpeakerConfig();
        pri.speaker().stop();
        pri.speaker().start();
    }

    /**
     * Turns BFD on: each headend's speaker gets {@code rri bfd} at 100 ms x 3 (bfdd of its own
     * namespace) and is restarted; the core gets a bfd profile of the same intervals and
     * {@code neighbor X bfd profile FAST} for both headends. Waits until both BFD sessions are up.
     */
    public void enableBfd() {
        List<String> core = new ArrayList<>(List.of("bfd", "profile FAST", "transmit-interval 100", "receive-interval 100",
                "detect-multiplier 3", "exit", "exit", "router bgp " + Topology.AS));
        for (Headend h : lab.headends()) {
            h.addSpeakerConfig(List.of("rri bfd transmit-interval 100 receive-interval 100 detect-multiplier 3"
                    + " vtysh-socket-dir " + h.frrDir()), List.of());
            h.speaker().stop();
            h.speaker().start();
            core.add("neighbor " + h.addrs().core() + " bfd profile FAST");
        }
        lab.core().configure(core);
        Await.until(TIMEOUT, "BFD sessions core-headends up", () -> {
            String peers = lab.core().vtysh("show bfd peers brief");
            return lab.headends().stream().allMatch(h -> peers.lines()
                    .anyMatch(l -> l.contains(h.addrs().core()) && l.contains("up")));
        });
    }

    /** The primary's charon stopped (SIGTERM: it deletes its SAs) and started again; the spokes re-initiate. */
    public Result charonRestarted() {
        Headend pri = lab.primary();
        return measure("primary's charon restarted (SIGTERM, start)", "spokes re-initiate on the DELETE (close_action start)",
                HaTopology.allLans(), () -> {
                    pri.charon().stop();
                    pri.charon().start();
                }, () -> new HashSet<>(pri.installedRemoteSelectors()).containsAll(HaTopology.allLans()));
    }

    /** The primary's gobgpd SIGKILLed and started again (empty RIB): the speaker resyncs it. */
    public Result gobgpdRestarted() {
        Headend pri = lab.primary();
        return measure("primary's gobgpd killed and restarted", "the speaker reconnects and re-announces",
                HaTopology.allLans(), () -> {
                    pri.gobgpd().kill();
                    pri.gobgpd().start();
                }, () -> lab.core().established(pri.addrs().core()));
    }

    /** The core's FRR (zebra, bgpd, bfdd) restarted: it relearns everything from both headends. */
    public Result coreRestarted() {
        return measure("core FRR restarted", "the core itself forgets everything: absences expected", List.of(),
                () -> lab.core().restart(), () -> lab.headends().stream().allMatch(h -> lab.core().established(h.addrs().core())));
    }

    /**
     * For {@code duration}, each spoke rekeys its CHILD_SAs and IKE_SAs toward both headends in a
     * loop (make-before-break). Must cause no withdrawal and no best-path change at all.
     */
    public Result rekeyStorm(Duration duration) {
        AtomicInteger rekeys = new AtomicInteger();
        Result r = measure("rekey storm (" + duration.toSeconds() + " s)", "", HaTopology.allLans(), () -> {
            long end = System.nanoTime() + duration.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (Charon spoke : lab.spokes()) {
                Thread t = new Thread(() -> {
                    int i = 0;
                    while (System.nanoTime() < end) {
                        String peer = i % 2 == 0 ? "pri" : "sec";
                        boolean ok = i % 7 == 6
                                ? spoke.swanctl("--rekey", "--ike", peer).ok()
                                : spoke.swanctl("--rekey", "--child", peer + "-lan" + (1 + i % 3)).ok();
                        if (ok) {
                            rekeys.incrementAndGet();
                        }
                        i++;
                        pause(Duration.ofMillis(50));
                    }
                }, "rekey-storm");
                t.start();
                threads.add(t);
            }
            threads.forEach(HaScenarios::join);
        }, () -> true);
        Result noted = new Result(r.scenario(), r.convergeMillis(), r.absences(), r.absentMillis(), r.moved(), r.changes(),
                r.noBestMillis(), r.extra(), r.missing(), r.sampleMillis(), rekeys.get() + " rekeys done (CHILD_SAs and IKE_SAs, both headends,"
                + " make-before-break); nothing may change", r.movedPrefixes());
        results.set(results.size() - 1, noted);
        return noted;
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        watcher.close();
    }
}
