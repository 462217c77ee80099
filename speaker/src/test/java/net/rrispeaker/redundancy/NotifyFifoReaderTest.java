package net.rrispeaker.redundancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FIFO reader against a real FIFO (made with {@code mkfifo}), written the way keepalived does:
 * good lines are handed on, bad ones cost only themselves, a writer that closes is reported and a
 * new writer (keepalived restarted) is read without anything else happening.
 */
class NotifyFifoReaderTest {
    @TempDir
    Path dir;

    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

    private NotifyFifoReader reader(Path fifo) {
        return new NotifyFifoReader(fifo, new NotifyFifoReader.Listener() {
            @Override
            public void notice(VrrpNotice n) {
                events.add(n.stopAll() ? "STOP" : n.name() + " " + n.state() + " " + n.priority());
            }

            @Override
            public void malformed(String reason, String line) {
                events.add("malformed " + reason);
            }

            @Override
            public void closed(String why) {
                events.add("closed");
            }
        }, Duration.ofMillis(50), Duration.ofMillis(300));
    }

    private String next() throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        assertTrue(e != null, "no event within 10 s");
        return e;
    }

    private static void mkfifo(Path p) throws Exception {
        Process pr = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, pr.waitFor());
    }

    private static void write(Path fifo, String text) throws Exception {
        try (OutputStream out = Files.newOutputStream(fifo)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void linesMalformedLinesWriterRestartsAndAFifoThatAppearsLater() throws Exception {
        Path fifo = dir.resolve("rri.fifo");
        try (NotifyFifoReader r = reader(fifo)) {
            r.start();
            Thread.sleep(120); // the FIFO does not exist yet: waited for
            mkfifo(fifo);
            write(fifo, "INSTANCE \"RRI\" BACKUP 100\nnonsense\n" + "x".repeat(2000) + "\nINSTANCE \"RRI\" MASTER 150\n");
            assertEquals("RRI BACKUP 100", next());
            assertTrue(next().startsWith("malformed expected"));
            assertTrue(next().startsWith("malformed line longer than"));
            assertEquals("RRI MASTER 150", next());
            assertEquals("closed", next());

            write(fifo, "INSTANCE \"RRI\" BACKUP 90\nSTOP\n"); // keepalived restarted: same FIFO, new writer
            assertEquals(List.of("RRI BACKUP 90", "STOP", "closed"), List.of(next(), next(), next()));
        }
    }

    @Test
    void aWriterThatComesBackWithinTheGraceTimeIsAReloadNotAClose() throws Exception {
        Path fifo = dir.resolve("rri.fifo");
        mkfifo(fifo);
        try (NotifyFifoReader r = reader(fifo)) {
            r.start();
            write(fifo, "INSTANCE \"RRI\" MASTER 150\n");
            // keepalived's reload: closes the FIFO and opens it again at once
            try (OutputStream again = Files.newOutputStream(fifo)) {
                assertEquals("RRI MASTER 150", next());
                assertEquals(null, events.poll(700, TimeUnit.MILLISECONDS), "no close reported");
                again.write("INSTANCE \"RRI\" BACKUP 100\n".getBytes(StandardCharsets.UTF_8));
                again.flush();
                assertEquals("RRI BACKUP 100", next());
            }
            assertEquals("closed", next(), "no writer after it: closed, once the grace time is over");
        }
    }

    @Test
    void aFifoReplacedWhileTheReaderWaitsForAWriterIsOpenedAnew() throws Exception {
        // keepalived stopping closes its FIFO and deletes it; the next keepalived makes a new one.
        // A reader that began opening the old one in between must not wait on it for ever.
        Path fifo = dir.resolve("rri.fifo");
        mkfifo(fifo);
        try (NotifyFifoReader r = reader(fifo)) {
            r.start();
            Thread.sleep(150); // the reader now waits in open() on the first FIFO
            Files.delete(fifo);
            mkfifo(fifo);
            // written from a thread of its own: opening a FIFO to write waits for a reader, and a
            // reader stuck on the deleted FIFO would never come (the assertion below then fails)
            Thread writer = new Thread(() -> {
                try {
                    write(fifo, "INSTANCE \"RRI\" MASTER 150\n");
                } catch (Exception e) {
                    events.add("write failed: " + e);
                }
            });
            writer.setDaemon(true);
            writer.start();
            try {
                assertEquals("RRI MASTER 150", next());
            } finally {
                if (writer.isAlive()) {
                    Files.newInputStream(fifo).close(); // lets a writer still waiting for a reader go
                }
            }
        }
    }

    @Test
    void aRegularFileIsNotReadAsAFifo() throws Exception {
        Path file = dir.resolve("not-a-fifo");
        Files.writeString(file, "INSTANCE \"RRI\" MASTER 150\n");
        try (NotifyFifoReader r = reader(file)) {
            r.start();
            assertEquals("malformed not-a-fifo", next());
            assertEquals(null, events.poll(300, TimeUnit.MILLISECONDS), "reported once, never read");
        }
    }
}
