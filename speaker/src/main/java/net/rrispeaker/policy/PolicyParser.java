package net.rrispeaker.policy;

import java.util.List;
import net.rrispeaker.config.ConfigLine;
import net.rrispeaker.config.ConfigSection;
import net.rrispeaker.config.Problems;

/**
 * The policy part of the configuration language: access lists (and, as they are added,
 * prefix-lists and route-maps). One configuration section for the parser; {@link #build} compiles
 * what was read into a {@link PolicySet} and reports dangling references.
 */
public final class PolicyParser implements ConfigSection {
    private final AclParser acls = new AclParser();
    private final List<ConfigSection> parts = List.of(acls);
    private ConfigSection open;

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        for (ConfigSection s : parts) {
            if (s.topLevel(line, problems)) {
                open = s;
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        return open != null && open.subMode(line, problems);
    }

    @Override
    public void closeSubMode() {
        if (open != null) {
            open.closeSubMode();
        }
        open = null;
    }

    /** Compiles everything parsed; reference errors go to {@code problems}. */
    public PolicySet build(Problems problems) {
        return new PolicySet(acls.build());
    }
}
