package net.rrispeaker.config;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the peer host names of a configuration ({@code set peer NAME}) resolve to now. The parser
 * leaves names as names; whoever runs the speaker resolves them and hands the result to the core,
 * which passes it to the engine with the configuration. Immutable; names are compared
 * case-insensitively, as DNS does. A name that is not in the map has no address: the routes that
 * need it are absent until it has one.
 *
 * @param byName address per lower-case host name
 */
public record PeerAddresses(Map<String, InetAddress> byName) {

    /** No names resolved: only address literals have an address. */
    public static final PeerAddresses NONE = new PeerAddresses(Map.of());

    public PeerAddresses {
        Map<String, InetAddress> m = new HashMap<>();
        byName.forEach((name, address) -> m.put(key(name), Objects.requireNonNull(address, name)));
        byName = Map.copyOf(m);
    }

    /** The address of a peer: its literal, or what its name resolves to; {@code null} if it has none now. */
    public InetAddress of(CryptoPeer peer) {
        return peer.literal() != null ? peer.literal() : byName.get(key(peer.host()));
    }

    /** The map key of a host name (lower case). */
    public static String key(String host) {
        return host.toLowerCase(Locale.ROOT);
    }
}
