package net.rrispeaker.guard;

/** Why a selector is not announced; {@link #tag()} is the {@code rule} tag of {@code rri.guard.refused}. */
public enum Rule {
    /** The SA's selectors of one family together cover the whole family (e.g. 0.0.0.0/1 + 128.0.0.0/1). */
    WHOLE_FAMILY("whole-family", false),
    /** Inside or covering a special-use range (loopback, link-local, multicast, ...). */
    MARTIAN("martian", false),
    /** Shorter than {@code rri guard min-length}. */
    MIN_LENGTH("min-length", false),
    /** Equal to, covering or inside one of the SA's own local selectors (the concentrator's networks). */
    LOCAL_SELECTOR("local-selector", false),
    /** Overlapping an {@code rri guard own} prefix or containing a local outer address of the concentrator. */
    OWN_ADDRESS("own-address", false),
    /** Containing the outer address of a peer that is up (would pull its IKE/ESP into a tunnel). */
    PEER_ADDRESS("peer-address", false),
    /** Not permitted by {@code rri guard pool} or the entry's {@code set reverse-route pool}. */
    POOL("pool", false),
    /** Not inside a permit entry's destination of the entry's {@code match address} ACL. */
    CRYPTO_ACL("crypto-acl", false),
    /** The same prefix is held by another peer, which claimed it first. */
    CONFLICT("conflict", true),
    /** Covering or inside a prefix another peer holds ({@code rri guard overlap refuse}). */
    OVERLAP("overlap", true),
    /** The peer holds {@code rri guard max-routes-per-peer} prefixes already. */
    MAX_ROUTES_PER_PEER("max-routes-per-peer", true),
    /** {@code rri guard max-routes} prefixes are held already. */
    MAX_ROUTES("max-routes", true);

    private final String tag;
    private final boolean waits;

    Rule(String tag, boolean waits) {
        this.tag = tag;
        this.waits = waits;
    }

    public String tag() {
        return tag;
    }

    /**
     * True for refusals that depend on other claims: the selector waits and is announced when what
     * blocks it goes (the other peer's prefix, or room under a limit), oldest claim first.
     */
    public boolean waits() {
        return waits;
    }
}
