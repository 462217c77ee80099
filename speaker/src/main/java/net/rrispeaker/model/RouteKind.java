package net.rrispeaker.model;

/** How a route was made; the code letters are those of IOS {@code show crypto route}. */
public enum RouteKind {
    /** From an installed SA's remote proxies (dynamic map, or static map without {@code static}). */
    RRI("RRI"),
    /** From a static crypto map's ACL with {@code reverse-route static}: present whatever the SA state. */
    RRI_STATIC("S"),
    /** Route-based tunnel (IPsec profile, XFRM interface): via the tunnel interface. */
    VTI("VTI"),
    /** A manually configured {@code ip route}. */
    MANUAL("M");

    private final String code;

    RouteKind(String code) {
        this.code = code;
    }

    /** The code shown by {@code show crypto route}. */
    public String code() {
        return code;
    }
}
