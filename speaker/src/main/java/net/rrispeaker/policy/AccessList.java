package net.rrispeaker.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.rrispeaker.model.Prefix;

/**
 * A numbered or named IOS access list (standard, extended, or IPv6). First matching entry decides;
 * no match is an implicit deny.
 *
 * <p>Applied to a <em>route</em> (route-map {@code match ip address}), IOS semantics hold: a standard
 * entry tests the route's network address only; an extended entry's source tests the network
 * address and its destination tests the subnet mask. Applied as a <em>crypto ACL</em>, the entries'
 * destinations are the remote proxies.
 */
public record AccessList(String name, Kind kind, List<AclEntry> entries, String file, int line) {

    public enum Kind { STANDARD, EXTENDED, IPV6 }

    public AccessList {
        entries = List.copyOf(entries);
    }

    /** Route matching with IOS redistribution semantics; implicit deny. */
    public boolean permits(Prefix route) {
        for (AclEntry e : entries) {
            if (matchesRoute(e, route)) {
                return e.permit();
            }
        }
        return false;
    }

    private boolean matchesRoute(AclEntry e, Prefix route) {
        if (e.source().isIpv4() != route.isIpv4()) {
            return false;
        }
        return switch (kind) {
            case STANDARD -> e.source().matches(route.network());
            case EXTENDED -> e.source().matches(route.network())
                    && e.destination().matches(maskAddress(route));
            case IPV6 -> e.source().isAny() || (e.source().isPrefix() && e.source().toPrefix().contains(route));
        };
    }

    private static java.net.InetAddress maskAddress(Prefix p) {
        byte[] m = new byte[p.isIpv4() ? 4 : 16];
        for (int bit = 0; bit < p.length(); bit++) {
            m[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        try {
            return java.net.InetAddress.getByAddress(m);
        } catch (java.net.UnknownHostException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * As a crypto ACL: the remote proxies (what a static crypto map protects): the destinations of its permit entries, in
     * order, without duplicates. Throws {@link IllegalArgumentException} saying why if a destination
     * is {@code any} or not a prefix, or the list is not an extended/IPv6 one.
     */
    public List<Prefix> remoteProxies() {
        if (kind == AccessList.Kind.STANDARD) {
            throw new IllegalArgumentException("access-list " + name
                    + " is a standard list; a crypto ACL needs destinations (expected: an extended access list)");
        }
        Set<Prefix> out = new LinkedHashSet<>();
        for (AclEntry en : entries) {
            if (!en.permit()) {
                continue;
            }
            if (en.destination().isAny()) {
                throw new IllegalArgumentException("access-list " + name + " entry '" + en.text()
                        + "': destination 'any' would inject a default route via the peer (IOS does not support 'any' "
                        + "in crypto ACLs used for RRI)");
            }
            if (!en.destination().isPrefix()) {
                throw new IllegalArgumentException("access-list " + name + " entry '" + en.text()
                        + "': destination '" + en.destination() + "' has a non-contiguous wildcard, which is not a "
                        + "prefix a route can be made for");
            }
            out.add(en.destination().toPrefix());
        }
        return new ArrayList<>(out);
    }
}
