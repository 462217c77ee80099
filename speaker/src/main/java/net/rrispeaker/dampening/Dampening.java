package net.rrispeaker.dampening;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Route-flap dampening per remote peer, after RFC 2439 and IOS {@code bgp dampening}: every flap of
 * a peer adds {@link #FLAP_PENALTY} to its penalty, the penalty halves every half-life, a peer whose
 * penalty exceeds the suppress limit at a flap is suppressed, and it is reused when the penalty has
 * decayed to the reuse limit. The penalty never exceeds {@link Parameters#maxPenalty()}, so a peer is
 * reused at most the maximum suppress time after its last flap.
 *
 * <p>A peer is up while it has at least one SA ({@link #up}, {@link #down}); a flap is the peer
 * losing its last SA and staying without one for the hold-down (the {@code rri withdraw-delay}, after
 * which its routes are really withdrawn upstream). A rekey or a make-before-break reauth never leaves
 * the peer without an SA; a break-before-make reauth comes back within the hold-down: neither is a
 * flap.
 *
 * <p>Pure and clock-driven: time (nanoseconds, any origin) is passed in; the caller runs
 * {@link #advance} at {@link #nextDeadline()}. Not thread-safe; no threads. What happened since the
 * last {@link #advance} (flaps counted, peers suppressed and reused) is what it returns.
 *
 * @param <S> the caller's SA identity
 */
public final class Dampening<S> {
    /** What one flap adds to the penalty (IOS and RFC 2439's usual figure). */
    public static final double FLAP_PENALTY = 1000;
    private static final long NEVER = Long.MAX_VALUE;

    /**
     * The four numbers of {@code bgp dampening}, in its order.
     *
     * @param halfLife    time for the penalty to halve
     * @param reuse       a suppressed peer is reused when its penalty has decayed to this
     * @param suppress    a flap that brings the penalty above this suppresses the peer
     * @param maxSuppress the longest a peer stays suppressed after its last flap
     */
    public record Parameters(Duration halfLife, int reuse, int suppress, Duration maxSuppress) {
        public Parameters {
            Objects.requireNonNull(halfLife, "halfLife");
            Objects.requireNonNull(maxSuppress, "maxSuppress");
            if (halfLife.isNegative() || halfLife.isZero() || reuse < 1 || suppress <= reuse
                    || maxSuppress.compareTo(halfLife) < 0) {
                throw new IllegalArgumentException("dampening " + halfLife + " " + reuse + " " + suppress + " "
                        + maxSuppress + ": expected half-life > 0, 1 <= reuse < suppress, max-suppress >= half-life");
            }
        }

        /** IOS's defaults: 15 min, 750, 2000, 60 min. */
        public static Parameters defaults() {
            return new Parameters(Duration.ofMinutes(15), 750, 2000, Duration.ofMinutes(60));
        }

        /** The ceiling of the penalty: reuse * 2^(max-suppress / half-life) (RFC 2439, IOS). */
        public double maxPenalty() {
            return reuse * Math.pow(2, (double) maxSuppress.toNanos() / halfLife.toNanos());
        }
    }

    /** Something that happened to a peer, at time {@code at}, with the penalty then. */
    public record Event(Kind kind, String peer, double penalty, long at) {
        public enum Kind { FLAP, SUPPRESSED, REUSED }
    }

    /**
     * One peer as {@code show dampening} lists it, at the time it was asked.
     *
     * @param penalty   the penalty now (decayed)
     * @param flaps     flaps counted since the history began (it is cleared once the penalty falls
     *                  below half the reuse limit)
     * @param firstFlap when the first of them was counted
     * @param reuseAt   when a suppressed peer is reused; {@code Long.MAX_VALUE} if not suppressed
     * @param sas       SAs up now
     */
    public record PeerState(String peer, double penalty, int flaps, long firstFlap, boolean suppressed,
                            long reuseAt, int sas) {
    }

    private final class Entry {
        final String peer;
        final Set<S> sas = new HashSet<>(2);
        /** The penalty as of {@link #updated}. */
        double penalty;
        long updated;
        int flaps;
        long firstFlap;
        boolean suppressed;
        long reuseAt = NEVER;
        /** Without an SA since then, not yet counted as a flap; {@code NEVER} if up or counted. */
        long downAt = NEVER;
        /** When the history is cleared (penalty below half the reuse limit); {@code NEVER} without one. */
        long forgetAt = NEVER;
        /** The deadline queued for this entry; a queued item with another one is stale. */
        long queued = NEVER;

        Entry(String peer) {
            this.peer = peer;
        }

        double penaltyAt(long t) {
            return decay(penalty, t - updated);
        }

        long deadline() {
            long d = downAt == NEVER ? NEVER : saturated(downAt, holdDown);
            if (suppressed) {
                d = Math.min(d, reuseAt);
            } else if (flaps > 0) {
                d = Math.min(d, forgetAt);
            }
            return d;
        }
    }

    /** A deadline of one peer in the queue; stale once the peer's {@code queued} differs. */
    private final class Due {
        final long at;
        final Entry entry;

        Due(long at, Entry entry) {
            this.at = at;
            this.entry = entry;
        }
    }

    private Parameters params;
    private long holdDown;
    private final Map<String, Entry> peers = new HashMap<>();
    private final PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    private final List<Event> events = new ArrayList<>();
    private int suppressedCount;

    /**
     * @param params       the dampening numbers
     * @param holdDownNanos how long a peer must stay without an SA for its going to be a flap
     */
    public Dampening(Parameters params, long holdDownNanos) {
        this.params = Objects.requireNonNull(params, "params");
        this.holdDown = Math.max(0, holdDownNanos);
    }

    public Parameters parameters() {
        return params;
    }

    /** An SA of {@code peer} is up. A peer coming back within the hold-down has not flapped. */
    public void up(String peer, S sa, long now) {
        Entry e = peers.get(peer);
        if (e != null) {
            due(e, now); // a hold-down that ended counts its flap first
        }
        if (e == null || peers.get(peer) != e) {
            e = new Entry(peer);
            peers.put(peer, e);
        }
        e.sas.add(sa);
        if (e.downAt != NEVER) {
            e.downAt = NEVER; // back within the hold-down: not a flap
            requeue(e);
        }
    }

    /** An SA of {@code peer} went; its last one going starts the hold-down. */
    public void down(String peer, S sa, long now) {
        Entry e = peers.get(peer);
        if (e == null || !e.sas.contains(sa)) {
            return;
        }
        due(e, now);
        e.sas.remove(sa);
        if (e.sas.isEmpty()) {
            e.downAt = now;
            requeue(e);
        }
    }

    /**
     * An SA left {@code peer} without going down (the peer moved to a new outer address, MOBIKE or
     * NAT, and is known under another key now): no hold-down, no flap.
     */
    public void leave(String peer, S sa, long now) {
        Entry e = peers.get(peer);
        if (e == null || !e.sas.contains(sa)) {
            return;
        }
        due(e, now);
        e.sas.remove(sa);
        if (e.sas.isEmpty()) {
            due(e, now); // forgets a peer without history
        }
    }

    /** True while {@code peer} is suppressed: its routes must not be announced. */
    public boolean suppressed(String peer) {
        Entry e = peers.get(peer);
        return e != null && e.suppressed;
    }

    /** Number of peers suppressed now. */
    public int suppressedCount() {
        return suppressedCount;
    }

    /** Counts flaps whose hold-down ended, reuses peers, forgets old history; returns what happened since the last call. */
    public List<Event> advance(long now) {
        while (!queue.isEmpty() && reached(queue.peek().at, now)) {
            Due d = queue.poll();
            if (d.entry.queued == d.at && peers.get(d.entry.peer) == d.entry) {
                d.entry.queued = NEVER;
                due(d.entry, now);
            }
        }
        List<Event> out = List.copyOf(events);
        events.clear();
        return out;
    }

    /** The next time {@link #advance} has something to do, or {@code Long.MAX_VALUE}. */
    public long nextDeadline() {
        while (!queue.isEmpty()) {
            Due d = queue.peek();
            if (d.entry.queued == d.at && peers.get(d.entry.peer) == d.entry) {
                return d.at;
            }
            queue.poll();
        }
        return NEVER;
    }

    /**
     * New numbers or a new hold-down (reload). Each peer keeps its penalty (decayed to now under the
     * old half-life, then capped at the new ceiling) and flaps; a suppressed peer is reused at once if
     * that penalty is at or below the new reuse limit, else when it decays to it. A peer that is not
     * suppressed stays so until its next flap, even above the new suppress limit: suppression starts
     * at a flap only, and a reload is not one.
     */
    public void reconfigure(Parameters next, long holdDownNanos, long now) {
        for (Entry e : List.copyOf(peers.values())) {
            due(e, now); // settle under the old numbers; the events stay for the next advance
        }
        this.params = Objects.requireNonNull(next, "next");
        this.holdDown = Math.max(0, holdDownNanos);
        queue.clear();
        for (Entry e : List.copyOf(peers.values())) {
            e.queued = NEVER;
            if (e.flaps > 0 || e.suppressed) {
                e.penalty = Math.min(e.penaltyAt(now), params.maxPenalty());
                e.updated = now;
                if (e.suppressed) {
                    e.reuseAt = saturated(now, timeToDecay(e.penalty, params.reuse));
                }
                e.forgetAt = saturated(now, timeToDecay(e.penalty, params.reuse / 2.0));
            }
            due(e, now);
        }
    }

    /** Every peer with a flap history or suppressed, as of {@code now}, sorted by peer. */
    public List<PeerState> history(long now) {
        List<PeerState> out = new ArrayList<>();
        for (Entry e : peers.values()) {
            if (e.flaps > 0 || e.suppressed) {
                out.add(new PeerState(e.peer, e.penaltyAt(now), e.flaps, e.firstFlap, e.suppressed, e.reuseAt,
                        e.sas.size()));
            }
        }
        out.sort((a, b) -> a.peer().compareTo(b.peer()));
        return out;
    }

    /** Peers known (up, or with history): for tests and the memory bound. */
    public int size() {
        return peers.size();
    }

    // ---- one peer ----

    /** Everything due for {@code e} by {@code now}, in time order: the flap, its reuse, forgetting. */
    private void due(Entry e, long now) {
        long flapAt = e.downAt == NEVER ? NEVER : saturated(e.downAt, holdDown);
        if (reached(flapAt, now)) {
            flap(e, flapAt);
        }
        if (e.suppressed && reached(e.reuseAt, now)) {
            e.suppressed = false;
            suppressedCount--;
            events.add(new Event(Event.Kind.REUSED, e.peer, e.penaltyAt(e.reuseAt), e.reuseAt));
            e.reuseAt = NEVER;
        }
        if (!e.suppressed && e.flaps > 0 && reached(e.forgetAt, now)) {
            e.flaps = 0;
            e.penalty = 0;
            e.updated = now;
            e.forgetAt = NEVER;
        }
        if (e.sas.isEmpty() && e.downAt == NEVER && e.flaps == 0 && !e.suppressed) {
            peers.remove(e.peer);
            e.queued = NEVER;
            return;
        }
        requeue(e);
    }

    /** A flap counted at {@code t}: the end of its hold-down. */
    private void flap(Entry e, long t) {
        e.downAt = NEVER;
        e.penalty = Math.min(e.penaltyAt(t) + FLAP_PENALTY, params.maxPenalty());
        e.updated = t;
        if (e.flaps++ == 0) {
            e.firstFlap = t;
        }
        events.add(new Event(Event.Kind.FLAP, e.peer, e.penalty, t));
        if (!e.suppressed && e.penalty > params.suppress) {
            e.suppressed = true;
            suppressedCount++;
            events.add(new Event(Event.Kind.SUPPRESSED, e.peer, e.penalty, t));
        }
        if (e.suppressed) {
            e.reuseAt = saturated(t, timeToDecay(e.penalty, params.reuse));
        }
        e.forgetAt = saturated(t, timeToDecay(e.penalty, params.reuse / 2.0));
    }

    private void requeue(Entry e) {
        long d = e.deadline();
        if (d != e.queued) {
            e.queued = d;
            if (d != NEVER) {
                queue.add(new Due(d, e));
            }
        }
    }

    /** {@code p} after {@code elapsed} nanoseconds of decay. */
    private double decay(double p, long elapsed) {
        return elapsed <= 0 ? p : p * Math.pow(0.5, (double) elapsed / params.halfLife.toNanos());
    }

    /** Nanoseconds for {@code p} to decay to {@code target} (rounded up; 0 if already there). */
    private long timeToDecay(double p, double target) {
        if (p <= target) {
            return 0;
        }
        double n = Math.ceil(params.halfLife.toNanos() * (Math.log(p / target) / Math.log(2)));
        return n >= Long.MAX_VALUE ? NEVER : (long) n;
    }

    /** True if the time {@code t} ({@code NEVER}: never) has come by {@code now}. */
    private static boolean reached(long t, long now) {
        return t != NEVER && now - t >= 0;
    }

    private static long saturated(long t, long plus) {
        long r = t + plus;
        return plus == NEVER || ((t ^ r) & (plus ^ r)) < 0 ? NEVER : r;
    }
}
