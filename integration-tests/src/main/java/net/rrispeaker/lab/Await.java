package net.rrispeaker.lab;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling: the lab never sleeps a fixed time to let something happen, it polls a
 * condition until it holds or a deadline passes, and then says what it waited for and what it
 * saw last.
 */
public final class Await {
    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    /** Thrown when a condition did not hold within its deadline. */
    public static final class TimeoutError extends AssertionError {
        public TimeoutError(String message) {
            super(message);
        }
    }

    /**
     * Polls {@code supplier} until it returns a present value, and returns it.
     *
     * @throws TimeoutError naming {@code description} and the timeout
     */
    public static <T> T until(Duration timeout, String description, Supplier<Optional<T>> supplier) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                Optional<T> value = supplier.get();
                if (value.isPresent()) {
                    return value.get();
                }
                last = null;
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                String why = last == null ? "" : " (last error: " + last + ")";
                throw new TimeoutError("timed out after " + timeout.toMillis() + " ms waiting for: " + description + why);
            }
            pause();
        }
    }

    /** Polls {@code condition} until it is true. */
    public static void until(Duration timeout, String description, BooleanSupplier condition) {
        until(timeout, description, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /**
     * Checks that {@code condition} stays true for the whole {@code window}: an assertion about
     * the absence of something (a withdrawal, a duplicate) needs an observation window.
     *
     * @throws AssertionError at the first poll where it does not hold
     */
    public static void holdsFor(Duration window, String description, BooleanSupplier condition) {
        long deadline = System.nanoTime() + window.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("no longer true: " + description);
            }
            pause();
        } while (System.nanoTime() - deadline < 0);
        if (!condition.getAsBoolean()) {
            throw new AssertionError("no longer true: " + description);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling", e);
        }
    }
}
