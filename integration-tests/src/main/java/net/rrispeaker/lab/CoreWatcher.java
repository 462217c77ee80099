package net.rrispeaker.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Samples the core router's IPv4 BGP table over a kept-open vty connection ({@link FrrVty}) as
 * fast as bgpd answers (with a 2 ms pause between queries) and records every change with its
 * time ({@link System#nanoTime()}). From that record it tells, for a window, which prefixes were
 * absent (no valid path at all: what the upstream network would drop), how often each prefix's
 * best path changed, and when the table last changed (convergence). An unreachable bgpd (a
 * restarting core) counts as an empty table. The resolution is the sampling interval, reported by
 * {@link #meanIntervalMillis()} and {@link #maxIntervalMillis()}.
 */
public final class CoreWatcher implements AutoCloseable {
    /** The table from {@code nanos} on (until the next change). */
    public record Change(long nanos, CoreTable table) {
    }

    /** A prefix without any valid path at the core from {@code fromNanos} to {@code toNanos}. */
    public record Absence(String prefix, long fromNanos, long toNanos) {
        public double millis() {
            return (toNanos - fromNanos) / 1e6;
        }
    }

    private final FrrVty vty;
    private final FrrVty zebra;
    private final List<Change> changes = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long samples;
    private long firstSample;
    private long lastSample;
    private long maxGap;

    public CoreWatcher(Path bgpdVty, Path zebraVty) {
        this.vty = new FrrVty(bgpdVty);
        this.zebra = new FrrVty(zebraVty);
        this.thread = new Thread(this::loop, "core-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            CoreTable t;
            try {
                t = CoreTable.read(vty, zebra);
            } catch (RuntimeException unreachable) {
                t = CoreTable.EMPTY;
            }
            long now = System.nanoTime();
            synchronized (this) {
                if (samples > 0) {
                    maxGap = Math.max(maxGap, now - lastSample);
                } else {
                    firstSample = now;
                }
                samples++;
                lastSample = now;
                if (changes.isEmpty() || !changes.get(changes.size() - 1).table().equals(t)) {
                    changes.add(new Change(now, t));
                }
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Mean time between samples so far. */
    public synchronized double meanIntervalMillis() {
        return samples < 2 ? Double.NaN : (lastSample - firstSample) / 1e6 / (samples - 1);
    }

    /** Longest time between two samples so far. */
    public synchronized double maxIntervalMillis() {
        return maxGap / 1e6;
    }

    /** Resets the interval statistics (e.g. at the start of a scenario). */
    public synchronized void resetIntervals() {
        samples = 0;
        maxGap = 0;
    }

    /** The changes in [from, to], preceded by the table in force at {@code from}. */
    public synchronized List<Change> window(long from, long to) {
        List<Change> out = new ArrayList<>();
        Change before = null;
        for (Change c : changes) {
            if (c.nanos() <= from) {
                before = c;
            } else if (c.nanos() <= to) {
                out.add(c);
            }
        }
        if (before != null) {
            out.add(0, new Change(from, before.table()));
        }
        return out;
    }

    /** The time of the last change in (from, to], if the table changed at all. */
    public Optional<Long> lastChange(long from, long to) {
        List<Change> w = window(from, to);
        return w.size() < 2 ? Optional.empty() : Optional.of(w.get(w.size() - 1).nanos());
    }

    /**
     * Every stretch in [from, to] during which one of {@code prefixes} was not forwarded by the core
     * (no installed route in zebra: what the upstream network would drop).
     */
    public List<Absence> absences(Collection<String> prefixes, long from, long to) {
        List<Change> w = window(from, to);
        List<Absence> out = new ArrayList<>();
        for (String prefix : prefixes) {
            Long since = null;
            for (Change c : w) {
                boolean present = c.table().fib().containsKey(prefix);
                if (!present && since == null) {
                    since = c.nanos();
                } else if (present && since != null) {
                    out.add(new Absence(prefix, since, c.nanos()));
                    since = null;
                }
            }
            if (since != null) {
                out.add(new Absence(prefix, since, to));
            }
        }
        return out;
    }

    /** How often the next hop the core forwards {@code prefix} to (or its absence) changed in (from, to]. */
    public int bestChanges(String prefix, long from, long to) {
        List<Change> w = window(from, to);
        int n = 0;
        for (int i = 1; i < w.size(); i++) {
            if (!w.get(i).table().fibNextHop(prefix).equals(w.get(i - 1).table().fibNextHop(prefix))) {
                n++;
            }
        }
        return n;
    }

    /**
     * The longest stretch in [from, to] during which one of {@code prefixes} had paths in the core's
     * BGP table but none marked best (bgpd between a withdrawal and its best-path run; zebra keeps
     * forwarding by the old route meanwhile), in milliseconds.
     */
    public double longestWithoutBest(Collection<String> prefixes, long from, long to) {
        List<Change> w = window(from, to);
        double longest = 0;
        for (String prefix : prefixes) {
            Long since = null;
            for (Change c : w) {
                boolean noBest = c.table().routes().containsKey(prefix) && c.table().bestNextHop(prefix).isEmpty();
                if (noBest && since == null) {
                    since = c.nanos();
                } else if (!noBest && since != null) {
                    longest = Math.max(longest, (c.nanos() - since) / 1e6);
                    since = null;
                }
            }
            if (since != null) {
                longest = Math.max(longest, (to - since) / 1e6);
            }
        }
        return longest;
    }

    /** BGP best and forwarded next hop of {@code prefix} over (from, to], one entry per change: {@code +MS bgp/fib}. */
    public List<String> timeline(String prefix, long from, long to) {
        List<Change> w = window(from, to);
        List<String> out = new ArrayList<>();
        Optional<String> last = null;
        for (Change c : w) {
            Optional<String> best = Optional.of(c.table().bestNextHop(prefix).orElse("no-best") + "/"
                    + c.table().fibNextHop(prefix).orElse("not-forwarded"));
            if (!best.equals(last)) {
                out.add(String.format(java.util.Locale.ROOT, "+%.0fms %s", (c.nanos() - from) / 1e6, best.get()));
                last = best;
            }
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        vty.close();
        zebra.close();
    }
}
