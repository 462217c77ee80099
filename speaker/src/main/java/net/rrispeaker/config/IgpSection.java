package net.rrispeaker.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;

/**
 * {@code router ospf|eigrp|rip|isis [ID]}: its {@code redistribute static ...} lines are kept for
 * the FRR sink; everything else in the block (networks, areas, timers...) belongs in FRR's own
 * configuration and is noted as ignored.
 */
final class IgpSection implements ConfigSection {
    private static final Set<String> PROTOCOLS = Set.of("ospf", "eigrp", "rip", "isis");
    private static final Set<String> SUB = Set.of("network", "passive-interface", "no", "auto-summary", "eigrp",
            "router-id", "area", "log-adjacency-changes", "default-information", "distance", "maximum-paths", "timers",
            "auto-cost", "bfd", "version", "metric", "default-metric", "distribute-list", "offset-list", "neighbor",
            "net", "is-type", "metric-style", "summary-address", "variance", "capability", "max-metric", "ospf",
            "address-family", "exit-address-family", "af-interface", "exit-af-interface", "topology",
            "exit-af-topology", "description", "shutdown", "nsf", "graceful-restart", "ispf", "compatible", "validate-update-source");

    /** One value of {@code redistribute static metric ...} and its IOS range. */
    private record MetricPart(String what, long min, long max) {
    }

    /** The values of {@code metric} per protocol, with the ranges IOS (and FRR) take. */
    private static final Map<String, List<MetricPart>> METRIC = Map.of(
            "ospf", List.of(new MetricPart("redistribute metric", 0, 16_777_214)),
            "rip", List.of(new MetricPart("redistribute metric", 0, 16)),
            "isis", List.of(new MetricPart("redistribute metric", 0, 0xFFFFFFFFL)),
            "eigrp", List.of(new MetricPart("redistribute metric bandwidth", 1, 0xFFFFFFFFL),
                    new MetricPart("redistribute metric delay", 0, 0xFFFFFFFFL),
                    new MetricPart("redistribute metric reliability", 0, 255),
                    new MetricPart("redistribute metric load", 1, 255),
                    new MetricPart("redistribute metric MTU", 1, 65535)));

    final List<IgpRedistribution> redistribution = new ArrayList<>();
    private String protocol;
    private String process;

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        if (!line.startsWith("router") || line.token(1) == null || !PROTOCOLS.contains(line.token(1).toLowerCase())) {
            return false;
        }
        protocol = line.token(1).toLowerCase();
        process = Args.join(line, 2);
        return true;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        if (protocol == null) {
            return false;
        }
        String cmd = line.token(0).toLowerCase();
        if (cmd.equals("redistribute")) {
            if ("static".equalsIgnoreCase(line.token(1))) {
                redistributeStatic(line, problems);
            } else {
                Ignored.note(line, "only the speaker's own static routes are redistributed", problems);
            }
            return true;
        }
        if (SUB.contains(cmd)) {
            Ignored.note(line, "IGP settings belong in FRR's own configuration", problems);
            return true;
        }
        return false;
    }

    private void redistributeStatic(ConfigLine line, Problems problems) {
        List<Long> metric = new ArrayList<>();
        int metricType = 0;
        boolean subnets = false;
        Long tag = null;
        String routeMap = null;
        for (int i = 2; i < line.size(); i++) {
            String k = line.token(i).toLowerCase();
            switch (k) {
                case "metric" -> {
                    // EIGRP gives five values (bandwidth delay reliability load mtu), the others one
                    for (MetricPart part : METRIC.get(protocol)) {
                        Long v = Args.number(line, ++i, part.what(), part.min(), part.max(), problems);
                        if (v == null) {
                            return;
                        }
                        metric.add(v);
                    }
                }
                case "metric-type" -> {
                    Long v = Args.number(line, ++i, "metric-type", 1, 2, problems);
                    metricType = v == null ? 0 : v.intValue();
                }
                case "subnets" -> subnets = true;
                case "tag" -> tag = Args.number(line, ++i, "redistribute tag", 0, 0xFFFFFFFFL, problems);
                case "route-map" -> routeMap = Args.name(line, ++i, "route-map name", problems);
                case "level-1", "level-2", "level-1-2" -> { }
                default -> problems.error(line, "unknown keyword '" + line.token(i) + "' in redistribute static "
                        + "(expected: metric, metric-type, subnets, tag, route-map)");
            }
        }
        redistribution.add(new IgpRedistribution(protocol, process, metric, metricType, subnets, tag, routeMap,
                line.file(), line.number()));
    }

    @Override
    public void closeSubMode() {
        protocol = null;
    }

    @Override
    public String context() {
        return protocol == null ? "" : ("router " + protocol + " " + process).strip();
    }
}
