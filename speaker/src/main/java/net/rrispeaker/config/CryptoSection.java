package net.rrispeaker.config;

import java.util.LinkedHashMap;
import java.util.Map;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.ios.Tokens;

/**
 * {@code crypto map NAME SEQ [ipsec-isakmp] [dynamic DMAP]}, {@code crypto dynamic-map NAME SEQ},
 * {@code crypto ipsec profile NAME} and {@code crypto isakmp profile NAME}: the crypto commands
 * that shape routes. The IPsec-only crypto commands are {@link CryptoIgnoredSection}'s.
 */
final class CryptoSection implements ConfigSection {
    private final EntryCommands commands = new EntryCommands();
    /** Crypto map sets in order of first appearance; entries keyed by "map seq". */
    final Map<String, Map<Integer, EntryDraft>> cryptoMaps = new LinkedHashMap<>();
    final Map<String, Map<Integer, EntryDraft>> dynamicMaps = new LinkedHashMap<>();
    final Map<String, EntryDraft> ipsecProfiles = new LinkedHashMap<>();
    final Map<String, IsakmpProfile> isakmpProfiles = new LinkedHashMap<>();

    private EntryDraft open;
    private String openContext = "";
    private String isakmpOpen;

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        if (line.startsWith("crypto", "map")) {
            reset();
            cryptoMap(line, problems);
            return true;
        }
        if (line.startsWith("crypto", "dynamic-map") || line.startsWith("crypto", "dynamic")) {
            reset();
            dynamicMap(line, problems);
            return true;
        }
        if (line.startsWith("crypto", "ipsec", "profile")) {
            reset();
            String name = Args.name(line, 3, "profile name after crypto ipsec profile", problems);
            if (name != null) {
                Args.noMore(line, 4, "crypto ipsec profile NAME", problems);
                open = ipsecProfiles.computeIfAbsent(name, n -> new EntryDraft(null, n, 0, line.file(), line.number()));
                openContext = "crypto ipsec profile " + name;
            }
            return true;
        }
        if (line.startsWith("crypto", "isakmp", "profile")) {
            reset();
            String name = Args.name(line, 3, "profile name after crypto isakmp profile", problems);
            if (name != null) {
                Args.noMore(line, 4, "crypto isakmp profile NAME", problems);
                isakmpProfiles.putIfAbsent(name, new IsakmpProfile(name, "", line.file(), line.number()));
                isakmpOpen = name;
                openContext = "crypto isakmp profile " + name;
            }
            return true;
        }
        return false;
    }

    private void reset() {
        open = null;
        isakmpOpen = null;
        openContext = "";
    }

    private void cryptoMap(ConfigLine line, Problems problems) {
        String name = Args.name(line, 2, "map name after crypto map", problems);
        String seqText = line.token(3);
        if (name == null) {
            return;
        }
        if (seqText == null || !Tokens.isDigits(seqText)) {
            // Map-level commands: crypto map NAME local-address IF, client ..., isakmp authorization ...
            if (seqText == null) {
                problems.error(line, "missing sequence number after crypto map " + name);
            } else {
                Ignored.note(line, Ignored.IPSEC_ONLY, problems);
            }
            return;
        }
        Long seq = Args.number(line, 3, "crypto map sequence number", 1, 65535, problems);
        if (seq == null) {
            return;
        }
        MapEntry.Type type = MapEntry.Type.STATIC;
        String dynamic = null;
        for (int i = 4; i < line.size(); i++) {
            String k = line.token(i).toLowerCase();
            switch (k) {
                case "ipsec-isakmp", "discover" -> { }
                case "dynamic" -> {
                    type = MapEntry.Type.DYNAMIC_PARENT;
                    dynamic = Args.name(line, ++i, "dynamic-map name after dynamic", problems);
                }
                case "profile" -> {
                    i++;
                    Ignored.note(line, Ignored.IPSEC_ONLY, problems);
                }
                case "ipsec-manual", "gdoi" -> problems.error(line, "crypto map type '" + line.token(i)
                        + "' is not supported (expected: ipsec-isakmp)");
                default -> problems.error(line, "unknown keyword '" + line.token(i) + "' in crypto map " + name + " "
                        + seq + " (expected: ipsec-isakmp, dynamic NAME)");
            }
        }
        Map<Integer, EntryDraft> set = cryptoMaps.computeIfAbsent(name, n -> new LinkedHashMap<>());
        EntryDraft d = set.get(seq.intValue());
        if (d == null) {
            d = new EntryDraft(type, name, seq.intValue(), line.file(), line.number());
            d.dynamicMap = dynamic;
            set.put(seq.intValue(), d);
        } else if (d.type != type || (dynamic != null && !dynamic.equals(d.dynamicMap))) {
            problems.error(line, "crypto map " + name + " " + seq + " was defined differently on line " + d.line);
            return;
        }
        open = d;
        openContext = "crypto map " + name + " " + seq;
    }

    private void dynamicMap(ConfigLine line, Problems problems) {
        if (line.token(1).equalsIgnoreCase("dynamic")) {
            problems.warning(line, "'crypto dynamic' taken as 'crypto dynamic-map'");
        }
        String name = Args.name(line, 2, "dynamic-map name after crypto dynamic-map", problems);
        if (name == null) {
            return;
        }
        int seq = 1;
        if (line.token(3) == null) {
            problems.warning(line, "crypto dynamic-map " + name + " has no sequence number; taken as 1");
        } else {
            Long s = Args.number(line, 3, "dynamic-map sequence number", 1, 65535, problems);
            if (s == null) {
                return;
            }
            seq = s.intValue();
            Args.noMore(line, 4, "crypto dynamic-map NAME SEQ", problems);
        }
        int fseq = seq;
        open = dynamicMaps.computeIfAbsent(name, n -> new LinkedHashMap<>())
                .computeIfAbsent(seq, s -> new EntryDraft(MapEntry.Type.DYNAMIC, name, fseq, line.file(), line.number()));
        openContext = "dynamic-map " + name + " " + seq;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        if (open != null) {
            return commands.read(open, openContext, line, problems);
        }
        if (isakmpOpen != null) {
            return isakmpProfileLine(line, problems);
        }
        return false;
    }

    private boolean isakmpProfileLine(ConfigLine line, Problems problems) {
        String cmd = line.token(0).toLowerCase();
        if (cmd.equals("vrf")) {
            String vrf = Args.name(line, 1, "VRF name after vrf", problems);
            Args.noMore(line, 2, "vrf NAME", problems);
            if (vrf != null) {
                IsakmpProfile p = isakmpProfiles.get(isakmpOpen);
                isakmpProfiles.put(isakmpOpen, new IsakmpProfile(p.name(), vrf, p.file(), line.number()));
            }
            return true;
        }
        if (cmd.equals("description")) {
            return true;
        }
        if (java.util.Set.of("keyring", "match", "client", "isakmp", "virtual-template", "self-identity",
                "local-address", "keepalive", "initiate", "ca", "qos-group", "accounting", "no").contains(cmd)) {
            Ignored.note(line, Ignored.IPSEC_ONLY, problems);
            return true;
        }
        return false;
    }

    @Override
    public void closeSubMode() {
        reset();
    }

    @Override
    public String context() {
        return openContext;
    }
}
