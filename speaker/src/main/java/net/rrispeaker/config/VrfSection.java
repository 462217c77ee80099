package net.rrispeaker.config;

import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.ios.Tokens;
import net.rrispeaker.model.VrfDefinition;

/**
 * {@code vrf definition NAME} and {@code ip vrf NAME}: {@code rd X} and
 * {@code route-target import|export|both X} (also inside {@code address-family ipv4|ipv6}). Values are
 * checked as gobgpd's API takes them ({@link Tokens#routeTarget}) and kept in canonical text.
 */
final class VrfSection implements ConfigSection {
    private static final class Draft {
        final String name;
        final String file;
        final int line;
        String rd;
        final Set<String> imports = new LinkedHashSet<>();
        final Set<String> exports = new LinkedHashSet<>();

        Draft(String name, String file, int line) {
            this.name = name;
            this.file = file;
            this.line = line;
        }
    }

    private final Map<String, Draft> vrfs = new LinkedHashMap<>();
    private Draft open;

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        int i;
        if (line.startsWith("vrf", "definition")) {
            i = 2;
        } else if (line.startsWith("ip", "vrf") && !"forwarding".equalsIgnoreCase(line.token(2))) {
            i = 2;
        } else {
            return false;
        }
        open = null;
        String name = Args.name(line, i, "VRF name", problems);
        if (name != null) {
            Args.noMore(line, i + 1, "vrf definition NAME", problems);
            open = vrfs.computeIfAbsent(name, n -> new Draft(n, line.file(), line.number()));
        }
        return true;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        if (open == null) {
            return false;
        }
        String cmd = line.token(0).toLowerCase();
        switch (cmd) {
            case "rd" -> {
                String rd = Args.name(line, 1, "route distinguisher after rd", problems);
                if (rd != null) {
                    try {
                        open.rd = Tokens.routeTarget(rd, "route distinguisher");
                    } catch (IllegalArgumentException e) {
                        problems.error(line, e.getMessage());
                    }
                }
            }
            case "route-target" -> routeTarget(line, problems);
            case "description", "address-family", "exit-address-family", "vnet", "vpn" -> { }
            case "no", "import", "export", "maximum" -> Ignored.note(line, "VRF setting without effect on RRI", problems);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void routeTarget(ConfigLine line, Problems problems) {
        String dir = line.token(1) == null ? "" : line.token(1).toLowerCase();
        int i = 2;
        if (!dir.equals("import") && !dir.equals("export") && !dir.equals("both")) {
            dir = "both";
            i = 1;
        }
        String rt = Args.name(line, i, "route target", problems);
        if (rt == null) {
            return;
        }
        try {
            rt = Tokens.routeTarget(rt, "route target");
        } catch (IllegalArgumentException e) {
            problems.error(line, e.getMessage());
            return;
        }
        if (!dir.equals("export")) {
            open.imports.add(rt);
        }
        if (!dir.equals("import")) {
            open.exports.add(rt);
        }
    }

    @Override
    public void closeSubMode() {
        open = null;
    }

    @Override
    public String context() {
        return open == null ? "" : "vrf definition " + open.name;
    }

    Map<String, VrfDefinition> build() {
        Map<String, VrfDefinition> out = new LinkedHashMap<>();
        for (Draft d : vrfs.values()) {
            out.put(d.name, new VrfDefinition(d.name, d.rd, List.copyOf(d.imports), List.copyOf(d.exports), d.file, d.line));
        }
        return out;
    }
}
