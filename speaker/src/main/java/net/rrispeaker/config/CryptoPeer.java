package net.rrispeaker.config;

import java.net.InetAddress;

/**
 * {@code set peer HOST [dynamic] [default]}. A host name is resolved when the configuration is
 * loaded; with {@code dynamic} the core re-resolves {@link #host()} later and moves the next hop
 * if the address changed.
 *
 * @param host      the peer as written (address literal or host name)
 * @param address   the address it resolved to at load, or {@code null} if a {@code dynamic} name
 *                  could not be resolved yet
 * @param dynamic   the {@code dynamic} keyword: resolve again before every use
 * @param preferred the {@code default} keyword (IPsec preferred peer; no effect on routes)
 * @param line      the configuration line
 */
public record CryptoPeer(String host, InetAddress address, boolean dynamic, boolean preferred, int line) {

    /** True if {@link #host()} is a name, not an address literal. */
    public boolean isHostName() {
        return !Args.isAddress(host);
    }
}
