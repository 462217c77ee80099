package net.rrispeaker.policy;

import java.util.List;

/**
 * {@code set extcommunity rt RT... [additive]}: route targets added to those the route already
 * carries (the VRF's export RTs are attached by the sink). Always additive, with or without the
 * keyword: replacing the VRF's export RTs would take the route out of its VPN (documented
 * difference to IOS, where the form without {@code additive} replaces).
 */
public record ExtCommunitySet(List<String> routeTargets) implements SetClause {

    public ExtCommunitySet {
        routeTargets = List.copyOf(routeTargets);
    }

    @Override
    public void apply(PathAttributes.Builder a, RouteFacts route) {
        for (String rt : routeTargets) {
            if (!a.routeTargets().contains(rt)) {
                a.routeTargets().add(rt);
            }
        }
    }

    @Override
    public String text() {
        return "set extcommunity rt " + String.join(" ", routeTargets) + " additive";
    }
}
