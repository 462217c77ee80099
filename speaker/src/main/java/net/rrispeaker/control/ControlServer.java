package net.rrispeaker.control;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.rrispeaker.control.api.ReloadResponse;
import net.rrispeaker.core.Speaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the control API on a TCP address or a Unix domain socket ({@code rri control-api}),
 * together with the standard gRPC health service ({@link ControlHealth}) and server reflection
 * ({@code grpc.reflection.v1} and the older {@code v1alpha}, for {@code grpcurl} and
 * {@code grpc_cli}).
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private final Server server;
    private final ControlHealth health;
    private final ScheduledExecutorService healthRefresh;
    /** Only for a Unix socket: its event loop and the socket file to remove on close. */
    private final EventLoopGroup group;
    private final Path socketFile;

    public ControlServer(ControlAddress address, Speaker speaker, Supplier<ReloadResponse> reloader,
                         Supplier<List<ComponentHealth>> components) throws IOException {
        this(listen(address), address.text(), speaker, reloader, components);
    }

    /**
     * Serves on a server builder the caller made, e.g. an in-process one; {@code where} names it
     * in the log.
     */
    public static ControlServer start(ServerBuilder<?> builder, String where, Speaker speaker,
                                      Supplier<ReloadResponse> reloader, Supplier<List<ComponentHealth>> components)
            throws IOException {
        return new ControlServer(new Listener(builder, null, null), where, speaker, reloader, components);
    }

    private record Listener(ServerBuilder<?> builder, EventLoopGroup group, Path socketFile) {
    }

    private static Listener listen(ControlAddress address) throws IOException {
        NettyServerBuilder b = NettyServerBuilder.forAddress(address.socketAddress());
        if (!address.isUnix()) {
            return new Listener(b, null, null);
        }
        Path p = Path.of(address.unixPath());
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        Files.deleteIfExists(p);
        EventLoopGroup group = new EpollEventLoopGroup(1);
        b.channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group).workerEventLoopGroup(group);
        return new Listener(b, group, p);
    }

    @SuppressWarnings("deprecation") // v1alpha reflection: still the only one older grpcurl and grpc_cli speak
    private ControlServer(Listener l, String where, Speaker speaker, Supplier<ReloadResponse> reloader,
                          Supplier<List<ComponentHealth>> components) throws IOException {
        this.group = l.group();
        this.socketFile = l.socketFile();
        this.health = new ControlHealth(components);
        try {
            server = l.builder()
                    .addService(new ControlService(speaker, reloader, components))
                    .addService(health.service())
                    .addService(ProtoReflectionServiceV1.newInstance())
                    .addService(ProtoReflectionService.newInstance())
                    .build().start();
        } catch (IOException | RuntimeException e) {
            releaseSocket();
            throw e;
        }
        healthRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rri-health");
            t.setDaemon(true);
            return t;
        });
        healthRefresh.scheduleWithFixedDelay(health::refresh, ControlHealth.REFRESH_SECONDS,
                ControlHealth.REFRESH_SECONDS, TimeUnit.SECONDS);
        log.info("control API listening on {} (with grpc.health.v1 and server reflection)", where);
    }

    @Override
    public void close() {
        healthRefresh.shutdownNow();
        health.shutdown();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releaseSocket();
    }

    private void releaseSocket() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                log.debug("could not remove {}", socketFile, e);
            }
        }
    }
}
