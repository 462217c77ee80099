package net.rrispeaker.lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The valid paths of the core router's IPv4 BGP table, by prefix: next hop, LOCAL_PREF and
 * whether the path is the best one. Made from FRR's {@code show bgp ipv4 unicast json} (what the
 * upstream network sees), or computed as the truth ({@link HaInvariant}); two tables compare
 * with {@link #equals}.
 */
public record CoreTable(SortedMap<String, List<Path>> routes, SortedMap<String, String> fib) {
    /** One path: the headend it leads to (next hop), its LOCAL_PREF, whether it is the best. */
    public record Path(String nextHop, int localPref, boolean best) implements Comparable<Path> {
        @Override
        public int compareTo(Path o) {
            int c = nextHop.compareTo(o.nextHop);
            return c != 0 ? c : Integer.compare(localPref, o.localPref);
        }

        @Override
        public String toString() {
            return nextHop + " lp " + localPref + (best ? " best" : "");
        }
    }

    public static final CoreTable EMPTY = new CoreTable(Collections.emptySortedMap(), Collections.emptySortedMap());

    public CoreTable {
        fib = Collections.unmodifiableSortedMap(new TreeMap<>(fib));
        SortedMap<String, List<Path>> copy = new TreeMap<>();
        routes.forEach((k, v) -> {
            List<Path> sorted = new ArrayList<>(v);
            Collections.sort(sorted);
            copy.put(k, List.copyOf(sorted));
        });
        routes = Collections.unmodifiableSortedMap(copy);
    }

    /**
     * Parses {@code show bgp ipv4 unicast json} (every path with {@code valid: true}) and zebra's
     * {@code show ip route bgp json}: the active next hop of each selected BGP route, what zebra
     * has the kernel forward by. A route whose next hop changes stays selected while zebra replaces
     * it in the kernel (its {@code installed} flag drops for the few milliseconds the update is
     * queued, but the kernel route is replaced in place), so that is not counted as an absence.
     */
    public static CoreTable parse(JsonNode table, JsonNode zebraRoutes) {
        SortedMap<String, String> fib = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = zebraRoutes.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            for (JsonNode r : e.getValue()) {
                if (r.path("selected").asBoolean(false)) {
                    for (JsonNode nh : r.path("nexthops")) {
                        if (nh.path("active").asBoolean(false)) {
                            fib.put(e.getKey(), nh.path("ip").asText());
                            break;
                        }
                    }
                }
            }
        }
        SortedMap<String, List<Path>> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = table.path("routes").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Path> paths = new ArrayList<>();
            for (JsonNode p : e.getValue()) {
                if (p.path("valid").asBoolean(false)) {
                    paths.add(new Path(p.path("nexthops").path(0).path("ip").asText(), p.path("locPrf").asInt(100),
                            p.path("bestpath").asBoolean(false)));
                }
            }
            if (!paths.isEmpty()) {
                out.put(e.getKey(), paths);
            }
        }
        return new CoreTable(out, fib);
    }

    /** The table of the core now: its BGP table (bgpd) and its installed BGP routes (zebra). */
    public static CoreTable read(FrrVty bgpd, FrrVty zebra) {
        return parse(bgpd.json("show bgp ipv4 unicast json"), zebra.json("show ip route bgp json"));
    }

    /** The next hop of the best path for {@code prefix}, if the core has one. */
    public Optional<String> bestNextHop(String prefix) {
        return routes.getOrDefault(prefix, List.of()).stream().filter(Path::best).map(Path::nextHop).findFirst();
    }

    /** The next hop the core forwards {@code prefix} to (zebra's installed route), if any. */
    public Optional<String> fibNextHop(String prefix) {
        return Optional.ofNullable(fib.get(prefix));
    }

    /** One line per prefix. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        routes.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append(", forwarded to ")
                .append(fib.getOrDefault(k, "(nothing)")).append('\n'));
        return sb.isEmpty() ? "  (no routes)\n" : sb.toString();
    }
}
