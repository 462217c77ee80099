package net.rrispeaker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Resolves a peer host name ({@code set peer HOST}) when the configuration is loaded. The default
 * asks the system resolver; tests pass a fixed map.
 */
@FunctionalInterface
public interface Resolver {

    /** The address of {@code host}; throws if it does not resolve. */
    InetAddress resolve(String host) throws UnknownHostException;

    /** The system resolver ({@link InetAddress#getByName}). */
    static Resolver system() {
        return InetAddress::getByName;
    }
}
