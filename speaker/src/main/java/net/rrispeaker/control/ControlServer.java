package net.rrispeaker.control;

import io.grpc.HandlerRegistry;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.rrispeaker.config.ControlApiSettings;
import net.rrispeaker.control.api.ReloadResponse;
import net.rrispeaker.core.Speaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the control API ({@code rri control-api}) together with the standard gRPC health service
 * ({@link ControlHealth}) and server reflection ({@code grpc.reflection.v1} and the older
 * {@code v1alpha}, for {@code grpcurl} and {@code grpc_cli}), on a Unix socket
 * ({@link ControlSocket}: mode 0600, or 0660 for a group) or on TCP with TLS and client
 * certificates. {@link ControlAccess} decides every call.
 *
 * <p>Two steps: {@link #listen} claims the address before the rest of the speaker starts (a second
 * speaker stops there, before it talks to charon or gobgpd) and answers health checks with
 * {@code NOT_SERVING}; {@link #serve} adds the control service once the core runs.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private final Server server;
    private final String where;
    private final ControlHealth health = new ControlHealth();
    private final Later services = new Later();
    private final ScheduledExecutorService healthRefresh;
    /** Only for a Unix socket: its event loop and the socket file. */
    private final EventLoopGroup group;
    private final ControlSocket socket;
    private final ControlAccess access;
    private boolean closed;

    /**
     * Listens on {@code api}: a Unix socket or TCP with TLS. Throws an {@link IOException} whose
     * message says what is wrong (another speaker on the socket, a certificate that cannot be read).
     */
    public static ControlServer listen(ControlApiSettings api, MeterRegistry registry) throws IOException {
        return api.isUnix() ? unix(api, registry) : tls(api, registry);
    }

    /**
     * Serves on a server builder the caller made (e.g. an in-process one) with {@code access};
     * {@code where} names it in the log. Call {@link #serve} next.
     */
    static ControlServer start(ServerBuilder<?> builder, String where, ControlAccess access) throws IOException {
        return new ControlServer(builder, where, access, null, null);
    }

    private static ControlServer unix(ControlApiSettings api, MeterRegistry registry) throws IOException {
        ControlSocket socket = ControlSocket.claim(Path.of(api.unixPath()), api.group());
        EventLoopGroup group = null;
        ControlServer s = null;
        try {
            group = new EpollEventLoopGroup(1);
            NettyServerBuilder b = NettyServerBuilder
                    .forAddress(new DomainSocketAddress(socket.bindPath().toString()), PeerCredentialsNegotiator.credentials())
                    .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group).workerEventLoopGroup(group);
            ControlAccess access = new ControlAccess(socket.ownerUid(), socket.groupGid(), socket.groupName(), registry,
                    api.publishers());
            String where = "unix:" + socket.path() + (api.group() == null ? " (mode 0600: root and uid " + socket.ownerUid()
                    : " (mode 0660: root and uid " + socket.ownerUid() + ", group " + api.group() + " read-only") + ")";
            s = new ControlServer(b, where, access, group, socket);
            socket.publish();
            return s;
        } catch (IOException | RuntimeException e) {
            if (s != null) {
                s.close();
            } else {
                if (group != null) {
                    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                }
                socket.close();
            }
            throw e;
        }
    }

    private static ControlServer tls(ControlApiSettings api, MeterRegistry registry) throws IOException {
        InetSocketAddress addr = (InetSocketAddress) new ControlAddress(api.address()).socketAddress();
        if (addr.getAddress() != null && addr.getAddress().isAnyLocalAddress()) {
            log.warn("control API on every address of this host ({}): reachable from every network the host is on; "
                    + "name one address in rri control-api instead", api.address());
        }
        ServerCredentials creds;
        try {
            creds = TlsServerCredentials.newBuilder()
                    .keyManager(readable(api.tlsCert(), "cert"), readable(api.tlsKey(), "key"))
                    .trustManager(readable(api.tlsClientCa(), "client-ca"))
                    .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new IOException("control-api " + api.address() + " tls: " + e.getMessage(), e);
        }
        String where = api.address() + " (TLS; clients need a certificate from " + api.tlsClientCa() + ")";
        try {
            return new ControlServer(NettyServerBuilder.forAddress(addr, creds), where,
                    new ControlAccess(-1, -1, null, registry, api.publishers()), null, null);
        } catch (IOException e) {
            throw new IOException("control-api " + api.address() + ": cannot listen: " + rootMessage(e)
                    + " (another speaker running?)", e);
        } catch (RuntimeException e) {
            // what TLS could not make of the files
            throw new IOException("control-api " + api.address() + " tls: " + rootMessage(e) + " (expected: cert a PEM "
                    + "certificate chain, key its PEM PKCS#8 private key 'BEGIN PRIVATE KEY', client-ca PEM certificates)", e);
        }
    }

    private static File readable(String file, String what) throws IOException {
        if (!Files.isReadable(Path.of(file))) {
            throw new IOException(what + " " + file + ": cannot read it");
        }
        return new File(file);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    @SuppressWarnings("deprecation") // v1alpha reflection: still the only one older grpcurl and grpc_cli speak
    private ControlServer(ServerBuilder<?> builder, String where, ControlAccess access, EventLoopGroup group,
                          ControlSocket socket) throws IOException {
        this.where = where;
        this.access = access;
        this.group = group;
        this.socket = socket;
        server = builder
                .intercept(access)
                .fallbackHandlerRegistry(services)
                .addService(health.service())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(ProtoReflectionService.newInstance())
                .build().start();
        healthRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rri-health");
            t.setDaemon(true);
            return t;
        });
        healthRefresh.scheduleWithFixedDelay(health::refresh, ControlHealth.REFRESH_SECONDS,
                ControlHealth.REFRESH_SECONDS, TimeUnit.SECONDS);
        log.info("control API listening on {}", where);
    }

    /** Serves the control API ({@code rri.v1.RriControl}) from now on; until now it was not found. */
    public void serve(Speaker speaker, Supplier<ReloadResponse> reloader, Supplier<List<ComponentHealth>> components) {
        serve(speaker, reloader, components, () -> null);
    }

    /** As {@link #serve(Speaker, Supplier, Supplier)}, with the BFD manager's state ({@code null}: BFD is off). */
    public Publishers serve(Speaker speaker, Supplier<ReloadResponse> reloader, Supplier<List<ComponentHealth>> components,
                      Supplier<net.rrispeaker.bfd.BfdStatus> bfd) {
        return serveWithClock(speaker, reloader, components, bfd, System::nanoTime);
    }

    /** {@link #serve} with the clock publishers' keepalives are timed by (tests: a virtual one). */
    Publishers serveWithClock(Speaker speaker, Supplier<ReloadResponse> reloader,
                              Supplier<List<ComponentHealth>> components, Supplier<net.rrispeaker.bfd.BfdStatus> bfd,
                              java.util.function.LongSupplier nanoTime) {
        Publishers publishers = new Publishers(speaker, access.registry(), nanoTime);
        healthRefresh.scheduleWithFixedDelay(publishers::checkKeepalives, 1, 1, TimeUnit.SECONDS);
        services.control = new ControlService(speaker, reloader, components, bfd, publishers).bindService();
        health.serving(components);
        log.info("control API serving on {} (with grpc.health.v1 and server reflection)", where);
        return publishers;
    }

    /** The TCP port listened on (for an address with port 0); -1 for a Unix socket. */
    public int port() {
        return server.getPort();
    }

    /** The control service, added once the core runs; reflection lists it from then on. */
    private static final class Later extends HandlerRegistry {
        volatile ServerServiceDefinition control;

        @Override
        public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
            ServerServiceDefinition c = control;
            return c == null ? null : c.getMethod(methodName);
        }

        @Override
        public List<ServerServiceDefinition> getServices() {
            ServerServiceDefinition c = control;
            return c == null ? List.of() : List.of(c);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
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
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (socket != null) {
            socket.close();
        }
    }
}
