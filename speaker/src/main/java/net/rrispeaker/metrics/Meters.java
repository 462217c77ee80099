package net.rrispeaker.metrics;

/**
 * Every meter name the speaker registers, in one place (Prometheus turns dots into underscores
 * and adds {@code _total} to counters). Tags are noted per meter.
 */
public final class Meters {
    private Meters() {
    }

    /** Counter, tag {@code type}: SA events received from a source (child-up, child-down, child-rekey, ...). */
    public static final String SA_EVENTS = "rri.sa.events";
    /** Counter, tag {@code reason}: source messages that could not be parsed or used. */
    public static final String SOURCE_ERRORS = "rri.source.errors";
    /**
     * What the core decided when a source's hold time ran out ({@code source}: vici or a
     * publisher's name; {@code decision}: keep, keep-at-start, withdraw, start-without-source).
     */
    public static final String SOURCE_HOLD_DECISIONS = "rri.source.hold.decisions";
    /**
     * Counter, tag {@code reason} (syntax, prefix-length, host-bits, family-mismatch, range-order,
     * range-too-wide, ipv4-mapped, ipv4-compatible): traffic selectors a source refused to route.
     */
    public static final String SELECTORS_REFUSED = "rri.source.selectors.refused";
    /** Counter, tag {@code source}: (re)connections of an event source to its daemon. */
    public static final String SOURCE_CONNECTS = "rri.source.connects";
    /** Gauge: installed CHILD_SAs in the SA table. */
    public static final String SA_INSTALLED = "rri.sa.installed";
    /** Counter: SA events for connections no crypto map covers. */
    public static final String SA_UNMATCHED = "rri.sa.unmatched";
    /**
     * Counter, tag {@code path}: CHILD_SA rekeys the core applied; {@code in-place} (only the ids
     * changed: ownership moved, no admission, no path change) or {@code full} (admitted again).
     */
    public static final String SA_REKEYS = "rri.sa.rekeys";
    /** Gauge, tag {@code kind}: routes in the speaker's RRI table. */
    public static final String ROUTES = "rri.routes";
    /** Counter: one prefix claimed by more than one owner with different next hops or attributes. */
    public static final String ROUTE_CONFLICTS = "rri.route.conflicts";
    /**
     * Counter, tag {@code rule} (whole-family, martian, min-length, local-selector, own-address,
     * peer-address, pool, crypto-acl, conflict, overlap, max-routes-per-peer, max-routes): selectors
     * of SAs the prefix guard refused, once per SA, prefix and rule.
     */
    public static final String GUARD_REFUSED = "rri.guard.refused";
    /** Gauge: prefixes claimed from SAs (announced or waiting), what {@code rri guard max-routes} limits. */
    public static final String GUARD_CLAIMS = "rri.guard.claims";
    /** Counter, tags {@code map}, {@code seq}, {@code result}: route-map decisions (FRR's "applied"). */
    public static final String POLICY_DECISIONS = "rri.policy.decisions";
    /** Counter, tags {@code sink}, {@code op} (announce, withdraw): path changes sent to a daemon. */
    public static final String SINK_CHANGES = "rri.sink.changes";
    /** Counter, tags {@code sink}, {@code reason}: failed sink operations. */
    public static final String SINK_ERRORS = "rri.sink.errors";
    /** Counter, tag {@code sink}: full resyncs (daemon came (back) up). */
    public static final String SINK_RESYNCS = "rri.sink.resyncs";
    /** Timer, tag {@code sink}: one reconcile pass (diff + RPCs). */
    public static final String SINK_RECONCILE = "rri.sink.reconcile";
    /** Gauge, tag {@code sink}: paths the sink believes the daemon holds from us. */
    public static final String SINK_ANNOUNCED = "rri.sink.announced";
    /** Counter, tag {@code result} (ok, error): configuration loads and reloads. */
    public static final String CONFIG_LOADS = "rri.config.loads";
    /**
     * Counter, tags {@code access} (read, control, publish: what the call needed) and {@code reason}
     * (not-allowed, read-only, no-credentials, not-publisher, publisher-name): control API calls
     * refused with PERMISSION_DENIED.
     */
    public static final String CONTROL_DENIED = "rri.control.denied";
    /**
     * Counter, tags {@code result} (accepted, refused) and {@code reason} (ok, or why: bad-sa,
     * bad-name, protocol, too-many): messages of publishers on the control API's Publish stream.
     */
    public static final String PUBLISH_MESSAGES = "rri.publish.messages";
    /** Counter, tag {@code end} (completed, broken, keepalive-timeout, replaced): live publisher sessions that ended. */
    public static final String PUBLISH_SESSIONS_ENDED = "rri.publish.sessions.ended";
    /** Counter, tag {@code reason} (busy, timeout, bad-request): metrics connections closed without a scrape. */
    public static final String METRICS_REFUSED = "rri.metrics.refused";
    /** Counter, tag {@code peer}: failed lookups of a peer host name ({@code set peer NAME}). */
    public static final String PEER_RESOLVE_FAILURES = "rri.peer.resolve.failures";
    /** Counter: flaps of remote peers counted by {@code rri dampening} (a peer's last SA gone for longer than the withdraw delay). */
    public static final String DAMPENING_FLAPS = "rri.dampening.flaps";
    /** Counter: times a flapping peer was suppressed by {@code rri dampening} (its routes kept out of the announcements). */
    public static final String DAMPENING_SUPPRESSIONS = "rri.dampening.suppressions";
    /** Gauge: remote peers suppressed by {@code rri dampening} now. */
    public static final String DAMPENING_SUPPRESSED = "rri.dampening.suppressed";
    /** Gauge, tag {@code state} (up, down): BFD sessions of the bfdd peers the speaker keeps ({@code rri bfd}). */
    public static final String BFD_SESSIONS = "rri.bfd.sessions";
    /** Counter, tag {@code op} (add, remove, profile): changes the speaker made in bfdd. */
    public static final String BFD_CHANGES = "rri.bfd.changes";
    /**
     * Counter, tag {@code reason} (gobgpd, bfdd-unreachable, bfdd-refused, bfdd-output, neighbour-invalid):
     * failed BFD polls and neighbours that could not be given a session.
     */
    public static final String BFD_ERRORS = "rri.bfd.errors";
    /** Counter, tag {@code to} (up, down): state changes of the speaker's BFD sessions seen by polling. */
    public static final String BFD_TRANSITIONS = "rri.bfd.transitions";
    /** Counter: bfdd restarts seen (its vty socket changed); each is followed by putting the peers back. */
    public static final String BFD_BFDD_RESTARTS = "rri.bfd.bfdd.restarts";

    /** Gauge, tag {@code group}: 1 while the redundancy group's VRRP instance is MASTER (its routes announced), else 0. */
    public static final String REDUNDANCY_ACTIVE = "rri.redundancy.group.active";
    /**
     * Gauge, tag {@code group}: the group's VRRP state as keepalived last reported it: 0 unknown,
     * 1 master, 2 backup, 3 fault, 4 stop, 5 deleted.
     */
    public static final String REDUNDANCY_STATE = "rri.redundancy.group.state";
    /** Counter, tags {@code group}, {@code to} (active, standby): redundancy group transitions. */
    public static final String REDUNDANCY_TRANSITIONS = "rri.redundancy.transitions";
    /**
     * Counter, tag {@code reason} (malformed, not-a-fifo, unknown-instance, closed): keepalived
     * notifications that were not used, and notify FIFO closes.
     */
    public static final String REDUNDANCY_NOTIFY_ERRORS = "rri.redundancy.notify.errors";
}
