package net.rrispeaker.policy;

import java.util.List;
import java.util.Map;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;

/**
 * The policy part of the configuration language: access lists, {@code ip|ipv6 prefix-list} and
 * {@code route-map}. One configuration section for the parser; {@link #build} compiles what was
 * read into a {@link PolicySet} and reports dangling references (an undefined ACL or prefix-list
 * used by a route-map is an error; see docs/route-maps.md).
 */
public final class PolicyParser implements ConfigSection {
    private final AclParser acls = new AclParser();
    private final PrefixListParser prefixLists = new PrefixListParser();
    private final RouteMapParser routeMaps = new RouteMapParser();
    private final List<ConfigSection> parts = List.of(acls, prefixLists, routeMaps);
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
        Map<String, AccessList> a = acls.build();
        Map<String, PrefixList> v4 = prefixLists.build(false);
        Map<String, PrefixList> v6 = prefixLists.build(true);
        return new PolicySet(a, v4, v6, routeMaps.build(a, v4, v6, problems));
    }
}
