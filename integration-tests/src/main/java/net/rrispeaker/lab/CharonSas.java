package net.rrispeaker.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code swanctl --list-sas} text: the ground truth of which tunnels a charon has up. */
public final class CharonSas {
    /** A CHILD_SA header line: {@code   NAME: #ID, reqid N, STATE, ...}. */
    private static final Pattern CHILD = Pattern.compile("^  (\\S+): #\\d+, reqid \\d+, ([A-Z_]+)\\b.*");
    /** A CHILD_SA selector line: {@code     remote 10.81.1.0/29 [more]}. */
    private static final Pattern REMOTE = Pattern.compile("^    remote\\s+(.+)$");
    private static final Pattern CIDR = Pattern.compile("[0-9a-fA-F:.]+/\\d+");

    private CharonSas() {
    }

    /** Every remote traffic selector (CIDR) of every CHILD_SA in state INSTALLED, in order, repeats kept. */
    public static List<String> installedRemoteSelectors(String listSas) {
        List<String> out = new ArrayList<>();
        boolean installed = false;
        for (String line : listSas.split("\n")) {
            Matcher c = CHILD.matcher(line);
            if (c.matches()) {
                installed = c.group(2).equals("INSTALLED");
                continue;
            }
            if (!line.startsWith("    ")) {
                if (!line.startsWith("  ")) {
                    installed = false; // next IKE_SA
                }
                continue;
            }
            Matcher r = REMOTE.matcher(line);
            if (installed && r.matches()) {
                for (String ts : r.group(1).strip().split("\\s+")) {
                    if (CIDR.matcher(ts).matches()) {
                        out.add(ts);
                    }
                }
            }
        }
        return out;
    }
}
