package net.rrispeaker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus endpoint as scrapers and misbehaving clients meet it. These tests connect over
 * loopback TCP (127.0.0.1, a free port): holding a connection open is what they are about.
 */
class MetricsServerTest {
    private static final String BODY = "# TYPE rri_sa_installed gauge\nrri_sa_installed 3.0\n";
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Socket> clients = new ArrayList<>();
    private MetricsServer server;

    @AfterEach
    void stop() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private MetricsServer start(Duration requestTimeout, Duration deadline) throws IOException {
        server = new MetricsServer("127.0.0.1:0", () -> BODY, registry, requestTimeout, deadline);
        return server;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        clients.add(s);
        return s;
    }

    /** One request on a new connection; the whole answer (the server closes the connection). */
    private String get(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(60_000); // only so that a broken server fails the test instead of hanging it
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String scrape() {
        return "GET /metrics HTTP/1.1\r\nHost: speaker\r\nAccept: text/plain\r\n\r\n";
    }

    private double refused(String reason) {
        var c = registry.find(Meters.METRICS_REFUSED).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aScrapeGetsTheExpositionAndTheConnectionCloses() throws Exception {
        start(MetricsServer.REQUEST_TIMEOUT, MetricsServer.CONNECTION_DEADLINE);
        String r = get(scrape());
        assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
        assertTrue(r.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), r);
        assertTrue(r.contains("Connection: close\r\n"), r);
        assertTrue(r.endsWith("\r\n\r\n" + BODY), r);
    }

    @Test
    void aSecondScraperIsAnsweredWhileAFirstClientHoldsItsConnectionWithoutSendingARequest() throws Exception {
        start(MetricsServer.REQUEST_TIMEOUT, MetricsServer.CONNECTION_DEADLINE);
        Socket silent = connect();
        Socket halfway = connect();
        halfway.getOutputStream().write("GET /metr".getBytes(StandardCharsets.ISO_8859_1));
        halfway.getOutputStream().flush();
        assertTrue(get(scrape()).endsWith(BODY));
        assertTrue(get(scrape()).endsWith(BODY), "and a third");
        // the slow one was only waited for, not dropped: it finishes its request and gets its answer
        halfway.getOutputStream().write("ics HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        halfway.setSoTimeout(60_000);
        assertTrue(new String(halfway.getInputStream().readAllBytes(), StandardCharsets.UTF_8).endsWith(BODY));
        assertEquals(0, silent.getInputStream().available(), "and the silent one was told nothing");
    }

    @Test
    void moreStalledClientsThanWorkersOnlyDelayAScrapeUntilTheirTimeIsUp() throws Exception {
        start(Duration.ofMillis(200), Duration.ofSeconds(30));
        for (int i = 0; i < MetricsServer.WORKERS; i++) {
            connect();
        }
        assertTrue(get(scrape()).endsWith(BODY));
    }

    @Test
    void aClientThatNeverSendsItsRequestIsDisconnectedAndCounted() throws Exception {
        start(Duration.ofMillis(200), Duration.ofSeconds(30));
        Socket silent = connect();
        silent.setSoTimeout(60_000);
        InputStream in = silent.getInputStream();
        assertEquals(-1, in.read(), "the server closed it");
        assertTrue(get(scrape()).endsWith(BODY));
        assertEquals(1, refused("timeout"));
    }

    @Test
    void aClientThatTricklesIsCutOffAtTheConnectionDeadline() throws Exception {
        start(Duration.ofSeconds(30), Duration.ofMillis(300));
        Socket slow = connect();
        slow.setSoTimeout(60_000);
        slow.getOutputStream().write("GET /".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(-1, slow.getInputStream().read(), "closed by the deadline, not by the per-read timeout");
        assertEquals(1, refused("timeout"));
    }

    @Test
    void otherPathsMethodsAndGarbageGetTheirHttpAnswers() throws Exception {
        start(MetricsServer.REQUEST_TIMEOUT, MetricsServer.CONNECTION_DEADLINE);
        assertTrue(get("GET / HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404 Not Found\r\n"));
        String post = get("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assertTrue(post.startsWith("HTTP/1.1 405 Method Not Allowed\r\n") && post.contains("Allow: GET, HEAD\r\n"), post);
        String head = get("HEAD /metrics HTTP/1.0\r\n\r\n");
        assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n") && head.endsWith("\r\n\r\n"), head);
        assertTrue(get("hello\n\n").startsWith("HTTP/1.1 400 Bad Request\r\n"));
        String line = "GET /metrics?x=1 HTTP/1.1\nX: ";
        // exactly as much as the server reads, so it closes with nothing unread (no reset before its answer)
        assertTrue(get(line + "a".repeat(MetricsServer.MAX_HEAD - line.length())).startsWith("HTTP/1.1 431 "));
        assertEquals(2, refused("bad-request"));
    }
}
