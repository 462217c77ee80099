package net.rrispeaker.redundancy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads keepalived's notify FIFO ({@code vrrp_notify_fifo} / {@code notify_fifo}) on its own thread
 * ({@code rri-vrrp-fifo}) and hands every line to a {@link Listener}, parsed.
 *
 * <p>keepalived creates the FIFO and keeps it open while it runs. The reader opens it for reading
 * (blocking until keepalived has it open), reads lines until keepalived closes it (it stopped, was
 * killed, or reloads), tells the listener the FIFO closed, and opens it again: a keepalived that
 * restarts is picked up without the speaker doing anything. A path that does not exist yet is
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
    private final Thread thread;
    private volatile boolean stopped;

    public NotifyFifoReader(Path fifo, Listener listener, Duration retry) {
        this.fifo = fifo;
        this.listener = listener;
        this.retry = retry;
        this.thread = new Thread(this::run, "rri-vrrp-fifo");
        this.thread.setDaemon(true); // an open() waiting for keepalived cannot be interrupted
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
                try (InputStream in = Files.newInputStream(fifo)) { // blocks until keepalived opens it
                    log.info("reading keepalived notifications from {}", fifo);
                    readLines(in);
                }
                if (!stopped) {
                    listener.closed("keepalived closed " + fifo);
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
                    listener.closed("error reading " + fifo + ": " + e);
                    pause();
                }
            }
        }
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
    }
}
