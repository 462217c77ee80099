package net.rrispeaker.sink.frr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * staticd's configuration as text: reading the static routes out of {@code show running-config}
 * (top-level lines are the default VRF's, lines inside {@code vrf NAME ... exit-vrf} that VRF's),
 * and writing lines back in the same layout (the state file, the batches sent to vtysh).
 */
public final class StaticConfig {
    private StaticConfig() {
    }

    /** Every static route of a staticd configuration text, in order. Other lines are skipped. */
    public static List<StaticLine> parse(String text) {
        List<StaticLine> out = new ArrayList<>();
        String vrf = "";
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("!")) {
                continue;
            }
            String[] t = line.split("\\s+");
            if (t[0].equals("vrf") && t.length == 2 && !raw.startsWith(" ")) {
                vrf = t[1];
            } else if (t[0].equals("exit-vrf") || (t[0].equals("exit") && t.length == 1) || t[0].equals("end")) {
                vrf = "";
            } else if (!raw.startsWith(" ") && !vrf.isEmpty() && !t[0].equals("ip") && !t[0].equals("ipv6")) {
                vrf = ""; // a top-level command we do not know ended the block
            } else {
                StaticLine s = StaticLine.parse(vrf, line);
                if (s != null) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /**
     * Commands in staticd's layout: the default VRF's first, then one {@code vrf NAME} block per
     * VRF (by name). Each command is the line's text or its removal, as {@code command} makes it.
     */
    static String render(Collection<Command> commands) {
        Map<String, List<String>> byVrf = new TreeMap<>();
        for (Command c : commands) {
            byVrf.computeIfAbsent(c.line().vrf(), v -> new ArrayList<>())
                    .add(c.remove() ? c.line().removal() : c.line().text());
        }
        StringBuilder b = new StringBuilder();
        for (var e : byVrf.entrySet()) {
            boolean inVrf = !e.getKey().isEmpty();
            if (inVrf) {
                b.append("vrf ").append(e.getKey()).append('\n');
            }
            for (String s : e.getValue()) {
                b.append(inVrf ? " " : "").append(s).append('\n');
            }
            if (inVrf) {
                b.append("exit-vrf\n");
            }
        }
        return b.toString();
    }

    /** The lines themselves, sorted (for the state file: stable, diffable). */
    static String render(List<StaticLine> lines) {
        List<Command> add = new ArrayList<>();
        lines.stream().sorted(Comparator.comparing(StaticLine::vrf).thenComparing(StaticLine::text))
                .forEach(l -> add.add(new Command(l, false)));
        return render(add);
    }

    /** One line to add, or to remove. */
    record Command(StaticLine line, boolean remove) {
    }
}
