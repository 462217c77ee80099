package net.rrispeaker.source.vici;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.rrispeaker.model.SaEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import net.rrispeaker.retry.Backoff;

/**
 * The strongSwan event source: a VICI client over charon's Unix domain socket (protocol: the
 * strongSwan vici plugin README). After every (re)connect it registers for {@code child-updown},
 * {@code child-rekey}, {@code ike-updown}, {@code ike-rekey} and {@code ike-update}, then delivers a
 * {@link SaEvent.Snapshot} from a streamed {@code list-sas}; events that arrive meanwhile are
 * delivered after the snapshot. On disconnect it delivers {@link SaEvent.SourceLost} and
 * reconnects with exponential backoff (0.5 s doubling to 10 s, reset once a snapshot arrived).
 *
 * <p>Threading: one Netty epoll event loop thread ({@code vici-N}) owns the connection; the
 * {@code sink} is called on that thread, in order, and must not block (hand the event to the
 * core's own thread). Meters: {@code rri.source.connects{source=vici}}, {@code rri.sa.events{type}},
 * {@code rri.source.errors{reason}}, {@code rri.source.selectors.refused{reason}}.
 */
public final class ViciSource implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ViciSource.class);
    private static final long REPLY_TIMEOUT_MILLIS = 30_000;

    private final String socketPath;
    private final ViciDelivery delivery;
    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));
    private EventLoopGroup group;
    private Bootstrap bootstrap;
    private volatile Channel channel;
    private volatile boolean closed;
    private int failedAttempts;

    /**
     * @param socketPath charon's VICI socket, e.g. {@code /var/run/charon.vici} (a {@code unix://}
     *                   prefix is accepted and stripped)
     * @param sink       receives every SaEvent, on the source's event loop thread
     * @param registry   where connects, events and errors are counted
     */
    public ViciSource(String socketPath, Consumer<SaEvent> sink, MeterRegistry registry) {
        Objects.requireNonNull(socketPath, "socketPath");
        this.socketPath = socketPath.startsWith("unix://") ? socketPath.substring("unix://".length()) : socketPath;
        this.delivery = new ViciDelivery(Objects.requireNonNull(sink, "sink"), Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Starts connecting in the background; returns at once. A missing socket is not an error here:
     * the source keeps retrying with backoff until {@link #close()}.
     *
     * @throws IllegalStateException if native epoll is unavailable or the source was started already
     */
    public synchronized void start() {
        if (group != null || closed) {
            throw new IllegalStateException("vici source: already started or closed");
        }
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("vici source: native epoll unavailable: " + Epoll.unavailabilityCause());
        }
        group = new EpollEventLoopGroup(1, new DefaultThreadFactory("vici", true));
        bootstrap = new Bootstrap().group(group).channel(EpollDomainSocketChannel.class)
                .handler(new ChannelInitializer<EpollDomainSocketChannel>() {
                    @Override
                    protected void initChannel(EpollDomainSocketChannel ch) {
                        ch.pipeline().addLast(new ViciDecoder(), new ViciEncoder(),
                                new ViciSession(delivery, backoff::succeeded, REPLY_TIMEOUT_MILLIS));
                    }
                });
        log.info("vici source starting socket={}", socketPath);
        group.execute(this::connect);
    }

    private void connect() {
        if (closed) {
            return;
        }
        ChannelFuture f = bootstrap.connect(new DomainSocketAddress(socketPath));
        f.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                failedAttempts++;
                String why = connectFailure(done.cause());
                if (failedAttempts == 1 || failedAttempts % 20 == 0) {
                    log.warn("vici connect failed socket={} reason={} (retrying with backoff)", socketPath, why);
                } else {
                    log.debug("vici connect failed socket={} attempt={} reason={}", socketPath, failedAttempts, why);
                }
                scheduleReconnect();
                return;
            }
            failedAttempts = 0;
            channel = done.channel();
            done.channel().closeFuture().addListener(c -> scheduleReconnect());
        });
    }

    private String connectFailure(Throwable cause) {
        if (!java.nio.file.Files.exists(java.nio.file.Path.of(socketPath))) {
            return "no socket at " + socketPath + " (is charon running? is 'rri vici-socket' right?)";
        }
        if (cause == null) {
            return "cancelled";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        long delay = backoff.failed().toMillis();
        if (failedAttempts <= 1) {
            log.info("vici reconnect socket={} in_ms={}", socketPath, delay);
        } else {
            log.debug("vici reconnect socket={} in_ms={}", socketPath, delay);
        }
        group.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Stops reconnecting, closes the connection and releases the event loop thread. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        delivery.stop();
        Channel c = channel;
        if (c != null) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        log.info("vici source closed socket={}", socketPath);
    }
}
