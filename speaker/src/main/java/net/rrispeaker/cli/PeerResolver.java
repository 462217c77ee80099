package net.rrispeaker.cli;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.CryptoPeer;
import net.rrispeaker.config.MapEntry;
import net.rrispeaker.config.PeerAddresses;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the peer host names of the running configuration ({@code set peer NAME [dynamic]}) at
 * the edge; the parser leaves them as names. When a configuration is loaded or reloaded every name
 * is looked up ({@link #resolveAll}); then, every {@link #INTERVAL}, the {@code dynamic} names are
 * looked up again, and so are names that have never resolved yet ({@link #refresh}).
 *
 * <p>A failed lookup keeps the name's last good address: a transient DNS failure does not withdraw
 * routes. A name that has no address yet has no routes via it until it resolves. Each failed lookup
 * is counted ({@link Meters#PEER_RESOLVE_FAILURES}, tag {@code peer}); a change (first address, new
 * address, failing, resolving again) is logged once, naming the map entries and {@code file:line}s
 * that use the name. Thread-safe.
 */
final class PeerResolver {
    private static final Logger log = LoggerFactory.getLogger(PeerResolver.class);

    /** How often {@code dynamic} names (and names without an address yet) are looked up again. */
    static final Duration INTERVAL = Duration.ofSeconds(30);

    /** Looks a host name up; throws if it does not resolve. */
    @FunctionalInterface
    interface Lookup {
        InetAddress lookup(String host) throws UnknownHostException;

        /** The system resolver ({@link InetAddress#getByName}). */
        static Lookup system() {
            return InetAddress::getByName;
        }
    }

    /** Where a configuration uses a peer name: the map entry and its {@code set peer} line. */
    record Use(String owner, String file, int line) {
        @Override
        public String toString() {
            return owner + " at " + file + ":" + line;
        }
    }

    /**
     * One peer host name of a configuration.
     *
     * @param host    the name as first written
     * @param dynamic true if any use says {@code dynamic}: the name is looked up again periodically
     * @param uses    every {@code set peer} naming it, in configuration order
     */
    record PeerName(String host, boolean dynamic, List<Use> uses) {
        String key() {
            return PeerAddresses.key(host);
        }

        String where() {
            return uses.stream().map(Use::toString).collect(Collectors.joining(", "));
        }
    }

    private final Lookup lookup;
    private final MeterRegistry registry;
    // guarded by this
    private List<PeerName> names = List.of();
    private final Map<String, InetAddress> lastGood = new HashMap<>();
    private final Set<String> failing = new HashSet<>();
    private PeerAddresses current = PeerAddresses.NONE;

    PeerResolver(Lookup lookup, MeterRegistry registry) {
        this.lookup = lookup;
        this.registry = registry;
    }

    /** The peer host names of {@code config} (address literals are not names), in configuration order. */
    static List<PeerName> names(Config config) {
        List<MapEntry> entries = new ArrayList<>(config.crypto().cryptoMaps());
        config.crypto().dynamicMaps().values().forEach(entries::addAll);
        Map<String, PeerName> byKey = new LinkedHashMap<>();
        for (MapEntry e : entries) {
            for (CryptoPeer p : e.peers()) {
                if (!p.isHostName()) {
                    continue;
                }
                Use use = new Use(e.owner(), e.file(), p.line());
                byKey.merge(PeerAddresses.key(p.host()), new PeerName(p.host(), p.dynamic(), List.of(use)),
                        (a, b) -> new PeerName(a.host(), a.dynamic() || b.dynamic(), concat(a.uses(), b.uses())));
            }
        }
        return List.copyOf(byKey.values());
    }

    private static List<Use> concat(List<Use> a, List<Use> b) {
        List<Use> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * A configuration is loaded: looks up every peer name it has (names it no longer has are
     * forgotten) and returns the addresses to hand the core with it.
     */
    synchronized PeerAddresses resolveAll(Config config) {
        names = names(config);
        Set<String> keys = names.stream().map(PeerName::key).collect(Collectors.toSet());
        lastGood.keySet().retainAll(keys);
        failing.retainAll(keys);
        for (PeerName n : names) {
            resolve(n);
        }
        current = new PeerAddresses(lastGood);
        return current;
    }

    /**
     * The periodic pass: looks up the {@code dynamic} names and the names without an address again.
     * Returns the new addresses if any changed, else empty.
     */
    synchronized Optional<PeerAddresses> refresh() {
        for (PeerName n : names) {
            if (n.dynamic() || !lastGood.containsKey(n.key())) {
                resolve(n);
            }
        }
        PeerAddresses next = new PeerAddresses(lastGood);
        if (next.equals(current)) {
            return Optional.empty();
        }
        current = next;
        return Optional.of(next);
    }

    /** The addresses handed out last. */
    synchronized PeerAddresses current() {
        return current;
    }

    private void resolve(PeerName n) {
        String key = n.key();
        InetAddress before = lastGood.get(key);
        InetAddress now;
        String reason;
        try {
            now = lookup.lookup(n.host());
            reason = null;
        } catch (UnknownHostException e) {
            now = null;
            reason = e.getMessage() == null ? "unknown host" : e.getMessage();
        } catch (RuntimeException e) {
            now = null;
            reason = e.toString();
        }
        if (now == null) {
            Counter.builder(Meters.PEER_RESOLVE_FAILURES).tag("peer", key).register(registry).increment();
            if (failing.add(key)) {
                if (before != null) {
                    log.warn("peer name {} does not resolve now ({}); keeping its last address {} (used by {})",
                            n.host(), reason, Addresses.format(before), n.where());
                } else {
                    log.warn("peer name {} does not resolve ({}); no routes via it until it does, looked up again"
                            + " every {} s (used by {})", n.host(), reason, INTERVAL.toSeconds(), n.where());
                }
            }
            return;
        }
        lastGood.put(key, now);
        boolean recovered = failing.remove(key);
        if (before == null) {
            log.info("peer name {} resolves to {} (used by {})", n.host(), Addresses.format(now), n.where());
        } else if (!before.equals(now)) {
            log.info("peer name {} moved from {} to {}; routes via it follow (used by {})", n.host(),
                    Addresses.format(before), Addresses.format(now), n.where());
        } else if (recovered) {
            log.info("peer name {} resolves again, still {} (used by {})", n.host(), Addresses.format(now), n.where());
        }
    }

    /**
     * For {@code --check-config}: one warning per use of a peer name that does not resolve now, in
     * the {@code file:line: warning: ...} form of the parser's notes.
     */
    static List<String> check(Config config, Lookup lookup) {
        List<String> out = new ArrayList<>();
        for (PeerName n : names(config)) {
            try {
                lookup.lookup(n.host());
            } catch (UnknownHostException | RuntimeException e) {
                for (Use u : n.uses()) {
                    out.add(u.file() + ":" + u.line() + ": warning: " + u.owner() + ": peer host name '" + n.host()
                            + "' does not resolve now; no routes via it until it does (the speaker looks it up again"
                            + " every " + INTERVAL.toSeconds() + " s)");
                }
            }
        }
        return out;
    }
}
