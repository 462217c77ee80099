package net.rrispeaker.policy;

import java.util.Map;

/**
 * The compiled policy objects of one configuration: access lists (used by crypto maps and by
 * route-maps), and what route-maps need. Immutable; names are case-sensitive as in IOS.
 */
public record PolicySet(Map<String, AccessList> accessLists) {

    public PolicySet {
        accessLists = Map.copyOf(accessLists);
    }

    public static PolicySet empty() {
        return new PolicySet(Map.of());
    }
}
