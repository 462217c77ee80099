package net.rrispeaker.policy;

import java.net.InetAddress;
import net.rrispeaker.model.Addresses;

/**
 * {@code set ip next-hop A} / {@code set ipv6 next-hop A}: the BGP next hop instead of self. Applies
 * only to routes of the address's family; on a route of the other family it does nothing.
 */
public record NextHopSet(InetAddress address) implements SetClause {

    public boolean isIpv6() {
        return address.getAddress().length == 16;
    }

    @Override
    public void apply(PathAttributes.Builder a, RouteFacts route) {
        if (route.v6 == isIpv6()) {
            a.nextHop = address;
        }
    }

    @Override
    public String text() {
        return "set " + (isIpv6() ? "ipv6" : "ip") + " next-hop " + Addresses.format(address);
    }
}
