package net.rrispeaker.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;

/**
 * The speaker's RRI table: routes with reference counts. Each route is owned by the SAs or config
 * entries that justify it (DESIGN principle 4) and stays while it has an owner, so a rekey or a
 * make-before-break reauth (new owner before old goes) never removes it.
 *
 * <p>A route that loses its last owner is not removed at once: it stays for the withdraw delay and
 * comes back to life if an owner claims it meanwhile (break-before-make reauth: down, then up ~2 ms
 * later). Time is passed in by the caller (nanoseconds), so the table is deterministic in tests.
 *
 * <p>Changes are reported as dirty destinations (VRF + prefix): the caller recomputes only those.
 * Not thread-safe: owned by the core's single writer thread.
 */
public final class RouteTable {
    /** A destination: table + prefix; what becomes one BGP path. */
    public record Dest(String vrf, Prefix prefix) {
    }

    private static final Comparator<Route> PREFERENCE = Comparator.comparingInt(Route::distance)
            .thenComparing(Route::kind)
            .thenComparingLong(Route::tag)
            .thenComparing(Route::origin);

    private long withdrawDelayNanos;
    private final Map<String, List<Route>> byOwner = new HashMap<>();
    private final Map<Route.Key, Map<String, Route>> owners = new HashMap<>();
    private final Map<Route.Key, Route> effective = new HashMap<>();
    private final Map<Route.Key, Long> pending = new HashMap<>();
    /** For a route waiting out its withdraw delay: the owner it had last (redundancy: whose group it was). */
    private final Map<Route.Key, String> lastOwner = new HashMap<>();
    private final Map<Dest, Set<Route.Key>> byDest = new HashMap<>();
    private Set<Dest> dirty = new HashSet<>();

    public RouteTable(long withdrawDelayNanos) {
        this.withdrawDelayNanos = Math.max(0, withdrawDelayNanos);
    }

    /**
     * A new {@code rri withdraw-delay} (reload): routes that lose their last owner from now on wait
     * this long; routes already waiting keep the deadline they were given.
     */
    public void setWithdrawDelay(long withdrawDelayNanos) {
        this.withdrawDelayNanos = Math.max(0, withdrawDelayNanos);
    }

    /** Replaces everything {@code owner} justifies by {@code routes}; routes it keeps are untouched. */
    public void setOwner(String owner, List<Route> routes, long now) {
        List<Route> old = byOwner.getOrDefault(owner, List.of());
        if (old.equals(routes)) {
            return;
        }
        Map<Route.Key, Route> next = new LinkedHashMap<>();
        for (Route r : routes) {
            next.putIfAbsent(r.key(), r);
        }
        for (Route r : old) {
            if (!next.containsKey(r.key())) {
                release(owner, r.key(), now);
            }
        }
        for (Route r : next.values()) {
            claim(owner, r);
        }
        if (next.isEmpty()) {
            byOwner.remove(owner);
        } else {
            byOwner.put(owner, List.copyOf(next.values()));
        }
    }

    public void removeOwner(String owner, long now) {
        setOwner(owner, List.of(), now);
    }

    /**
     * Every owner's version of one route key. Owners can disagree on distance, tag or kind (a manual
     * static and an RRI route for the same prefix and next hop: the restriction [RRI-XE-JA] adds, see
     * docs/references.md); the table
     * then uses the preferred one, deterministically.
     */
    public Map<String, Route> claims(Route.Key key) {
        Map<String, Route> o = owners.get(key);
        return o == null ? Map.of() : Map.copyOf(o);
    }

    /**
     * The owners of a route key, without copying; for a route waiting out its withdraw delay, the
     * last owner it had (a standby box must not announce a route for the delay just because it lost
     * its owner). Empty for an unknown key. Valid until the table changes.
     */
    public Set<String> owners(Route.Key key) {
        Map<String, Route> o = owners.get(key);
        if (o != null && !o.isEmpty()) {
            return Collections.unmodifiableSet(o.keySet());
        }
        String last = lastOwner.get(key);
        return last == null ? Set.of() : Set.of(last);
    }

    /** The routes one owner justifies now. */
    public List<Route> routesOf(String owner) {
        return byOwner.getOrDefault(owner, List.of());
    }

    /** Owners currently registered. */
    public Set<String> ownerNames() {
        return Collections.unmodifiableSet(byOwner.keySet());
    }

    /**
     * Removes routes whose withdraw delay has passed. Returns the next deadline (nanoseconds) or
     * {@code Long.MAX_VALUE} if nothing is pending.
     */
    public long expire(long now) {
        long next = Long.MAX_VALUE;
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue() - now <= 0) {
                it.remove();
                lastOwner.remove(e.getKey());
                Route gone = effective.remove(e.getKey());
                owners.remove(e.getKey());
                if (gone != null) {
                    unindex(gone);
                }
            } else {
                next = Math.min(next, e.getValue());
            }
        }
        return next;
    }

    /** Destinations whose routes changed since the last call. */
    public Set<Dest> drainDirty() {
        // hand the set over and start a fresh one: copying or clearing a set that once held every
        // destination (a snapshot) costs its whole capacity, on every event after it
        Set<Dest> out = dirty;
        dirty = new HashSet<>();
        return out;
    }

    /** Marks every destination dirty (after a configuration change of the redistribution). */
    public void markAllDirty() {
        dirty.addAll(byDest.keySet());
    }

    /** Every route of one destination (several next hops possible), best first. */
    public List<Route> routes(Dest dest) {
        Set<Route.Key> keys = byDest.get(dest);
        if (keys == null) {
            return List.of();
        }
        List<Route> out = new ArrayList<>(keys.size());
        for (Route.Key k : keys) {
            out.add(effective.get(k));
        }
        out.sort(PREFERENCE.thenComparing(r -> r.nextHop() == null ? "" : Addresses.format(r.nextHop()))
                .thenComparing(r -> r.iface() == null ? "" : r.iface()));
        return out;
    }

    /** Every route (including those waiting out their withdraw delay), sorted by table and prefix. */
    public Collection<Route> all() {
        TreeMap<String, Route> sorted = new TreeMap<>();
        for (Route r : effective.values()) {
            sorted.put(r.vrf() + "\u0000" + sortKey(r), r);
        }
        return List.copyOf(sorted.values());
    }

    public int size() {
        return effective.size();
    }

    /** Number of owners of a route key (0 while waiting out the withdraw delay). */
    public int refCount(Route.Key key) {
        Map<String, Route> o = owners.get(key);
        return o == null ? 0 : o.size();
    }

    private void claim(String owner, Route r) {
        Map<String, Route> o = owners.computeIfAbsent(r.key(), k -> new HashMap<>());
        o.put(owner, r);
        if (pending.remove(r.key()) != null) {
            lastOwner.remove(r.key());
        }
        recompute(r.key(), o);
        Route chosen = effective.get(r.key());
        if (o.size() > 1 && (chosen.distance() != r.distance() || chosen.tag() != r.tag() || chosen.kind() != r.kind())) {
            // Owners disagree on attributes: the winner did not change, but the caller must see it.
            dirty.add(new Dest(r.vrf(), r.prefix()));
        }
    }

    private void release(String owner, Route.Key key, long now) {
        Map<String, Route> o = owners.get(key);
        if (o == null || o.remove(owner) == null) {
            return;
        }
        if (o.isEmpty()) {
            if (withdrawDelayNanos == 0) {
                owners.remove(key);
                Route gone = effective.remove(key);
                if (gone != null) {
                    unindex(gone);
                }
            } else {
                pending.put(key, now + withdrawDelayNanos);
                lastOwner.put(key, owner);
            }
        } else {
            recompute(key, o);
        }
    }

    private void recompute(Route.Key key, Map<String, Route> o) {
        Route best = o.values().stream().min(PREFERENCE).orElseThrow();
        Route old = effective.put(key, best);
        if (old == null) {
            byDest.computeIfAbsent(new Dest(key.vrf(), key.prefix()), d -> new HashSet<>()).add(key);
        }
        if (!best.equals(old)) {
            dirty.add(new Dest(key.vrf(), key.prefix()));
        }
    }

    private void unindex(Route r) {
        Dest d = new Dest(r.vrf(), r.prefix());
        Set<Route.Key> keys = byDest.get(d);
        if (keys != null) {
            keys.remove(r.key());
            if (keys.isEmpty()) {
                byDest.remove(d);
            }
        }
        dirty.add(d);
    }

    private static String sortKey(Route r) {
        byte[] a = r.prefix().network().getAddress();
        StringBuilder sb = new StringBuilder(a.length == 4 ? "4" : "6");
        for (byte b : a) {
            sb.append(String.format("%02x", b));
        }
        sb.append(String.format("%03d", r.prefix().length()));
        sb.append(r.nextHop() == null ? "" : Addresses.format(r.nextHop())).append('|').append(r.iface());
        return sb.toString();
    }
}
