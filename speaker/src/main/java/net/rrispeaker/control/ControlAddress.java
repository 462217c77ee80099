package net.rrispeaker.control;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;

/**
 * A gRPC listen/connect address as written in the config: {@code unix:PATH} (also
 * {@code unix://PATH}) or {@code HOST:PORT} ({@code [v6]:PORT}).
 */
public record ControlAddress(String text) {

    public boolean isUnix() {
        return text.startsWith("unix:");
    }

    public String unixPath() {
        String p = text.substring("unix:".length());
        return p.startsWith("//") ? p.substring(2) : p;
    }

    public SocketAddress socketAddress() {
        if (isUnix()) {
            return new DomainSocketAddress(unixPath());
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("address '" + text + "' (expected: HOST:PORT or unix:PATH)");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port in '" + text + "' (expected: 1..65535)");
        }
        return new InetSocketAddress(host, port);
    }

    /** The grpc-java target string for a client channel. */
    public String target() {
        return isUnix() ? "unix://" + unixPath() : text;
    }
}
