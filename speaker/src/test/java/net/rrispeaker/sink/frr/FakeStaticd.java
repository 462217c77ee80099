package net.rrispeaker.sink.frr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A staticd behind a fake vtysh: holds configuration lines per VRF, applies batch texts the way
 * staticd does (a bad line is skipped, the rest applied, exit 2), and can be "restarted" (its
 * identity changes and it comes back with a given configuration). Records every batch.
 */
final class FakeStaticd implements Vtysh {
    final Map<String, StaticLine> lines = new LinkedHashMap<>();
    final List<String> batches = new ArrayList<>();
    int reads;
    boolean up = true;
    /** Lines containing this text are refused. */
    String refuse;
    /** The next batch is applied, but vtysh does not come back (a timeout, a killed vtysh). */
    boolean loseNextReply;
    private int generation;

    FakeStaticd(String config) {
        load(config);
    }

    void load(String config) {
        lines.clear();
        for (StaticLine l : StaticConfig.parse(config)) {
            lines.put(key(l), l);
        }
    }

    void restart(String config) {
        generation++;
        load(config);
    }

    private static String key(StaticLine l) {
        return l.vrf() + "|" + l.text();
    }

    @Override
    public String runningConfig() throws IOException {
        if (!up) {
            throw new IOException("exit 1: Exiting: failed to connect to any daemons.");
        }
        reads++;
        return "Building configuration...\n!\nfrr version 8.4.4\n" + StaticConfig.render(List.copyOf(lines.values()))
                + "!\nend\n";
    }

    @Override
    public String show(String command) throws IOException {
        if (!"show running-config".equals(command)) {
            throw new IOException("exit 2: % Unknown command: " + command);
        }
        return runningConfig();
    }

    @Override
    public Result apply(String text) throws IOException {
        if (!up) {
            throw new IOException("staticd down");
        }
        batches.add(text);
        int rc = 0;
        StringBuilder out = new StringBuilder();
        String vrf = "";
        int n = 0;
        for (String raw : text.split("\n")) {
            n++;
            String line = raw.strip();
            if (line.startsWith("vrf ")) {
                vrf = line.substring(4);
                continue;
            }
            if (line.equals("exit-vrf")) {
                vrf = "";
                continue;
            }
            boolean remove = line.startsWith("no ");
            StaticLine l = StaticLine.parse(vrf, remove ? line.substring(3) : line);
            if (refuse != null && line.contains(refuse)) {
                rc = 2;
                out.append("line ").append(n).append(": % Unknown command: ").append(line).append('\n');
            } else if (remove) {
                if (lines.remove(key(l)) == null) {
                    rc = 2;
                    out.append("% Refusing to remove a non-existent route\n");
                }
            } else {
                lines.put(key(l), l);
            }
        }
        if (loseNextReply) {
            loseNextReply = false;
            throw new IOException("vtysh did not finish within 600 s");
        }
        return new Result(rc, out.toString());
    }

    @Override
    public Object daemonIdentity() {
        return up ? "staticd#" + generation : null;
    }

    @Override
    public String describe() {
        return "fake staticd";
    }

    List<String> texts() {
        return lines.values().stream().map(l -> (l.vrf().isEmpty() ? "" : l.vrf() + ": ") + l.text()).sorted().toList();
    }
}
