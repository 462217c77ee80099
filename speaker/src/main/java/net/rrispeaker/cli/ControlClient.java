package net.rrispeaker.cli;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
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
 * {@code --config FILE}, the address is read from its {@code rri control-api} line. A Unix socket
 * needs nothing more (the speaker checks who connects); a TCP address is TLS only, with this
 * client's certificate ({@code --tls-cert}, {@code --tls-key}) and the CA that signed the
 * speaker's ({@code --tls-ca}).
 */
final class ControlClient {
    @Option(names = "--control", paramLabel = "ADDRESS", description = "Control API: unix:PATH or HOST:PORT (TLS) (default: from --config, else "
            + RriSettings.DEFAULT_CONTROL + ").")
    String control;

    @Option(names = "--config", paramLabel = "FILE", description = "Read the control address from this configuration file.")
    Path config;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "TCP control API: this client's certificate (PEM), signed by the speaker's client-ca.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "TCP control API: this client's private key (PEM, PKCS#8).")
    Path tlsKey;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "TCP control API: the CA certificate(s) (PEM) the speaker's certificate must chain to (default: the JDK's trusted CAs).")
    Path tlsCa;

    @Option(names = "--tls-server-name", paramLabel = "NAME", description = "TCP control API: the name the speaker's certificate must carry (default: the HOST of the address).")
    String tlsServerName;

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
        return onChannel(ch -> call.run(stub(ch)));
    }

    /** Something done with a channel to the speaker (e.g. a streaming call). */
    interface ChannelCall<T> {
        T run(ManagedChannel channel) throws IOException;
    }

    /** Runs {@code call} on a channel to the speaker, shut down afterwards. */
    <T> T onChannel(ChannelCall<T> call) throws IOException {
        if (channels != null) {
            ManagedChannel ch = channels.get();
            try {
                return call.run(ch);
            } finally {
                ch.shutdownNow();
            }
        }
        ControlAddress addr = new ControlAddress(address());
        EpollEventLoopGroup group = addr.isUnix() ? new EpollEventLoopGroup(1) : null;
        NettyChannelBuilder b;
        if (group != null) {
            b = NettyChannelBuilder.forAddress(addr.socketAddress()).usePlaintext()
                    .eventLoopGroup(group).channelType(EpollDomainSocketChannel.class);
        } else {
            b = NettyChannelBuilder.forAddress(addr.socketAddress(), tls(addr));
            if (tlsServerName != null) {
                b.overrideAuthority(tlsServerName);
            }
        }
        ManagedChannel ch = b.build();
        try {
            return call.run(ch);
        } finally {
            ch.shutdownNow();
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** TLS with this client's certificate: the only way the speaker takes calls over TCP. */
    private ChannelCredentials tls(ControlAddress addr) throws IOException {
        if (tlsCert == null || tlsKey == null) {
            throw new IOException("the control API at " + addr.text() + " is TCP, which the speaker serves only with TLS "
                    + "and client certificates: give --tls-cert FILE and --tls-key FILE (and --tls-ca FILE), or use its "
                    + "unix: socket");
        }
        TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
        try {
            b.keyManager(tlsCert.toFile(), tlsKey.toFile());
            if (tlsCa != null) {
                b.trustManager(tlsCa.toFile());
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read the TLS files (--tls-cert " + tlsCert + ", --tls-key " + tlsKey
                    + (tlsCa == null ? "" : ", --tls-ca " + tlsCa) + "): " + e.getMessage(), e);
        }
        return b.build();
    }

    /** What the user reads when a call failed: who refused, or why the speaker could not be reached. */
    static String explain(StatusRuntimeException e) {
        Status s = e.getStatus();
        if (s.getCode() == Status.Code.PERMISSION_DENIED) {
            return "refused by the speaker: " + s.getDescription();
        }
        for (Throwable t = s.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Permission denied")) {
                return "cannot connect to the control socket: permission denied (it admits root and the speaker's user, "
                        + "and a group if rri control-api names one)";
            }
        }
        // Status.toString would append the cause's whole stack trace: its one line says enough
        return "speaker not reachable or failed: Status{code=" + s.getCode() + ", description=" + s.getDescription()
                + (s.getCause() == null ? "" : ", cause=" + s.getCause()) + "}";
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
                if (t.length >= 3 && t[0].equals("rri") && t[1].equals("control-api") && !t[2].equalsIgnoreCase("publisher")) {
                    return t[2];
                }
            }
        }
        return RriSettings.DEFAULT_CONTROL;
    }
}
