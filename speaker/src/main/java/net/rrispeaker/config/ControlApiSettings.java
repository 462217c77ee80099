package net.rrispeaker.config;

/**
 * {@code rri control-api}: where the speaker's own gRPC API listens and who may use it. Two forms:
 *
 * <ul>
 *   <li>{@code unix:/PATH [group NAME]}: a Unix socket, mode 0600 (0660 and group NAME with
 *       {@code group}); peers are told apart by their kernel credentials.</li>
 *   <li>{@code HOST:PORT tls cert FILE key FILE client-ca FILE}: TCP, only with TLS and a client
 *       certificate that {@code client-ca} signed. A TCP address without {@code tls} is an error.</li>
 * </ul>
 *
 * @param address     {@code unix:/PATH} or {@code HOST:PORT} ({@code [IPv6]:PORT})
 * @param group       Unix socket only: the group whose members may read (not reload); null: none
 * @param tlsCert     TCP only: the server's certificate chain (PEM)
 * @param tlsKey      TCP only: its private key (PEM, PKCS#8)
 * @param tlsClientCa TCP only: the CA certificate(s) (PEM) a client's certificate must chain to
 */
public record ControlApiSettings(String address, String group, String tlsCert, String tlsKey, String tlsClientCa) {

    /** A Unix socket with no group: only root and the speaker's own user. */
    public static ControlApiSettings unix(String address) {
        return new ControlApiSettings(address, null, null, null, null);
    }

    public boolean isUnix() {
        return address.startsWith("unix:");
    }

    /** The socket path of a {@code unix:} address ({@code unix:///p} and {@code unix:/p} alike). */
    public String unixPath() {
        String p = address.substring("unix:".length());
        return p.startsWith("//") ? p.substring(2) : p;
    }

    public boolean tls() {
        return tlsCert != null;
    }

    /** As written in the configuration. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(address);
        if (group != null) {
            b.append(" group ").append(group);
        }
        if (tls()) {
            b.append(" tls cert ").append(tlsCert).append(" key ").append(tlsKey).append(" client-ca ").append(tlsClientCa);
        }
        return b.toString();
    }
}
