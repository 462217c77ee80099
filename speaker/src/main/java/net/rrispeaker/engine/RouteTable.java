package net.rrispeaker.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
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
 *
 * <p>Memory: a concentrator holds one route per SA, nearly always with one owner, so the table is
 * one map from destination to its route slots (a short chain, one slot per next hop/interface), and
 * a slot keeps its single owner inline; only a route with several owners gets a map of them. An
 * owner with one route keeps it without a list. Owners are compared with {@code equals}: any value
 * object (the core uses the SA's id and a string for the configuration).
 */
public final class RouteTable {
    /** A destination: table + prefix; what becomes one BGP path. */
    public record Dest(String vrf, Prefix prefix) {
    }

    private static final Comparator<Route> PREFERENCE = Comparator.comparingInt(Route::distance)
            .thenComparing(Route::kind)
            .thenComparingLong(Route::tag)
            .thenComparing(Route::origin);

    private static final Comparator<Route> ORDER = PREFERENCE
            .thenComparing((Route r) -> r.nextHop() == null ? "" : Addresses.format(r.nextHop()))
            .thenComparing(r -> r.iface() == null ? "" : r.iface());

    /** The owners of a route that has several (a rare case: a map per route key). */
    private static final class Owners extends HashMap<Object, Route> {
        Owners() {
            super(4);
        }
    }

    /**
     * One route key (destination, next hop, interface): the route in effect and who owns it.
     * {@code owners} is null while the route waits out its withdraw delay, the owner itself when it
     * has one, an {@link Owners} map when it has several.
     */
    private static final class Slot {
        final Dest dest;
        Route effective;
        Object owners;
        /** While waiting out the withdraw delay: the owner it had last (redundancy: whose group it was). */
        Object lastOwner;
        long deadline;
        Slot next;

        Slot(Dest dest, Route effective, Object owner) {
            this.dest = dest;
            this.effective = effective;
            this.owners = owner;
        }

        boolean sameKey(Route r) {
            return Objects.equals(effective.nextHop(), r.nextHop()) && Objects.equals(effective.iface(), r.iface());
        }

        int ownerCount() {
            return owners == null ? 0 : owners instanceof Owners m ? m.size() : 1;
        }
    }

    private long withdrawDelayNanos;
    /** Owner to its routes: one {@link Route}, or an immutable list of two or more. */
    private final Map<Object, Object> byOwner = new HashMap<>();
    /** Destination to its slots (a chain, nearly always of one). */
    private final Map<Dest, Slot> byDest = new HashMap<>();
    /** Slots waiting out their withdraw delay (identity). */
    private final Set<Slot> pending = new HashSet<>();
    private int size;
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
    public void setOwner(Object owner, List<Route> routes, long now) {
        List<Route> old = routesOf(owner);
        if (old.equals(routes)) {
            return;
        }
        List<Route> next = distinctKeys(routes);
        Set<Route.Key> nextKeys = null;
        if (next.size() > 16) {
            nextKeys = new HashSet<>();
            for (Route r : next) {
                nextKeys.add(r.key());
            }
        }
        for (Route r : old) {
            if (nextKeys != null ? !nextKeys.contains(r.key()) : indexOfKey(next, r) < 0) {
                release(owner, r, now);
            }
        }
        for (Route r : next) {
            claim(owner, r);
        }
        if (next.isEmpty()) {
            byOwner.remove(owner);
        } else {
            byOwner.put(owner, next.size() == 1 ? next.get(0) : List.copyOf(next));
        }
    }

    public void removeOwner(Object owner, long now) {
        setOwner(owner, List.of(), now);
    }

    /**
     * Hands every route of {@code from} to {@code to} in place (a rekey that changed only the
     * owner's id): the same routes, owned the same way, nothing dirty, nothing waiting. Ends as
     * {@code setOwner(to, routesOf(from))} then {@code removeOwner(from)} would. False (nothing
     * changed) if {@code to} owns routes already or is {@code from}.
     */
    public boolean renameOwner(Object from, Object to) {
        if (from.equals(to) || byOwner.containsKey(to)) {
            return false;
        }
        Object routes = byOwner.remove(from);
        if (routes == null) {
            return true;
        }
        if (routes instanceof Route r) {
            renameIn(r, from, to);
        } else {
            for (Object r : (List<?>) routes) {
                renameIn((Route) r, from, to);
            }
        }
        byOwner.put(to, routes);
        return true;
    }

    private void renameIn(Route r, Object from, Object to) {
        Slot s = find(r.vrf(), r.prefix(), r.nextHop(), r.iface());
        if (s == null || s.owners == null) {
            return; // cannot be: an owner's routes always have a slot owned by it
        }
        if (s.owners instanceof Owners o) {
            Route mine = o.remove(from);
            if (mine != null) {
                o.put(to, mine);
            }
        } else if (s.owners.equals(from)) {
            s.owners = to;
        }
    }

    /**
     * Every owner's version of one route key. Owners can disagree on distance, tag or kind (a manual
     * static and an RRI route for the same prefix and next hop: the restriction [RRI-XE-JA] adds, see
     * docs/references.md); the table
     * then uses the preferred one, deterministically.
     */
    public Map<Object, Route> claims(Route.Key key) {
        Slot s = find(key.vrf(), key.prefix(), key.nextHop(), key.iface());
        if (s == null || s.owners == null) {
            return Map.of();
        }
        return s.owners instanceof Owners m ? Map.copyOf(m) : Map.of(s.owners, s.effective);
    }

    /**
     * The owners of a route key, without copying; for a route waiting out its withdraw delay, the
     * last owner it had (a standby box must not announce a route for the delay just because it lost
     * its owner). Empty for an unknown key. Valid until the table changes.
     */
    public Set<Object> owners(Route.Key key) {
        Slot s = find(key.vrf(), key.prefix(), key.nextHop(), key.iface());
        if (s == null) {
            return Set.of();
        }
        if (s.owners != null) {
            return s.owners instanceof Owners m ? Collections.unmodifiableSet(m.keySet()) : Set.of(s.owners);
        }
        return s.lastOwner == null ? Set.of() : Set.of(s.lastOwner);
    }

    /** The routes one owner justifies now. */
    @SuppressWarnings("unchecked")
    public List<Route> routesOf(Object owner) {
        Object v = byOwner.get(owner);
        return v == null ? List.of() : v instanceof Route r ? List.of(r) : (List<Route>) v;
    }

    /** Owners currently registered. */
    public Set<Object> ownerNames() {
        return Collections.unmodifiableSet(byOwner.keySet());
    }

    /**
     * Removes routes whose withdraw delay has passed. Returns the next deadline (nanoseconds) or
     * {@code Long.MAX_VALUE} if nothing is pending.
     */
    public long expire(long now) {
        long next = Long.MAX_VALUE;
        for (var it = pending.iterator(); it.hasNext(); ) {
            Slot s = it.next();
            if (s.deadline - now <= 0) {
                it.remove();
                unlink(s);
            } else {
                next = Math.min(next, s.deadline);
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

    /** Every destination with a route (a live read-only view). */
    public Set<Dest> dests() {
        return Collections.unmodifiableSet(byDest.keySet());
    }

    /** Marks every destination dirty (after a configuration change of the redistribution). */
    public void markAllDirty() {
        dirty.addAll(byDest.keySet());
    }

    /** Every route of one destination (several next hops possible), best first. */
    public List<Route> routes(Dest dest) {
        Slot s = byDest.get(dest);
        if (s == null) {
            return List.of();
        }
        if (s.next == null) {
            return List.of(s.effective);
        }
        List<Route> out = new ArrayList<>(2);
        for (; s != null; s = s.next) {
            out.add(s.effective);
        }
        out.sort(ORDER);
        return out;
    }

    /** Every route (including those waiting out their withdraw delay), sorted by table and prefix. */
    public Collection<Route> all() {
        TreeMap<String, Route> sorted = new TreeMap<>();
        for (Slot head : byDest.values()) {
            for (Slot s = head; s != null; s = s.next) {
                Route r = s.effective;
                sorted.put(r.vrf() + "\u0000" + sortKey(r), r);
            }
        }
        return List.copyOf(sorted.values());
    }

    public int size() {
        return size;
    }

    /** Number of owners of a route key (0 while waiting out the withdraw delay). */
    public int refCount(Route.Key key) {
        Slot s = find(key.vrf(), key.prefix(), key.nextHop(), key.iface());
        return s == null ? 0 : s.ownerCount();
    }

    private Slot find(String vrf, Prefix prefix, java.net.InetAddress nextHop, String iface) {
        for (Slot s = byDest.get(new Dest(vrf, prefix)); s != null; s = s.next) {
            if (Objects.equals(s.effective.nextHop(), nextHop) && Objects.equals(s.effective.iface(), iface)) {
                return s;
            }
        }
        return null;
    }

    private void claim(Object owner, Route r) {
        Dest probe = new Dest(r.vrf(), r.prefix());
        Slot head = byDest.get(probe);
        Slot s = head;
        while (s != null && !s.sameKey(r)) {
            s = s.next;
        }
        if (s == null) {
            Dest d = head == null ? probe : head.dest;
            s = new Slot(d, r, owner);
            s.next = head;
            byDest.put(d, s);
            size++;
            dirty.add(d);
            return;
        }
        if (s.owners == null) {
            // back within the withdraw delay
            pending.remove(s);
            s.lastOwner = null;
            s.owners = owner;
            effect(s, r);
            return;
        }
        if (!(s.owners instanceof Owners) && s.owners.equals(owner)) {
            effect(s, r);
            return;
        }
        Owners o;
        if (s.owners instanceof Owners m) {
            o = m;
        } else {
            o = new Owners();
            o.put(s.owners, s.effective);
            s.owners = o;
        }
        o.put(owner, r);
        effect(s, best(o));
        Route chosen = s.effective;
        if (o.size() > 1 && (chosen.distance() != r.distance() || chosen.tag() != r.tag() || chosen.kind() != r.kind())) {
            // Owners disagree on attributes: the winner did not change, but the caller must see it.
            dirty.add(s.dest);
        }
    }

    private void release(Object owner, Route key, long now) {
        Slot s = byDest.get(new Dest(key.vrf(), key.prefix()));
        while (s != null && !s.sameKey(key)) {
            s = s.next;
        }
        if (s == null || s.owners == null) {
            return;
        }
        if (s.owners instanceof Owners o) {
            if (o.remove(owner) == null) {
                return;
            }
            if (o.size() == 1) {
                var only = o.entrySet().iterator().next();
                s.owners = only.getKey();
                effect(s, only.getValue());
            } else if (!o.isEmpty()) {
                effect(s, best(o));
            } else {
                lastOwnerGone(s, owner, now);
            }
            return;
        }
        if (s.owners.equals(owner)) {
            lastOwnerGone(s, owner, now);
        }
    }

    private void lastOwnerGone(Slot s, Object owner, long now) {
        if (withdrawDelayNanos == 0) {
            unlink(s);
        } else {
            s.owners = null;
            s.lastOwner = owner;
            s.deadline = now + withdrawDelayNanos;
            pending.add(s);
        }
    }

    /** The slot's route in effect becomes {@code best}; its destination is dirty if that changed it. */
    private void effect(Slot s, Route best) {
        Route old = s.effective;
        s.effective = best;
        if (!best.equals(old)) {
            dirty.add(s.dest);
        }
    }

    private static Route best(Owners o) {
        Route best = null;
        for (Route r : o.values()) {
            if (best == null || PREFERENCE.compare(r, best) < 0) {
                best = r;
            }
        }
        return best;
    }

    /** Takes a slot out of its destination's chain. */
    private void unlink(Slot s) {
        Slot head = byDest.get(s.dest);
        if (head == s) {
            if (s.next == null) {
                byDest.remove(s.dest);
            } else {
                byDest.put(s.dest, s.next);
            }
        } else {
            for (Slot p = head; p != null; p = p.next) {
                if (p.next == s) {
                    p.next = s.next;
                    break;
                }
            }
        }
        s.next = null;
        size--;
        dirty.add(s.dest);
    }

    /** The routes with distinct keys, first of each key kept, in order. */
    private static List<Route> distinctKeys(List<Route> routes) {
        int n = routes.size();
        if (n <= 1) {
            return routes;
        }
        if (n <= 16) {
            List<Route> out = null;
            for (int i = 0; i < n; i++) {
                Route r = routes.get(i);
                if (indexOfKey(routes.subList(0, i), r) >= 0) {
                    if (out == null) {
                        out = new ArrayList<>(routes.subList(0, i));
                    }
                } else if (out != null) {
                    out.add(r);
                }
            }
            return out == null ? routes : out;
        }
        Map<Route.Key, Route> next = new LinkedHashMap<>();
        for (Route r : routes) {
            next.putIfAbsent(r.key(), r);
        }
        return new ArrayList<>(next.values());
    }

    private static int indexOfKey(List<Route> routes, Route r) {
        for (int i = 0; i < routes.size(); i++) {
            Route x = routes.get(i);
            if (x.prefix().equals(r.prefix()) && x.vrf().equals(r.vrf()) && Objects.equals(x.nextHop(), r.nextHop())
                    && Objects.equals(x.iface(), r.iface())) {
                return i;
            }
        }
        return -1;
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
