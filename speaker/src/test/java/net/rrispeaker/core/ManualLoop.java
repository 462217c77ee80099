package net.rrispeaker.core;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A single-threaded scheduled executor driven by the test: tasks run only in {@link #runReady()}
 * and {@link #advance}, on the test's thread, against a virtual clock ({@link #nanoTime()}). Timers
 * of the core (hold time, withdraw delay) can then be tested without sleeping and without races.
 */
final class ManualLoop extends AbstractExecutorService implements ScheduledExecutorService {
    private long now;
    private long sequence;
    private final List<Runnable> ready = new ArrayList<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private boolean shutdown;

    long nanoTime() {
        return now;
    }

    /** Runs every task that is ready now, including tasks those tasks queue. */
    void runReady() {
        while (!ready.isEmpty()) {
            ready.remove(0).run();
        }
    }

    /** Moves the clock forward, running tasks and timers in time order as they fall due. */
    void advance(long amount, TimeUnit unit) {
        long until = now + unit.toNanos(amount);
        runReady();
        while (!timers.isEmpty() && timers.peek().at <= until) {
            Timer t = timers.poll();
            now = Math.max(now, t.at);
            if (!t.cancelled.get()) {
                t.task.run();
            }
            runReady();
        }
        now = until;
    }

    @Override
    public void execute(Runnable command) {
        if (!shutdown) {
            ready.add(command);
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Timer t = new Timer(now + Math.max(0, unit.toNanos(delay)), sequence++, command);
        if (!shutdown) {
            timers.add(t);
        }
        return t;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the core schedules Runnables only");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("the core does not use periodic tasks");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the core does not use periodic tasks");
    }

    @Override
    public void shutdown() {
        shutdown = true;
        ready.clear();
        timers.clear();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Timer implements ScheduledFuture<Object> {
        final long at;
        final long seq;
        final Runnable task;
        final AtomicBoolean cancelled = new AtomicBoolean();

        Timer(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Timer t = (Timer) o;
            return at != t.at ? Long.compare(at, t.at) : Long.compare(seq, t.seq);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return cancelled.compareAndSet(false, true);
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }

        @Override
        public boolean isDone() {
            return cancelled.get();
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }
}
