package net.rrispeaker.guard;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.GuardSettings;
import net.rrispeaker.config.ReverseRoute;
import net.rrispeaker.config.SaBinding;
import net.rrispeaker.engine.RriEngine;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;

/**
 * Decides which of the routes an SA justifies ({@link SaRoutes}, normally {@link RriEngine#routesFor}) are announced: the
 * {@link SelectorRules}, then the claims of all SAs against each other. Not thread-safe: owned by
 * the core's writer thread; time (nanoseconds) is passed in.
 *
 * <p><b>Claims.</b> A selector that passes the rules becomes a claim of the SA's peer (its remote
 * outer address) on (table, prefix). SAs of one peer share its claims, so rekeys, reauthentications
 * and several CHILD_SAs never conflict with themselves. A claim is held (announced) unless
 * <ul>
 *   <li>another peer holds the same prefix ({@link Rule#CONFLICT}): the first claim wins;</li>
 *   <li>another peer holds a covering or a more-specific prefix and {@code rri guard overlap refuse}
 *       is in force ({@link Rule#OVERLAP}); with {@code permit} it is held and reported;</li>
 * </ul>
 * in which case it waits. A held claim whose last SA goes stays for the withdraw delay (a
 * break-before-make reauth gets it back), then goes; the waiting claims it blocked are tried again,
 * oldest first, so the next-oldest claim takes over. A claim that would exceed {@code rri guard
 * max-routes-per-peer} (claims of one peer, held or waiting) or {@code max-routes} (all claims) is
 * not made: the selector is parked and its SA is tried again when a claim goes. Nothing established
 * is ever refused for a newcomer, with one exception: a held prefix that comes to contain the outer
 * address of a peer that connects later is withdrawn while that peer is up.
 *
 * <p>Work per SA is proportional to its selectors: containment and overlap are looked up in
 * {@link PrefixMap} tries. A {@link #reload} replays every claim in age order under the new
 * configuration, so what was refused may be announced and the other way round.
 */
public final class RouteGuard {

    /** Where refusals go (log and counter in the speaker, a list in tests). */
    public interface Recorder {
        /** A selector of an SA is refused; not repeated while it stays refused for the same rule. */
        void refused(Refusal refusal);

        /** A selector is announced although it overlaps another peer's prefix ({@code rri guard overlap permit}). */
        void overlapPermitted(Refusal notice);
    }

    /** What an SA justifies under the configuration in force: its routes and the binding it belongs to. */
    public interface SaRoutes {
        /** The routes the SA justifies ({@link RriEngine#routesFor}). */
        List<Route> routes(ChildSa sa);

        /** The binding the SA belongs to, or null ({@link RriEngine#bindingFor}). */
        SaBinding binding(ChildSa sa);
    }

    /** The routes one SA may have in the route table now. */
    public record Admission(ChildSa sa, List<Route> routes) {
        public Admission {
            routes = List.copyOf(routes);
        }
    }

    private record Key(String vrf, Prefix prefix) {
    }

    /** What the guard knows about one (table, prefix). Its collections exist only while they hold something. */
    private static final class Node {
        Claim holder;
        /** Waiting claims, oldest first. */
        List<Claim> waiting = List.of();
        /** SAs whose selector here is refused by an outer-address rule (tried again when the address goes). */
        Set<ChildSa.Id> addressRefused = Set.of();

        boolean empty() {
            return holder == null && waiting.isEmpty() && addressRefused.isEmpty();
        }

        void waitAt(int i, Claim c) {
            if (waiting.isEmpty()) {
                waiting = new ArrayList<>(2);
            }
            waiting.add(i, c);
        }

        void unwait(Claim c) {
            if (!waiting.isEmpty() && waiting.remove(c) && waiting.isEmpty()) {
                waiting = List.of();
            }
        }

        void refuse(ChildSa.Id id) {
            if (addressRefused.isEmpty()) {
                addressRefused = new HashSet<>(2);
            }
            addressRefused.add(id);
        }

        void unrefuse(ChildSa.Id id) {
            if (!addressRefused.isEmpty() && addressRefused.remove(id) && addressRefused.isEmpty()) {
                addressRefused = Set.of();
            }
        }
    }

    /** How many SAs have one outer address, in one table. */
    private static final class Refs {
        final InetAddress address;
        int count;

        Refs(InetAddress address) {
            this.address = address;
        }
    }

    /**
     * One SA as the guard sees it. Kept small (a concentrator has one per SA): the claims are one
     * {@link Claim} in the usual case of one selector, a map only for several; the maps of refusals
     * exist only while there are refusals.
     */
    private static final class SaState {
        ChildSa sa;
        /** The SA's id, one instance shared by the guard's map, its claims and its nodes; a rekey in place changes it. */
        ChildSa.Id id;
        long seq;
        /** The table its outer addresses are registered in, and those addresses (null: not registered). */
        String transport;
        InetAddress regLocal;
        InetAddress regRemote;
        List<Route> selectors = List.of();
        List<Route> peerRoutes = List.of();
        /** Null, one {@link Claim} (its key is its table and prefix), or a map of several in order. */
        private Object claims;
        /** Selectors refused by a rule (null: none). */
        Map<Key, Refusal> fixed;
        /** Selectors over a limit, tried again when a claim goes (null: none). */
        Map<Key, Refusal> parked;
        Set<Key> addressRefused = Set.of();
        List<Route> admitted = List.of();
        List<Refusal> refusals = List.of();
        Set<String> reported = Set.of();
        /** Permitted overlaps already reported (null: none). */
        Set<String> noticed;

        SaState(ChildSa sa, ChildSa.Id id, long seq) {
            this.sa = sa;
            this.id = id;
            this.seq = seq;
        }

        Claim claim(Key k) {
            if (claims instanceof Claim c) {
                return c.vrf.equals(k.vrf) && c.prefix.equals(k.prefix) ? c : null;
            }
            return claims == null ? null : claimMap().get(k);
        }

        void putClaim(Key k, Claim c) {
            if (claims == null || claims instanceof Claim one && one.vrf.equals(k.vrf) && one.prefix.equals(k.prefix)) {
                claims = c;
            } else if (claims instanceof Claim one) {
                Map<Key, Claim> m = new LinkedHashMap<>(4);
                m.put(new Key(one.vrf, one.prefix), one);
                m.put(k, c);
                claims = m;
            } else {
                claimMap().put(k, c);
            }
        }

        void removeClaim(Key k) {
            if (claims instanceof Claim c) {
                if (c.vrf.equals(k.vrf) && c.prefix.equals(k.prefix)) {
                    claims = null;
                }
            } else if (claims != null) {
                Map<Key, Claim> m = claimMap();
                m.remove(k);
                if (m.isEmpty()) {
                    claims = null;
                }
            }
        }

        /** The claims in order (a copy). */
        List<Claim> claimList() {
            return claims == null ? List.of() : claims instanceof Claim c ? List.of(c) : List.copyOf(claimMap().values());
        }

        void clearClaims() {
            claims = null;
        }

        @SuppressWarnings("unchecked")
        private Map<Key, Claim> claimMap() {
            return (Map<Key, Claim>) claims;
        }

        Refusal fixed(Key k) {
            return fixed == null ? null : fixed.get(k);
        }

        Refusal parked(Key k) {
            return parked == null ? null : parked.get(k);
        }

        void park(Key k, Refusal r) {
            if (parked == null) {
                parked = new LinkedHashMap<>(4);
            }
            parked.put(k, r);
        }

        boolean hasParked() {
            return parked != null && !parked.isEmpty();
        }

        Iterable<Refusal> parkedRefusals() {
            return parked == null ? List.of() : parked.values();
        }
    }

    private static final Comparator<SaState> BY_SEQ = Comparator.comparingLong(s -> s.seq);
    private static final Comparator<Claim> BY_SINCE = Comparator.comparingLong(c -> c.since);

    private final Recorder recorder;
    private final SaRoutes source;
    private Config config;
    private GuardSettings settings;
    private SelectorRules rules;
    private long delay;
    /** Ages of SAs and claims: a counter, not a clock. */
    private long age;

    private final Map<ChildSa.Id, SaState> sas = new HashMap<>();
    private final Map<String, PrefixMap<Node>> tables = new HashMap<>();
    private final Map<String, PrefixMap<Refs>> localAddresses = new HashMap<>();
    private final Map<String, PrefixMap<Refs>> peerAddresses = new HashMap<>();
    private final Map<InetAddress, Integer> claimsPerPeer = new HashMap<>();
    private int claimsTotal;
    private final Set<Claim> lingering = new LinkedHashSet<>();
    private final TreeSet<SaState> parkedGlobal = new TreeSet<>(BY_SEQ);
    private final Map<InetAddress, TreeSet<SaState>> parkedByPeer = new HashMap<>();

    // the work of one operation
    private final TreeSet<SaState> reeval = new TreeSet<>(BY_SEQ);
    private final TreeSet<Claim> retry = new TreeSet<>(BY_SINCE);
    private final Set<SaState> touched = new LinkedHashSet<>();
    private final Set<SaState> triedParked = new HashSet<>();
    private final Set<InetAddress> freedPeers = new LinkedHashSet<>();
    private boolean freedGlobal;
    private final List<Claim[]> overlaps = new ArrayList<>();

    private final SelectorRules.OuterAddresses known = new SelectorRules.OuterAddresses() {
        @Override
        public InetAddress localInside(String vrf, Prefix p) {
            return firstInside(localAddresses.get(vrf), p);
        }

        @Override
        public InetAddress peerInside(String vrf, Prefix p) {
            return firstInside(peerAddresses.get(vrf), p);
        }
    };

    /**
     * A guard over {@link RriEngine}'s routes for the configuration in force, whose held claims wait
     * out the configuration's {@code rri withdraw-delay}.
     */
    public RouteGuard(Config config, Recorder recorder) {
        this(config, null, recorder, config.rri().withdrawDelay().toNanos());
    }

    /**
     * A guard whose held claims wait out {@code withdrawDelayNanos} after their last SA goes: give it
     * the route table's delay, so that a waiting claim takes over when the route goes, not before.
     *
     * @param source what an SA justifies (the caller's engine call, with whatever it knows beside
     *               the configuration); {@code null}: {@link RriEngine} with the configuration in force
     */
    public RouteGuard(Config config, SaRoutes source, Recorder recorder, long withdrawDelayNanos) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.delay = Math.max(0, withdrawDelayNanos);
        this.source = source != null ? source : new SaRoutes() {
            @Override
            public List<Route> routes(ChildSa sa) {
                return RriEngine.routesFor(RouteGuard.this.config, sa);
            }

            @Override
            public SaBinding binding(ChildSa sa) {
                return RriEngine.bindingFor(RouteGuard.this.config, sa).orElse(null);
            }
        };
        configure(config);
    }

    private void configure(Config c) {
        config = c;
        settings = c.guard();
        rules = new SelectorRules(c);
    }

    /** An SA is up, or changed (same id: rekeyed selectors, moved peer). Returns the SAs whose routes changed. */
    public List<Admission> up(ChildSa sa, long now) {
        SaState s = sas.get(sa.id());
        if (s == null) {
            ChildSa.Id id = sa.id();
            s = new SaState(sa, id, age++);
            sas.put(id, s);
        } else {
            s.sa = sa;
        }
        evaluate(s, now);
        return settle(now);
    }

    /**
     * A CHILD_SA rekey whose replacement is the old SA but for its ids (same selectors, peer,
     * connection, binding: the caller checks): the old SA's claims, admitted routes and outer
     * address registrations pass to {@code replacement} in place, with no settling work and no
     * admission changed. The state ends as after {@code up(replacement)} then {@code down(old)}: the
     * claims keep their age, the replacement joins their owners last and is the newest SA.
     * Refused only (false, nothing changed) when that equivalence needs the full path: the old SA
     * is unknown, the new id is known, or the old SA has refusals (they name the SA), parked
     * selectors (ordered by SA age), outer-address refusals (kept by id) or noticed overlaps.
     */
    public boolean rekeyInPlace(ChildSa.Id oldId, ChildSa replacement) {
        SaState s = sas.get(oldId);
        ChildSa.Id newId = replacement.id();
        if (s == null || oldId.equals(newId) || sas.containsKey(newId) || !s.refusals.isEmpty() || s.hasParked()
                || !s.addressRefused.isEmpty() || s.noticed != null || !reeval.isEmpty() || !touched.isEmpty()) {
            return false;
        }
        for (Claim c : s.claimList()) {
            c.removeOwner(oldId);
            c.addOwner(newId);
        }
        sas.remove(oldId);
        s.id = newId;
        s.sa = replacement;
        s.seq = age++; // in no sorted set: nothing parked, no operation under way
        sas.put(newId, s);
        return true;
    }

    /**
     * A new {@code rri withdraw-delay} (reload), in step with the route table's: claims released
     * from now on wait this long; claims already waiting keep their deadline.
     */
    public void setWithdrawDelay(long withdrawDelayNanos) {
        this.delay = Math.max(0, withdrawDelayNanos);
    }

    /** An SA is gone: its claims are released (held ones wait out the withdraw delay). Returns other SAs whose routes changed. */
    public List<Admission> down(ChildSa.Id id, long now) {
        SaState s = sas.remove(id);
        if (s == null) {
            return List.of();
        }
        for (Claim c : s.claimList()) {
            leave(c, s, now);
        }
        s.clearClaims();
        setAddressRefused(s, Set.of());
        unpark(s);
        unregister(s);
        touched.remove(s);
        reeval.remove(s);
        return settle(now);
    }

    /** Held claims whose withdraw delay has passed go; the claims they blocked are tried again. */
    public List<Admission> expire(long now) {
        for (Claim c : List.copyOf(lingering)) {
            if (c.lingerUntil - now <= 0) {
                drop(c);
            }
        }
        return settle(now);
    }

    /** When {@link #expire} has work next, or {@code Long.MAX_VALUE}. */
    public long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Claim c : lingering) {
            next = Math.min(next, c.lingerUntil);
        }
        return next;
    }

    /** The selectors of one SA that are not announced now, and why (empty for an unknown SA). */
    public List<Refusal> refusals(ChildSa.Id id) {
        SaState s = sas.get(id);
        return s == null ? List.of() : s.refusals;
    }

    /** The routes of one SA that are announced now. */
    public List<Route> admitted(ChildSa.Id id) {
        SaState s = sas.get(id);
        return s == null ? List.of() : s.admitted;
    }

    /** Claims (held or waiting) now, all peers together. */
    public int claims() {
        return claimsTotal;
    }

    /**
     * Applies a new configuration: every SA is judged again and every claim made again in age order
     * (a claim keeps its age), as if the new configuration had always been in force. Held claims
     * waiting out their withdraw delay keep their place until it has passed. Returns the SAs whose
     * routes changed.
     */
    public List<Admission> reload(Config next, long now) {
        Map<List<Object>, Long> ages = new HashMap<>();
        for (SaState s : sas.values()) {
            for (Claim c : s.claimList()) {
                ages.put(List.of(c.vrf, c.prefix, c.peer), c.since);
            }
        }
        return rebuild(next, ages, null, now);
    }

    /**
     * Every claim made again with fresh ages, as if the SAs had come up one after the other in
     * {@code order}: for SAs that came up in another order than their age (the parts of a
     * snapshot, in the order they arrived), so that a contended prefix goes to the claim it would
     * go to had the whole snapshot come at once. Held claims waiting out their withdraw delay keep
     * their place. Returns the SAs whose routes changed. Work in proportion to all SAs: call it
     * only when {@link #contended}.
     */
    public List<Admission> replay(Comparator<ChildSa> order, long now) {
        return rebuild(config, Map.of(), Objects.requireNonNull(order, "order"), now);
    }

    /**
     * Whether the order in which SAs came up decided anything now: a claim waits for another's
     * (conflict, overlap) or a selector is parked at a limit. Work in proportion to all SAs.
     */
    public boolean contended() {
        for (SaState s : sas.values()) {
            if (s.parked != null && !s.parked.isEmpty()) {
                return true;
            }
            for (Claim c : s.claimList()) {
                if (!c.held()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@link #reload} and {@link #replay}: claims keep the age in {@code ages}; {@code order} (or age) orders SAs. */
    private List<Admission> rebuild(Config next, Map<List<Object>, Long> ages, Comparator<ChildSa> saOrder,
                                    long now) {
        List<Claim> fading = new ArrayList<>(lingering);
        configure(next);
        tables.clear();
        localAddresses.clear();
        peerAddresses.clear();
        claimsPerPeer.clear();
        claimsTotal = 0;
        lingering.clear();
        parkedGlobal.clear();
        parkedByPeer.clear();
        List<SaState> order = new ArrayList<>(sas.values());
        if (saOrder != null) {
            order.sort((a, b) -> saOrder.compare(a.sa, b.sa));
            for (SaState s : order) {
                s.seq = age++; // in no sorted set now: the parked sets were cleared above
            }
        } else {
            order.sort(BY_SEQ);
        }
        for (SaState s : order) {
            s.clearClaims();
            s.parked = null;
            s.addressRefused = Set.of();
            s.transport = null;
            s.regLocal = null;
            s.regRemote = null;
        }
        for (Claim c : fading) {
            Node n = node(c.vrf, c.prefix, true);
            if (n.holder == null) {
                n.holder = c;
                count(c.peer, 1);
                lingering.add(c);
            }
        }
        for (SaState s : order) {
            // every outer address first, so that no SA is judged before a later one's address is known
            SaBinding b = source.binding(s.sa);
            register(s, b == null ? "" : b.transportVrf());
        }
        record Want(SaState s, Key k, long since) {
        }
        List<Want> wants = new ArrayList<>();
        for (SaState s : order) {
            for (Key k : classify(s)) {
                Long since = ages.get(List.of(k.vrf, k.prefix, s.sa.remoteHost()));
                wants.add(new Want(s, k, since == null ? -1 : since));
            }
        }
        List<Want> sorted = new ArrayList<>(wants.size());
        for (Want w : wants) {
            sorted.add(w.since >= 0 ? w : new Want(w.s, w.k, age++));
        }
        sorted.sort(Comparator.comparingLong(Want::since));
        for (Want w : sorted) {
            join(w.k, w.s, w.since);
        }
        for (SaState s : order) {
            enpark(s);
            touched.add(s);
        }
        return settle(now);
    }

    // ---- one SA ----

    private void evaluate(SaState s, long now) {
        Set<Key> desired = classify(s);
        unpark(s);
        s.parked = null;
        for (Claim c : s.claimList()) {
            Key k = new Key(c.vrf, c.prefix);
            if (!desired.contains(k)) {
                s.removeClaim(k);
                leave(c, s, now);
            }
        }
        InetAddress peer = s.sa.remoteHost();
        for (Key k : desired) {
            Claim cur = s.claim(k);
            if (cur != null && cur.peer.equals(peer)) {
                continue;
            }
            if (cur != null) {
                if (cur.ownerCount() == 1 && find(k, peer) == null) {
                    move(cur, peer); // the peer moved (MOBIKE, NAT): its claim goes along, age and all
                    continue;
                }
                s.removeClaim(k);
                leave(cur, s, now);
            }
            join(k, s, -1);
        }
        enpark(s);
        touched.add(s);
    }

    /**
     * Works out an SA's routes and judges its selectors with the rules; returns the (table, prefix)
     * of the selectors that pass, in order.
     */
    private Set<Key> classify(SaState s) {
        ChildSa sa = s.sa;
        SaBinding b = source.binding(sa);
        register(s, b == null ? "" : b.transportVrf());
        List<Route> selectors = new ArrayList<>();
        List<Route> peerRoutes = new ArrayList<>();
        for (Route r : source.routes(sa)) {
            (isPeerRoute(r, sa, b) ? peerRoutes : selectors).add(r);
        }
        s.selectors = List.copyOf(selectors);
        s.peerRoutes = List.copyOf(peerRoutes);
        List<String> vrfs = new ArrayList<>(selectors.size());
        List<Prefix> prefixes = new ArrayList<>(selectors.size());
        for (Route r : selectors) {
            vrfs.add(r.vrf());
            prefixes.add(r.prefix());
        }
        List<Refusal> verdicts = rules.check(sa, b, vrfs, prefixes, known);
        s.fixed = null;
        Set<Key> addressRefused = new HashSet<>();
        Set<Key> desired = new LinkedHashSet<>();
        for (int i = 0; i < selectors.size(); i++) {
            Key k = new Key(vrfs.get(i), prefixes.get(i));
            Refusal v = verdicts.get(i);
            if (v == null) {
                desired.add(k);
            } else {
                if (s.fixed == null) {
                    s.fixed = new LinkedHashMap<>(4);
                }
                s.fixed.put(k, v);
                if (v.rule() == Rule.OWN_ADDRESS || v.rule() == Rule.PEER_ADDRESS) {
                    addressRefused.add(k);
                }
            }
        }
        setAddressRefused(s, addressRefused);
        return desired;
    }

    /**
     * The host route to the peer that {@code reverse-route remote-peer} (via the map's interface) and
     * {@code remote-peer IP gateway} add: the operator's transport route, not a selector. It is
     * announced while at least one selector of the SA is.
     */
    private static boolean isPeerRoute(Route r, ChildSa sa, SaBinding b) {
        if (b == null || b.entry() == null || b.entry().reverseRoute() == null) {
            return false;
        }
        ReverseRoute rr = b.entry().reverseRoute();
        if (!rr.gateway() && !rr.peerViaInterface()) {
            return false;
        }
        if (!r.prefix().equals(Prefix.host(sa.remoteHost())) || !r.vrf().equals(b.transportVrf())) {
            return false;
        }
        return rr.gateway() ? Objects.equals(r.nextHop(), rr.remotePeerAddress()) : r.nextHop() == null;
    }

    // ---- claims ----

    /** Makes {@code s} an owner of its peer's claim on {@code k}, creating the claim if there is room. */
    private void join(Key k, SaState s, long since) {
        InetAddress peer = s.sa.remoteHost();
        Node at = node(k.vrf, k.prefix, false);
        Claim c = at == null ? null : find(at, peer);
        if (c != null) {
            c.addOwner(s.id);
            s.putClaim(k, c);
            if (lingering.remove(c)) {
                touchOwners(c); // a break-before-make reauth got its claim back in time
            }
            return;
        }
        int perPeer = claimsPerPeer.getOrDefault(peer, 0);
        if (perPeer >= settings.maxRoutesPerPeer()) {
            s.park(k, new Refusal(s.sa, peer, k.vrf, k.prefix, Rule.MAX_ROUTES_PER_PEER, "peer "
                    + Addresses.format(peer) + " claims " + perPeer + " prefixes already (rri guard max-routes-per-peer "
                    + settings.maxRoutesPerPeer() + ")"));
            return;
        }
        if (claimsTotal >= settings.maxRoutes()) {
            s.park(k, new Refusal(s.sa, peer, k.vrf, k.prefix, Rule.MAX_ROUTES, claimsTotal
                    + " prefixes are claimed already (rri guard max-routes " + settings.maxRoutes() + ")"));
            return;
        }
        c = new Claim(k.vrf, k.prefix, peer, since >= 0 ? since : age++);
        c.addOwner(s.id);
        s.putClaim(k, c);
        count(peer, 1);
        tryHold(c, at != null ? at : node(k.vrf, k.prefix, true));
    }

    /** The claim of {@code peer} on {@code k}, held or waiting, or null. */
    private Claim find(Key k, InetAddress peer) {
        Node n = node(k.vrf, k.prefix, false);
        return n == null ? null : find(n, peer);
    }

    private static Claim find(Node n, InetAddress peer) {
        if (n.holder != null && n.holder.peer.equals(peer)) {
            return n.holder;
        }
        for (Claim w : n.waiting) {
            if (w.peer.equals(peer)) {
                return w;
            }
        }
        return null;
    }

    private void tryHold(Claim c, Node n) {
        Claim h = n.holder;
        if (h != null && h != c) {
            wait(c, n, Rule.CONFLICT, "held by peer " + Addresses.format(h.peer)
                    + ", which claimed it first; announced when that claim goes");
            return;
        }
        Claim o = overlapping(c);
        if (o != null && !settings.overlapPermit()) {
            wait(c, n, Rule.OVERLAP, (o.prefix.contains(c.prefix) ? "inside " : "covers ") + o.prefix
                    + " held by peer " + Addresses.format(o.peer) + " (rri guard overlap refuse)");
            return;
        }
        n.unwait(c);
        c.rule = null;
        c.detail = "";
        n.holder = c;
        touchOwners(c);
        if (o != null) {
            overlaps.add(new Claim[] {c, o});
        }
    }

    private void wait(Claim c, Node n, Rule rule, String detail) {
        c.rule = rule;
        c.detail = detail;
        if (!n.waiting.contains(c)) {
            int i = 0;
            while (i < n.waiting.size() && n.waiting.get(i).since < c.since) {
                i++;
            }
            n.waitAt(i, c);
        }
        touchOwners(c);
    }

    /** A held prefix of another peer that covers {@code c}'s or lies inside it, or null. */
    private Claim overlapping(Claim c) {
        PrefixMap<Node> t = tables.get(c.vrf);
        if (t == null) {
            return null;
        }
        Claim[] found = new Claim[1];
        java.util.function.Predicate<Node> look = n -> {
            Claim h = n.holder;
            if (h != null && !h.prefix.equals(c.prefix) && !h.peer.equals(c.peer)) {
                found[0] = h;
                return false;
            }
            return true;
        };
        t.containing(c.prefix, look);
        if (found[0] == null) {
            t.inside(c.prefix, look);
        }
        return found[0];
    }

    /** {@code s} no longer wants {@code c}. */
    private void leave(Claim c, SaState s, long now) {
        c.removeOwner(s.id);
        if (c.hasOwners()) {
            return;
        }
        if (c.held()) {
            if (delay <= 0) {
                drop(c);
            } else {
                c.lingerUntil = now + delay;
                lingering.add(c);
            }
            return;
        }
        Node n = node(c.vrf, c.prefix, false);
        if (n != null) {
            n.unwait(c);
            prune(c.vrf, c.prefix, n);
        }
        retry.remove(c);
        count(c.peer, -1);
    }

    /** A held claim goes: the claims it blocked are tried again, oldest first. */
    private void drop(Claim c) {
        lingering.remove(c);
        Node n = node(c.vrf, c.prefix, false);
        if (n == null || n.holder != c) {
            return;
        }
        n.holder = null;
        count(c.peer, -1);
        retry.addAll(n.waiting);
        PrefixMap<Node> t = tables.get(c.vrf);
        java.util.function.Predicate<Node> blocked = m -> {
            for (Claim w : m.waiting) {
                if (w.rule == Rule.OVERLAP) {
                    retry.add(w);
                }
            }
            return true;
        };
        t.containing(c.prefix, blocked);
        t.inside(c.prefix, blocked);
        prune(c.vrf, c.prefix, n);
    }

    /** The only owner of {@code c} now comes from {@code peer}: the claim moves along with its age. */
    private void move(Claim c, InetAddress peer) {
        count(c.peer, -1);
        count(peer, 1);
        c.peer = peer;
        if (!c.held()) {
            retry.add(c);
        }
        touchOwners(c);
    }

    private void count(InetAddress peer, int d) {
        claimsPerPeer.merge(peer, d, (a, b) -> a + b == 0 ? null : a + b);
        claimsTotal += d;
        if (d < 0) {
            freedPeers.add(peer);
            freedGlobal = true;
        }
    }

    private void touchOwners(Claim c) {
        for (ChildSa.Id id : c.owners()) {
            SaState s = sas.get(id);
            if (s != null) {
                touched.add(s);
            }
        }
    }

    // ---- parked selectors (over a limit) ----

    private void enpark(SaState s) {
        for (Refusal r : s.parkedRefusals()) {
            if (r.rule() == Rule.MAX_ROUTES) {
                parkedGlobal.add(s);
            } else {
                parkedByPeer.computeIfAbsent(s.sa.remoteHost(), p -> new TreeSet<>(BY_SEQ)).add(s);
            }
        }
    }

    private void unpark(SaState s) {
        parkedGlobal.remove(s);
        for (Iterator<TreeSet<SaState>> it = parkedByPeer.values().iterator(); s.hasParked() && it.hasNext(); ) {
            TreeSet<SaState> set = it.next();
            if (set.remove(s) && set.isEmpty()) {
                it.remove();
            }
        }
    }

    /** Queues the oldest parked SA that may now have room; true if one was queued. */
    private boolean fillParked() {
        for (Iterator<InetAddress> it = freedPeers.iterator(); it.hasNext(); ) {
            InetAddress peer = it.next();
            TreeSet<SaState> set = parkedByPeer.get(peer);
            if (set == null || claimsPerPeer.getOrDefault(peer, 0) >= settings.maxRoutesPerPeer()) {
                it.remove();
                continue;
            }
            for (SaState p : set) {
                if (triedParked.add(p)) {
                    reeval.add(p);
                    return true;
                }
            }
            it.remove();
        }
        if (freedGlobal && claimsTotal < settings.maxRoutes()) {
            for (SaState p : parkedGlobal) {
                if (triedParked.add(p)) {
                    reeval.add(p);
                    return true;
                }
            }
        }
        freedGlobal = false;
        return false;
    }

    // ---- outer addresses ----

    private void register(SaState s, String transport) {
        InetAddress local = s.sa.localHost();
        InetAddress remote = s.sa.remoteHost();
        if (s.transport != null && s.transport.equals(transport) && Objects.equals(local, s.regLocal)
                && remote.equals(s.regRemote)) {
            return;
        }
        unregister(s);
        s.transport = transport;
        s.regLocal = local;
        s.regRemote = remote;
        if (local != null) {
            reference(localAddresses, transport, local, 1);
        }
        reference(peerAddresses, transport, remote, 1);
    }

    private void unregister(SaState s) {
        if (s.transport == null) {
            return;
        }
        if (s.regLocal != null) {
            reference(localAddresses, s.transport, s.regLocal, -1);
        }
        reference(peerAddresses, s.transport, s.regRemote, -1);
        s.transport = null;
        s.regLocal = null;
        s.regRemote = null;
    }

    private void reference(Map<String, PrefixMap<Refs>> book, String vrf, InetAddress a, int d) {
        PrefixMap<Refs> m = book.computeIfAbsent(vrf, v -> new PrefixMap<>());
        Prefix host = Prefix.host(a);
        Refs refs = m.get(host);
        if (refs == null) {
            if (d < 0) {
                return;
            }
            refs = new Refs(a);
            m.put(host, refs);
        }
        refs.count += d;
        PrefixMap<Node> t = tables.get(vrf);
        if (refs.count <= 0) {
            m.remove(host);
            if (t != null) { // the address went: selectors refused for containing it are judged again
                t.containing(host, n -> {
                    for (ChildSa.Id id : n.addressRefused) {
                        queue(id);
                    }
                    return true;
                });
            }
        } else if (refs.count == 1 && d > 0 && t != null) {
            // a new address: the SAs claiming a prefix that contains it are judged again
            t.containing(host, n -> {
                if (n.holder != null) {
                    n.holder.owners().forEach(this::queue);
                }
                for (Claim w : n.waiting) {
                    w.owners().forEach(this::queue);
                }
                return true;
            });
        }
    }

    private void queue(ChildSa.Id id) {
        SaState s = sas.get(id);
        if (s != null) {
            reeval.add(s);
        }
    }

    private static InetAddress firstInside(PrefixMap<Refs> book, Prefix p) {
        if (book == null || book.size() == 0) {
            return null;
        }
        InetAddress[] hit = new InetAddress[1];
        book.inside(p, r -> {
            hit[0] = r.address;
            return false;
        });
        return hit[0];
    }

    private void setAddressRefused(SaState s, Set<Key> keys) {
        for (Key k : s.addressRefused) {
            if (!keys.contains(k)) {
                Node n = node(k.vrf, k.prefix, false);
                if (n != null) {
                    n.unrefuse(s.id);
                    prune(k.vrf, k.prefix, n);
                }
            }
        }
        for (Key k : keys) {
            if (!s.addressRefused.contains(k)) {
                node(k.vrf, k.prefix, true).refuse(s.id);
            }
        }
        s.addressRefused = keys.isEmpty() ? Set.of() : keys;
    }

    // ---- the tries ----

    private Node node(String vrf, Prefix p, boolean create) {
        PrefixMap<Node> t = tables.get(vrf);
        if (t == null) {
            if (!create) {
                return null;
            }
            t = new PrefixMap<>();
            tables.put(vrf, t);
        }
        Node n = t.get(p);
        if (n == null && create) {
            n = new Node();
            t.put(p, n);
        }
        return n;
    }

    private void prune(String vrf, Prefix p, Node n) {
        if (n.empty()) {
            PrefixMap<Node> t = tables.get(vrf);
            if (t != null) {
                t.remove(p);
            }
        }
    }

    // ---- after each operation ----

    private List<Admission> settle(long now) {
        while (true) {
            if (!reeval.isEmpty()) {
                SaState s = reeval.pollFirst();
                if (sas.get(s.sa.id()) == s) {
                    evaluate(s, now);
                }
                continue;
            }
            if (!retry.isEmpty()) {
                Claim c = retry.pollFirst();
                Node n = node(c.vrf, c.prefix, false);
                if (!c.held() && c.hasOwners() && n != null && n.waiting.contains(c)) {
                    tryHold(c, n);
                }
                continue;
            }
            if (!fillParked()) {
                break;
            }
        }
        List<Admission> out = new ArrayList<>();
        for (SaState s : touched) {
            if (sas.get(s.sa.id()) != s) {
                continue;
            }
            List<Route> admitted = admittedRoutes(s);
            report(s);
            if (!admitted.equals(s.admitted)) {
                s.admitted = admitted;
                out.add(new Admission(s.sa, admitted));
            }
        }
        for (Claim[] o : overlaps) {
            Claim c = o[0];
            if (!c.held()) {
                continue;
            }
            for (ChildSa.Id id : c.owners()) {
                SaState s = sas.get(id);
                if (s != null && noticedFirst(s, c.vrf + "|" + c.prefix)) {
                    recorder.overlapPermitted(new Refusal(s.sa, c.peer, c.vrf, c.prefix, Rule.OVERLAP,
                            (o[1].prefix.contains(c.prefix) ? "inside " : "covers ") + o[1].prefix + " held by peer "
                                    + Addresses.format(o[1].peer) + "; announced (rri guard overlap permit)"));
                }
            }
        }
        overlaps.clear();
        touched.clear();
        triedParked.clear();
        freedPeers.clear();
        freedGlobal = false;
        return out;
    }

    private static List<Route> admittedRoutes(SaState s) {
        List<Route> out = new ArrayList<>(s.selectors.size() + s.peerRoutes.size());
        for (Route r : s.selectors) {
            Claim c = s.claim(new Key(r.vrf(), r.prefix()));
            if (c != null && c.held()) {
                out.add(r);
            }
        }
        if (!out.isEmpty()) {
            out.addAll(s.peerRoutes);
        }
        return List.copyOf(out);
    }

    /** True the first time a permitted overlap of {@code s} is noted. */
    private static boolean noticedFirst(SaState s, String key) {
        if (s.noticed == null) {
            s.noticed = new HashSet<>(2);
        }
        return s.noticed.add(key);
    }

    /** Recomputes an SA's refusals and reports those that are new. */
    private void report(SaState s) {
        List<Refusal> now = new ArrayList<>();
        Set<Key> seen = new HashSet<>();
        for (Route r : s.selectors) {
            Key k = new Key(r.vrf(), r.prefix());
            if (!seen.add(k)) {
                continue;
            }
            Refusal f = s.fixed(k);
            if (f == null) {
                f = s.parked(k);
            }
            if (f == null) {
                Claim c = s.claim(k);
                if (c != null && !c.held()) {
                    f = new Refusal(s.sa, c.peer, c.vrf, c.prefix, c.rule, c.detail);
                }
            }
            if (f != null) {
                now.add(f);
            }
        }
        Set<String> keys = new HashSet<>();
        for (Refusal f : now) {
            String key = f.vrf() + "|" + f.prefix() + "|" + f.rule();
            keys.add(key);
            if (!s.reported.contains(key)) {
                recorder.refused(f);
            }
        }
        s.reported = keys.isEmpty() ? Set.of() : keys;
        s.refusals = List.copyOf(now);
    }
}
