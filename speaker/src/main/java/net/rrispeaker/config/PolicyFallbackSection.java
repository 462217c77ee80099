package net.rrispeaker.config;

import java.util.Set;

/**
 * Stand-in for the route-map and prefix-list commands until the policy parser reads them: it sits
 * after the policy section, so it sees only what that section does not know yet. The lines are
 * accepted with a warning that says they are not applied.
 */
final class PolicyFallbackSection implements ConfigSection {
    private static final Set<String> SUB = Set.of("match", "set", "description", "continue", "call", "on-match", "no");
    private String open;

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        if (line.startsWith("route-map")) {
            open = "route-map " + (line.token(1) == null ? "" : line.token(1));
            problems.warning(line, open + " is not supported by this build: not applied (redistribution is unfiltered)");
            return true;
        }
        if (line.startsWith("ip", "prefix-list") || line.startsWith("ipv6", "prefix-list")) {
            open = null;
            problems.warning(line, line.token(0) + " prefix-list is not supported by this build: not applied");
            return true;
        }
        return false;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        return open != null && SUB.contains(line.token(0).toLowerCase());
    }

    @Override
    public void closeSubMode() {
        open = null;
    }

    @Override
    public String context() {
        return open == null ? "" : open;
    }
}
