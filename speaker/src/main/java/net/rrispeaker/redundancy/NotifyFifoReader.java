package net.rrispeaker.redundancy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads keepalived's notify FIFO ({@code vrrp_notify_fifo} / {@code notify_fifo}) on its own thread
 * ({@code rri-vrrp-fifo}) and hands every line to a {@link Listener}, parsed.
 *
 * <p>keepalived creates the FIFO and keeps it open while it runs. The reader opens it for reading
 * (blocking until keepalived has it open), reads lines until keepalived closes it (it stopped, was
 * killed, or reloads), tells the listener the FIFO closed, and opens it again: a keepalived that
 * restarts is picked up without the speaker doing anything. keepalived also closes and reopens the
 * FIFO when it reloads its configuration (SIGHUP), without repeating the states: so a close counts
 * ({@link Listener#closed}) only if no writer has opened the FIFO again within the grace time (a
 * keepalived that stops writes {@code STOP} first, one that is killed never comes back). A path that does not exist yet is
 * waited for; a path that is not a FIFO is reported and waited on too (never read as a file: a
 * regular file would be read again and again). A malformed line costs only itself.
 */
public final class NotifyFifoReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotifyFifoReader.class);
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    /** What the reader found; called on the reader's thread. */
    public interface Listener {
        void notice(VrrpNotice notice);

        /** A line that is not a VRRP notification ({@code line} bounded and printable). */
        void malformed(String reason, String line);

        /** keepalived closed the FIFO (or it could not be read): what it said before no longer holds. */
        void closed(String why);
    }

    private final Path fifo;
    private final Listener listener;
    private final Duration retry;
    private final Duration closeGrace;
    private final Thread thread;
    private final ScheduledExecutorService graceTimer;
    /** Successful opens so far: a close counts only if none happened within the grace time after it. */
    private final AtomicLong opens = new AtomicLong();
    private volatile boolean stopped;

    /**
     * @param retry      how long to wait before looking again for a FIFO that is missing or unreadable
     * @param closeGrace how long a closed FIFO may stay without a writer before it counts as closed
     */
    public NotifyFifoReader(Path fifo, Listener listener, Duration retry, Duration closeGrace) {
        this.fifo = fifo;
        this.listener = listener;
        this.retry = retry;
        this.closeGrace = closeGrace;
        this.thread = new Thread(this::run, "rri-vrrp-fifo");
        this.thread.setDaemon(true); // an open() waiting for keepalived cannot be interrupted
        this.graceTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rri-vrrp-fifo-grace");
            t.setDaemon(true);
            return t;
        });
    }

    /** The writer went away: tell the listener unless one comes back within the grace time. */
    private void closedUnlessReopened(String why) {
        long seen = opens.get();
        graceTimer.schedule(() -> {
            if (!stopped && opens.get() == seen) {
                listener.closed(why);
            }
        }, closeGrace.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        boolean reportedMissing = false;
        while (!stopped) {
            try {
                int mode = (Integer) Files.getAttribute(fifo, "unix:mode");
                if ((mode & S_IFMT) != S_IFIFO) {
                    if (!reportedMissing) {
                        log.error("rri redundancy notify-fifo {} is not a FIFO (keepalived creates it: remove the file"
                                + " and restart keepalived); redundancy groups stay standby", fifo);
                        listener.malformed("not-a-fifo", fifo.toString());
                        reportedMissing = true;
                    }
                    pause();
                    continue;
                }
                reportedMissing = false;
                InputStream opened = open();
                if (opened == null) {
                    continue; // the FIFO was replaced (or we are stopping) while waiting for a writer
                }
                try (InputStream in = opened) {
                    opens.incrementAndGet();
                    log.info("reading keepalived notifications from {}", fifo);
                    readLines(in);
                }
                if (!stopped) {
                    closedUnlessReopened("keepalived closed " + fifo);
                }
            } catch (NoSuchFileException e) {
                if (!reportedMissing) {
                    log.warn("keepalived notify FIFO {} does not exist yet; waiting for keepalived to create it", fifo);
                    reportedMissing = true;
                }
                pause();
            } catch (IOException | RuntimeException e) {
                if (!stopped) {
                    log.warn("reading {}: {}; opening it again in {} ms", fifo, e.toString(), retry.toMillis());
                    closedUnlessReopened("error reading " + fifo + ": " + e);
                    pause();
                }
            }
        }
    }

    /**
     * Opens the FIFO for reading, which blocks until a writer (keepalived) opens it. keepalived
     * closes its FIFO and then deletes it when it stops, and a new keepalived makes a new one: an
     * open that began in between waits on the deleted FIFO for ever. So the open runs on a thread of
     * its own while this one watches the path: if the path stops naming the FIFO the open began on,
     * that open is abandoned (its thread stays blocked; it is a daemon thread, and this happens once
     * per such restart) and {@code null} is returned so the caller opens the new one.
     */
    private InputStream open() throws IOException {
        Object key = Files.readAttributes(fifo, BasicFileAttributes.class).fileKey();
        CompletableFuture<InputStream> opening = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                InputStream in = Files.newInputStream(fifo);
                if (!opening.complete(in)) {
                    in.close(); // abandoned meanwhile
                }
            } catch (IOException | RuntimeException e) {
                opening.completeExceptionally(e);
            }
        }, "rri-vrrp-fifo-open");
        opener.setDaemon(true);
        opener.start();
        while (!stopped) {
            try {
                return opening.get(retry.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                Object now;
                try {
                    now = Files.readAttributes(fifo, BasicFileAttributes.class).fileKey();
                } catch (NoSuchFileException gone) {
                    now = null;
                }
                if (key != null && !key.equals(now)) {
                    if (!opening.complete(null)) {
                        try {
                            return opening.get(); // the open finished just now: a writer came
                        } catch (ExecutionException | InterruptedException ignored) {
                            // fall through: open the path again
                        }
                    }
                    log.info("keepalived replaced its notify FIFO {} while the speaker waited on the old one;"
                            + " opening the new one", fifo);
                    return null;
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
        if (!opening.complete(null)) {
            try {
                InputStream late = opening.getNow(null);
                if (late != null) {
                    late.close();
                }
            } catch (RuntimeException ignored) {
                // it failed: nothing to close
            }
        }
        return null;
    }

    /** Lines of at most {@link VrrpNotice#MAX_LINE} bytes; a longer one is malformed and skipped to its end. */
    private void readLines(InputStream in) throws IOException {
        byte[] buf = new byte[VrrpNotice.MAX_LINE];
        int len = 0;
        boolean tooLong = false;
        byte[] chunk = new byte[4096];
        int n;
        while (!stopped && (n = in.read(chunk)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = chunk[i];
                if (b == '\n') {
                    if (tooLong) {
                        listener.malformed("line longer than " + VrrpNotice.MAX_LINE + " bytes",
                                VrrpNotice.shown(new String(buf, 0, len, StandardCharsets.US_ASCII)));
                    } else if (len > 0) {
                        line(new String(buf, 0, len, StandardCharsets.UTF_8));
                    }
                    len = 0;
                    tooLong = false;
                } else if (len < buf.length) {
                    buf[len++] = b;
                } else {
                    tooLong = true;
                }
            }
        }
    }

    private void line(String text) {
        VrrpNotice notice;
        try {
            notice = VrrpNotice.parseFifoLine(text);
        } catch (IllegalArgumentException e) {
            listener.malformed(e.getMessage(), VrrpNotice.shown(text));
            return;
        }
        listener.notice(notice);
    }

    private void pause() {
        try {
            Thread.sleep(retry.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        graceTimer.shutdownNow();
    }
}
