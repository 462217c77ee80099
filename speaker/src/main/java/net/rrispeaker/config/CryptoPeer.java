package net.rrispeaker.config;

import java.net.InetAddress;

/**
 * {@code set peer HOST [dynamic] [default]}. The parser does no I/O: a host name stays a name here.
 * The daemon resolves names outside the parser and hands the core their addresses as
 * {@link PeerAddresses}; with {@code dynamic} it resolves the name again on a schedule, and the
 * routes via that peer move when the address changes.
 *
 * @param host      the peer as written (address literal or host name)
 * @param literal   the address if {@code host} is an address literal; {@code null} for a host name
 * @param dynamic   the {@code dynamic} keyword: resolve the name again periodically
 * @param preferred the {@code default} keyword (IPsec preferred peer; no effect on routes)
 * @param line      the configuration line
 */
public record CryptoPeer(String host, InetAddress literal, boolean dynamic, boolean preferred, int line) {

    /** True if {@link #host()} is a name, not an address literal. */
    public boolean isHostName() {
        return literal == null;
    }
}
