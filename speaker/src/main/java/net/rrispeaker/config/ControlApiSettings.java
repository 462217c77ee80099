package net.rrispeaker.config;

import java.util.List;

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
 * @param publishers  who may publish SA events ({@code rri control-api publisher ...}); nobody if empty
 */
public record ControlApiSettings(String address, String group, String tlsCert, String tlsKey, String tlsClientCa,
                                 List<Publisher> publishers) {

    /** A publisher name: what {@code PublishHello.publisher} and {@code publisher ... name} must look like. */
    public static final String PUBLISHER_NAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";

    public ControlApiSettings {
        publishers = List.copyOf(publishers);
    }

    /** Without publishers: nobody may publish. */
    public ControlApiSettings(String address, String group, String tlsCert, String tlsKey, String tlsClientCa) {
        this(address, group, tlsCert, tlsKey, tlsClientCa, List.of());
    }

    /** A Unix socket with no group: only root and the speaker's own user. */
    public static ControlApiSettings unix(String address) {
        return new ControlApiSettings(address, null, null, null, null);
    }

    /** The same, with {@code publishers} allowed to publish. */
    public ControlApiSettings withPublishers(List<Publisher> p) {
        return new ControlApiSettings(address, group, tlsCert, tlsKey, tlsClientCa, p);
    }

    /**
     * {@code rri control-api publisher uid N [name NAME]} (a Unix socket caller by its kernel
     * credentials) or {@code rri control-api publisher cn CN [name NAME]} (a TLS caller by its
     * certificate's subject common name): may call {@code Publish}, under any publisher name or,
     * with {@code name}, only under that one.
     *
     * @param uid  the caller's user id, or -1 for a {@code cn} rule
     * @param cn   the certificate subject CN, or null for a {@code uid} rule
     * @param name the only publisher name allowed, or null for any
     */
    public record Publisher(long uid, String cn, String name) {
        /** True if a caller with publisher name {@code publisher} fits this rule's name restriction. */
        public boolean allowsName(String publisher) {
            return name == null || name.equals(publisher);
        }

        @Override
        public String toString() {
            return "publisher " + (cn == null ? "uid " + uid : "cn " + cn) + (name == null ? "" : " name " + name);
        }
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
        for (Publisher p : publishers) {
            b.append("; ").append(p);
        }
        return b.toString();
    }
}
