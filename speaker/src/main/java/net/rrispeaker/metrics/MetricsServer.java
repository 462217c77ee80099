package net.rrispeaker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the Prometheus text exposition at {@code /metrics} on {@code rri metrics-listen HOST:PORT}:
 * HTTP/1.1 {@code GET} (and {@code HEAD}), one request per connection ({@code Connection: close}).
 *
 * <p>No client can hold up another: each connection is served by one of {@link #WORKERS} threads;
 * it has {@link #REQUEST_TIMEOUT} between bytes of its request and {@link #CONNECTION_DEADLINE} in
 * all (from accept, waiting in the queue included) before it is closed, whether it is slow to send,
 * silent, or slow to read the answer. At most {@link #QUEUE} connections wait for a worker; more are
 * closed at once. Each connection closed without an answer is counted
 * ({@link Meters#METRICS_REFUSED}).
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    static final int WORKERS = 4;
    static final int QUEUE = 16;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    static final Duration CONNECTION_DEADLINE = Duration.ofSeconds(10);
    /** The longest request head (request line and headers) read. */
    static final int MAX_HEAD = 8192;

    private final ServerSocket server;
    private final Supplier<String> scrape;
    private final int requestTimeoutMillis;
    private final Duration deadline;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final MeterRegistry registry;
    private final Thread acceptor;
    private volatile boolean closed;

    public MetricsServer(String listen, PrometheusMeterRegistry registry) throws IOException {
        this(listen, registry::scrape, registry, REQUEST_TIMEOUT, CONNECTION_DEADLINE);
    }

    /** With its own scrape and limits (tests shorten them). */
    MetricsServer(String listen, Supplier<String> scrape, MeterRegistry registry, Duration requestTimeout,
                  Duration deadline) throws IOException {
        InetSocketAddress addr = address(listen);
        this.scrape = scrape;
        this.registry = registry;
        this.requestTimeoutMillis = (int) requestTimeout.toMillis();
        this.deadline = deadline;
        server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(addr, 64);
        } catch (IOException e) {
            server.close();
            throw new IOException("metrics-listen " + listen + ": cannot listen: " + e.getMessage(), e);
        }
        if (addr.getAddress().isAnyLocalAddress()) {
            log.warn("metrics endpoint on every address of this host ({}): anyone who reaches the host can read the "
                    + "speaker's metrics; name one address in rri metrics-listen instead", listen);
        }
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "rri-metrics-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rri-metrics-deadline");
            t.setDaemon(true);
            return t;
        });
        acceptor = new Thread(this::acceptLoop, "rri-metrics-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("metrics on http://{}/metrics", listen);
    }

    /** The bound port (for {@code HOST:0}). */
    int port() {
        return server.getLocalPort();
    }

    private static InetSocketAddress address(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("metrics-listen '" + listen + "' (expected: HOST:PORT)");
        }
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(listen.substring(colon + 1));
        return new InetSocketAddress(host, port);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("metrics: accept failed: {}", e.toString());
                    pause(); // e.g. out of file descriptors: do not spin
                }
                continue;
            }
            open.add(s);
            // From accept on: a connection that waits for a worker uses up its time too.
            ScheduledFuture<?> expiry = timer.schedule(() -> expire(s), deadline.toMillis(), TimeUnit.MILLISECONDS);
            try {
                workers.execute(() -> {
                    try {
                        serve(s);
                    } finally {
                        expiry.cancel(false);
                        release(s);
                    }
                });
            } catch (RejectedExecutionException busy) {
                expiry.cancel(false);
                refused("busy");
                release(s);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void expire(Socket s) {
        if (open.contains(s)) {
            refused("timeout");
            release(s);
        }
    }

    private void release(Socket s) {
        if (open.remove(s)) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void refused(String reason) {
        Counter.builder(Meters.METRICS_REFUSED).tag("reason", reason).register(registry).increment();
    }

    private void serve(Socket s) {
        try {
            s.setSoTimeout(requestTimeoutMillis);
            String head = readHead(s.getInputStream());
            OutputStream out = s.getOutputStream();
            if (head == null) {
                refused("bad-request");
                respond(out, 431, "Request Header Fields Too Large", "request head over " + MAX_HEAD + " bytes\n", true);
                return;
            }
            String[] request = head.split("\r?\n", 2)[0].split(" ");
            if (request.length != 3 || !request[2].startsWith("HTTP/")) {
                refused("bad-request");
                respond(out, 400, "Bad Request", "expected: GET /metrics HTTP/1.1\n", true);
                return;
            }
            String method = request[0];
            String path = request[1].split("\\?", 2)[0];
            if (!method.equals("GET") && !method.equals("HEAD")) {
                respond(out, 405, "Method Not Allowed", "only GET and HEAD\n", true);
            } else if (!path.equals("/metrics")) {
                respond(out, 404, "Not Found", "the metrics are at /metrics\n", !method.equals("HEAD"));
            } else {
                respond(out, 200, "OK", scrape.get(), !method.equals("HEAD"));
            }
        } catch (SocketTimeoutException e) {
            refused("timeout");
        } catch (IOException e) {
            // the client went away, or its time was up (the deadline closed the socket)
            log.debug("metrics: connection ended: {}", e.toString());
        }
    }

    /** The request line and headers up to the empty line; null if longer than {@link #MAX_HEAD}. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last = -1;
        int beforeLast = -1;
        while (head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the request was complete");
            }
            head.write(b);
            // "\n\n" or "\n\r\n": the empty line that ends the head
            if (b == '\n' && (last == '\n' || (last == '\r' && beforeLast == '\n'))) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            beforeLast = last;
            last = b;
        }
        return null;
    }

    private static void respond(OutputStream out, int code, String reason, String body, boolean withBody)
            throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String type = code == 200 ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8";
        String head = "HTTP/1.1 " + code + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: " + b.length
                + "\r\nConnection: close\r\n" + (code == 405 ? "Allow: GET, HEAD\r\n" : "") + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (withBody) {
            out.write(b);
        }
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            release(s);
        }
        workers.shutdownNow();
        timer.shutdownNow();
    }
}
