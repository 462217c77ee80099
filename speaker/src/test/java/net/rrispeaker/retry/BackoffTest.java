package net.rrispeaker.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static List<Duration> waits(Backoff b, int n) {
        List<Duration> w = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            w.add(b.failed());
        }
        return w;
    }

    @Test
    void failures_waitLongerEachTimeUpToTheMaximum() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5)), waits(b, 6));
    }

    @Test
    void aSuccessfulConnection_startsOverAtTheMinimum() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));
        waits(b, 4);
        b.succeeded();
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(1)), waits(b, 2));
    }

    @Test
    void aMinimumAboveTheMaximum_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(6), Duration.ofSeconds(5)));
        assertEquals("backoff: min PT6S max PT5S (expected: 0 <= min <= max)", e.getMessage());
    }
}
