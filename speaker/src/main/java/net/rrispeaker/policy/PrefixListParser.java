package net.rrispeaker.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.ios.Tokens;

/**
 * Parses {@code ip prefix-list NAME [seq N] permit|deny P/L [ge G] [le L]}, {@code ip prefix-list NAME
 * description TEXT} and the same with {@code ipv6}. Without {@code seq} the entry gets the highest
 * sequence so far rounded down to a multiple of 5, plus 5 (IOS). Bounds follow IOS:
 * {@code len < ge <= le <= 32|128} (and {@code len < le} for {@code le} alone). Re-entering a sequence
 * replaces its entry (with a warning). {@code ip prefix-list sequence-number} is accepted and ignored.
 * IPv4 and IPv6 lists have separate names, as in IOS. One-line commands: there is no sub-mode.
 */
final class PrefixListParser implements ConfigSection {
    /** Highest prefix-list sequence number the speaker takes. */
    static final long MAX_SEQ = Integer.MAX_VALUE;
    private final Map<String, Draft> v4 = new LinkedHashMap<>();
    private final Map<String, Draft> v6 = new LinkedHashMap<>();

    private static final class Draft {
        String description = "";
        final TreeMap<Integer, PrefixListEntry> entries = new TreeMap<>();
    }

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        boolean ipv6;
        if (line.startsWith("ip", "prefix-list")) {
            ipv6 = false;
        } else if (line.startsWith("ipv6", "prefix-list")) {
            ipv6 = true;
        } else {
            return false;
        }
        String cmd = (ipv6 ? "ipv6" : "ip") + " prefix-list";
        String name = line.token(2);
        if (name == null) {
            problems.error(line, "expected '" + cmd + " NAME [seq N] permit|deny PREFIX [ge N] [le N]'");
            return true;
        }
        if (Tokens.is(name, "sequence-number") && line.size() == 3) {
            problems.ignored(line, cmd + " sequence-number: sequence numbers are always shown");
            return true;
        }
        Draft d = (ipv6 ? v6 : v4).computeIfAbsent(name, n -> new Draft());
        if (Tokens.is(line.token(3), "description")) {
            d.description = line.rest(4);
            return true;
        }
        try {
            entry(d, line, ipv6, name, problems);
        } catch (IllegalArgumentException e) {
            problems.error(line, e.getMessage() + " in " + cmd + " " + name);
        }
        return true;
    }

    private static void entry(Draft d, ConfigLine line, boolean ipv6, String name, Problems problems) {
        List<String> t = line.tokens();
        int i = 3;
        Integer seq = null;
        if (Tokens.is(line.token(i), "seq")) {
            if (line.token(i + 1) == null) {
                throw new IllegalArgumentException("missing sequence number after 'seq'");
            }
            seq = (int) Tokens.number(line.token(i + 1), 1, MAX_SEQ, "seq");
            i += 2;
        }
        String action = line.token(i++);
        if (!Tokens.is(action, "permit") && !Tokens.is(action, "deny")) {
            throw new IllegalArgumentException("'" + Tokens.shown(action) + "' (expected: permit or deny)");
        }
        String ptext = line.token(i++);
        if (ptext == null || !ptext.contains("/")) {
            throw new IllegalArgumentException("prefix '" + Tokens.shown(ptext) + "' (expected: ADDRESS/LENGTH)");
        }
        Prefix p = Tokens.prefix(ptext, "prefix");
        if (p.isIpv6() != ipv6) {
            throw new IllegalArgumentException("prefix '" + ptext + "' (expected: " + (ipv6 ? "IPv6" : "IPv4") + ")");
        }
        if (!Prefix.host(Tokens.address(ptext.substring(0, ptext.indexOf('/')))).network().equals(p.network())) {
            problems.warning(line, "prefix '" + ptext + "' has host bits set; using " + p);
        }
        int ge = 0;
        int le = 0;
        while (i < t.size()) {
            String k = t.get(i);
            String v = line.token(i + 1);
            if (v == null) {
                throw new IllegalArgumentException("missing value after '" + Tokens.shown(k) + "'");
            }
            if (Tokens.is(k, "ge") && ge == 0) {
                ge = (int) Tokens.number(v, 1, p.maxLength(), "ge");
            } else if (Tokens.is(k, "le") && le == 0) {
                le = (int) Tokens.number(v, 1, p.maxLength(), "le");
            } else {
                throw new IllegalArgumentException("unexpected '" + Tokens.shown(k) + "' (expected: ge N, le N)");
            }
            i += 2;
        }
        int len = p.length();
        if (ge > 0 && ge <= len) {
            throw new IllegalArgumentException("ge " + ge + " (expected: " + len + " < ge <= " + p.maxLength() + ")");
        }
        if (le > 0 && le <= len) {
            throw new IllegalArgumentException("le " + le + " (expected: " + len + " < le <= " + p.maxLength() + ")");
        }
        if (ge > 0 && le > 0 && ge > le) {
            throw new IllegalArgumentException("ge " + ge + " le " + le + " (expected: ge <= le)");
        }
        long next = d.entries.isEmpty() ? 5 : d.entries.lastKey() / 5 * 5 + 5L;
        if (seq == null && next > MAX_SEQ) {
            throw new IllegalArgumentException("no sequence number left after " + d.entries.lastKey()
                    + " (expected: seq N with a free N 1-" + MAX_SEQ + ")");
        }
        int s = seq != null ? seq : (int) next;
        PrefixListEntry e = new PrefixListEntry(s, Tokens.is(action, "permit"), p, ge, le, line.number());
        if (d.entries.put(s, e) != null) {
            problems.warning(line, "seq " + s + " replaces the earlier entry with that sequence in prefix-list " + name);
        }
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        return false;
    }

    @Override
    public void closeSubMode() {
    }

    /** Compiled IPv4 ({@code ipv6 == false}) or IPv6 lists, by name. */
    Map<String, PrefixList> build(boolean ipv6) {
        Map<String, PrefixList> out = new LinkedHashMap<>();
        (ipv6 ? v6 : v4).forEach((n, d) -> out.put(n, new PrefixList(n, ipv6, d.description, List.copyOf(d.entries.values()))));
        return out;
    }
}
