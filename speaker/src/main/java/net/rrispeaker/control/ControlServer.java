package net.rrispeaker.control;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.rrispeaker.control.api.ReloadResponse;
import net.rrispeaker.core.Speaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the control API on a TCP address or a Unix domain socket ({@code rri control-api}). */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private final Server server;
    private final EventLoopGroup group;
    private final ControlAddress address;

    public ControlServer(ControlAddress address, Speaker speaker, Supplier<ReloadResponse> reloader,
                         Supplier<List<ComponentHealth>> components) throws IOException {
        this.address = address;
        NettyServerBuilder b = NettyServerBuilder.forAddress(address.socketAddress());
        if (address.isUnix()) {
            Path p = Path.of(address.unixPath());
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            Files.deleteIfExists(p);
            group = new EpollEventLoopGroup(1);
            b.channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group).workerEventLoopGroup(group);
        } else {
            group = null;
        }
        server = b.addService(new ControlService(speaker, reloader, components)).build().start();
        log.info("control API listening on {}", address.text());
    }

    @Override
    public void close() {
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
        if (address.isUnix()) {
            try {
                Files.deleteIfExists(Path.of(address.unixPath()));
            } catch (IOException e) {
                log.debug("could not remove {}", address.unixPath(), e);
            }
        }
    }
}
