package net.rrispeaker.lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the core must hold, computed from the SAs up, and the comparison with what it holds.
 *
 * <p>The truth: a headend contributes a path for each remote selector of each CHILD_SA its charon
 * has INSTALLED ({@code swanctl --list-sas}, read from charon, not from the speaker), next hop its
 * core-link address, LOCAL_PREF {@code 101 - distance} of its speaker config, community
 * {@code AS:5} (except prefixes of a peer its speaker must hold back: dampened); only if its charon and gobgpd run, it is neither frozen nor blackholed and, in the
 * redundancy-group design, its VRRP instance is MASTER (keepalived's state). The best path of
 * each prefix is the one with the highest LOCAL_PREF, and the core's zebra must forward the prefix
 * to its next hop.
 */
public final class HaInvariant {
    /** Which headends announce. */
    public enum Design {
        /** Both announce; the core prefers the primary's smaller distance (higher LOCAL_PREF). */
        DUAL_HEADEND,
        /** Only the headend whose VRRP instance is MASTER announces (crypto map redundancy groups). */
        REDUNDANCY_GROUP
    }

    /** The outcome of one comparison; {@link #exact()} when nothing is missing, extra or wrong. */
    public record Report(CoreTable expected, CoreTable actual, List<String> missing, List<String> extra,
            List<String> wrong) {
        public boolean exact() {
            return missing.isEmpty() && extra.isEmpty() && wrong.isEmpty();
        }

        @Override
        public String toString() {
            return "expected (from the SAs up):\n" + expected.describe() + "core holds:\n" + actual.describe()
                    + "missing: " + missing + "\nextra: " + extra + "\nwrong: " + wrong;
        }
    }

    private HaInvariant() {
    }

    /** The table the core must hold now. */
    public static CoreTable expected(List<Headend> headends, Design design) {
        SortedMap<String, List<CoreTable.Path>> raw = new TreeMap<>();
        for (Headend h : headends) {
            if (!h.charon().alive() || !h.gobgpd().alive() || h.impaired()) {
                continue;
            }
            if (design == Design.REDUNDANCY_GROUP && !h.keepalived().state().equals("MASTER")) {
                continue;
            }
            for (String prefix : new LinkedHashSet<>(h.installedRemoteSelectors())) {
                if (h.suppressed().contains(prefix)) {
                    continue;
                }
                raw.computeIfAbsent(prefix, p -> new ArrayList<>())
                        .add(new CoreTable.Path(h.addrs().core(), h.addrs().localPref(), false));
            }
        }
        SortedMap<String, List<CoreTable.Path>> out = new TreeMap<>();
        SortedMap<String, String> fib = new TreeMap<>();
        raw.forEach((prefix, paths) -> {
            int top = paths.stream().mapToInt(CoreTable.Path::localPref).max().orElseThrow();
            List<CoreTable.Path> marked = new ArrayList<>();
            boolean given = false;
            for (CoreTable.Path p : paths) {
                boolean best = !given && p.localPref() == top;
                given |= best;
                if (best) {
                    fib.put(prefix, p.nextHop());
                }
                marked.add(new CoreTable.Path(p.nextHop(), p.localPref(), best));
            }
            out.put(prefix, marked);
        });
        return new CoreTable(out, fib);
    }

    /** Compares the truth with the core's table and, for every path it holds, its community. */
    public static Report check(List<Headend> headends, Design design, FrrVty core, FrrVty zebra) {
        CoreTable expected = expected(headends, design);
        CoreTable actual = CoreTable.read(core, zebra);
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        Set<String> prefixes = new LinkedHashSet<>(expected.routes().keySet());
        prefixes.addAll(actual.routes().keySet());
        for (String prefix : prefixes) {
            List<CoreTable.Path> want = expected.routes().getOrDefault(prefix, List.of());
            List<CoreTable.Path> have = actual.routes().getOrDefault(prefix, List.of());
            for (CoreTable.Path p : want) {
                if (!have.contains(p)) {
                    missing.add(prefix + " " + p);
                }
            }
            for (CoreTable.Path p : have) {
                if (!want.contains(p)) {
                    extra.add(prefix + " " + p);
                }
            }
        }
        for (String prefix : prefixes) {
            String want = expected.fib().get(prefix);
            String have = actual.fib().get(prefix);
            if (want != null && !want.equals(have)) {
                wrong.add(prefix + " forwarded to " + have + " (expected " + want + ")");
            } else if (want == null && have != null) {
                extra.add(prefix + " forwarded to " + have);
            }
        }
        for (String prefix : actual.routes().keySet()) {
            JsonNode paths = core.json("show bgp ipv4 unicast " + prefix + " json").path("paths");
            for (JsonNode p : paths) {
                String community = p.path("community").path("string").asText("");
                if (!community.equals(HaTopology.COMMUNITY)) {
                    wrong.add(prefix + " via " + p.path("nexthops").path(0).path("ip").asText() + " community '"
                            + community + "' (expected " + HaTopology.COMMUNITY + ")");
                }
            }
        }
        return new Report(expected, actual, missing, extra, wrong);
    }
}
