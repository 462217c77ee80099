package net.rrispeaker.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A direct client of one FRR daemon's vty socket ({@code DIR/bgpd.vty}), speaking what vtysh
 * speaks: the command and a NUL; the answer ends with three NULs and a status byte. One
 * connection is kept open, so a query costs a round trip instead of starting vtysh (tens of
 * milliseconds): fast enough to sample a BGP table every few milliseconds. Reconnects after the
 * daemon restarted. Not thread-safe.
 */
public final class FrrVty implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private SocketChannel channel;

    public FrrVty(Path socket) {
        this.socket = socket;
    }

    /** Runs {@code command} (a show command) and returns its output; throws if the daemon is unreachable. */
    public String run(String command) {
        try {
            if (channel == null) {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(UnixDomainSocketAddress.of(socket));
            }
            byte[] cmd = command.getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(cmd.length + 1).put(cmd).put((byte) 0).flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            while (true) {
                in.clear();
                int n = channel.read(in);
                if (n < 0) {
                    throw new IOException("vty " + socket + " closed the connection");
                }
                answer.write(in.array(), 0, n);
                byte[] a = answer.toByteArray();
                int len = a.length;
                if (len >= 4 && a[len - 4] == 0 && a[len - 3] == 0 && a[len - 2] == 0) {
                    int status = a[len - 1];
                    String text = new String(a, 0, len - 4, StandardCharsets.UTF_8);
                    if (status != 0) {
                        throw new IllegalStateException("vty " + socket + ": '" + command + "' failed with status " + status
                                + ": " + text.strip());
                    }
                    return text;
                }
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #run} of a command ending in {@code json}, parsed. */
    public JsonNode json(String command) {
        try {
            return JSON.readTree(run(command));
        } catch (IOException e) {
            throw new UncheckedIOException(command + ": not JSON", e);
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
            channel = null;
        }
    }
}
