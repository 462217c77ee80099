package net.rrispeaker.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.rrispeaker.config.RriSettings;
import net.rrispeaker.control.ControlAddress;
import net.rrispeaker.control.api.RriControlGrpc;
import picocli.CommandLine.Option;

/**
 * Options every client subcommand shares: where the running speaker's control API is. Given
 * {@code --config FILE}, the address is read from its {@code rri control-api} line.
 */
final class ControlClient {
    @Option(names = "--control", paramLabel = "ADDRESS", description = "Control API: HOST:PORT or unix:PATH (default: from --config, else "
            + RriSettings.DEFAULT_CONTROL + ").")
    String control;

    @Option(names = "--config", paramLabel = "FILE", description = "Read the control address from this configuration file.")
    Path config;

    /** Where calls go instead of {@link #address()}, e.g. an in-process channel; null: the address. */
    private final Supplier<ManagedChannel> channels;

    ControlClient() {
        this(null);
    }

    /** A client whose calls use a channel from {@code channels} (each call shuts its channel down). */
    ControlClient(Supplier<ManagedChannel> channels) {
        this.channels = channels;
    }

    interface Call<T> {
        T run(RriControlGrpc.RriControlBlockingStub stub);
    }

    <T> T call(Call<T> call) throws IOException {
        if (channels != null) {
            ManagedChannel ch = channels.get();
            try {
                return call.run(stub(ch));
            } finally {
                ch.shutdownNow();
            }
        }
        ControlAddress addr = new ControlAddress(address());
        EpollEventLoopGroup group = addr.isUnix() ? new EpollEventLoopGroup(1) : null;
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(addr.socketAddress()).usePlaintext();
        if (group != null) {
            b.eventLoopGroup(group).channelType(EpollDomainSocketChannel.class);
        }
        ManagedChannel ch = b.build();
        try {
            return call.run(stub(ch));
        } finally {
            ch.shutdownNow();
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }

    private static RriControlGrpc.RriControlBlockingStub stub(ManagedChannel ch) {
        return RriControlGrpc.newBlockingStub(ch).withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    /** {@code --control}, else the {@code rri control-api} line of {@code --config}, else the default. */
    String address() throws IOException {
        if (control != null) {
            return control;
        }
        if (config != null) {
            // Only the one line is needed; a config with errors elsewhere must not stop "show".
            for (String line : Files.readAllLines(config)) {
                String[] t = line.trim().split("\\s+");
                if (t.length >= 3 && t[0].equals("rri") && t[1].equals("control-api")) {
                    return t[2];
                }
            }
        }
        return RriSettings.DEFAULT_CONTROL;
    }
}
