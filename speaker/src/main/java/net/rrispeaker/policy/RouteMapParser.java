package net.rrispeaker.policy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.model.RouteKind;
import net.rrispeaker.ios.Tokens;

/**
 * Parses {@code route-map NAME [permit|deny] [SEQ]} and its sub-mode: {@code description},
 * {@code match ...}, {@code set ...}, {@code continue [SEQ]}. IOS rules for the header: the action
 * defaults to permit; without a sequence a new map gets entry 10, a map with exactly one entry
 * reopens it, a map with several entries is an error (IOS asks for the sequence). Re-entering an
 * existing sequence reopens that entry (and takes the new action).
 *
 * <p>{@link #build} resolves list names and reports: undefined ACL or prefix-list (error), an ACL
 * and a prefix-list in one entry's {@code match ip address} (error, IOS refuses it), a backward or
 * self {@code continue} (error), a {@code continue} to a sequence that does not exist (warning: it
 * goes to the next higher one), {@code continue} on a deny entry (warning: it has no effect).
 */
final class RouteMapParser implements ConfigSection {
    private final Map<String, MapDraft> maps = new LinkedHashMap<>();
    private EntryDraft open;

    private static final class MapDraft {
        final String name;
        final String file;
        final int line;
        final TreeMap<Integer, EntryDraft> entries = new TreeMap<>();

        MapDraft(String name, String file, int line) {
            this.name = name;
            this.file = file;
            this.line = line;
        }
    }

    private static final class EntryDraft {
        final String map;
        final int seq;
        boolean permit;
        String description = "";
        final int line;
        final List<MatchSpec> matches = new ArrayList<>();
        final Map<String, SetClause> sets = new LinkedHashMap<>();
        ExitPolicy exit = ExitPolicy.EXIT;
        ConfigLine continueLine;

        EntryDraft(String map, int seq, boolean permit, int line) {
            this.map = map;
            this.seq = seq;
            this.permit = permit;
            this.line = line;
        }
    }

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        if (!line.startsWith("route-map")) {
            return false;
        }
        open = null;
        String name = line.token(1);
        if (name == null) {
            problems.error(line, "expected 'route-map NAME [permit|deny] [SEQ]'");
            return true;
        }
        int i = 2;
        Boolean permit = null;
        if (Tokens.is(line.token(i), "permit") || Tokens.is(line.token(i), "deny")) {
            permit = Tokens.is(line.token(i), "permit");
            i++;
        }
        Integer seq = null;
        try {
            if (line.token(i) != null) {
                seq = (int) Tokens.number(line.token(i), 0, 65535, "route-map sequence");
                i++;
            }
            if (line.token(i) != null) {
                throw new IllegalArgumentException("unexpected '" + line.token(i)
                        + "' (expected: route-map NAME [permit|deny] [SEQ])");
            }
        } catch (IllegalArgumentException e) {
            problems.error(line, e.getMessage() + " in route-map " + name);
            return true;
        }
        MapDraft m = maps.computeIfAbsent(name, n -> new MapDraft(n, line.file(), line.number()));
        if (seq == null) {
            if (m.entries.size() > 1) {
                problems.error(line, "route-map " + name + " has " + m.entries.size()
                        + " entries (expected: a sequence number to say which)");
                return true;
            }
            seq = m.entries.isEmpty() ? 10 : m.entries.firstKey();
        }
        EntryDraft e = m.entries.get(seq);
        if (e == null) {
            e = new EntryDraft(name, seq, permit == null || permit, line.number());
            m.entries.put(seq, e);
        } else if (permit != null) {
            e.permit = permit;
        }
        open = e;
        return true;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        if (open == null) {
            return false;
        }
        String first = Tokens.lower(line.token(0));
        String where = " in route-map " + open.map + " seq " + open.seq;
        try {
            switch (first) {
                case "description" -> open.description = line.rest(1);
                case "match" -> open.matches.add(MatchSpec.parse(line));
                case "set" -> {
                    SetClause c = SetParser.parse(line);
                    open.sets.remove(SetParser.key(c));
                    open.sets.put(SetParser.key(c), c);
                }
                case "continue" -> {
                    if (line.size() > 2) {
                        throw new IllegalArgumentException("unexpected '" + line.token(2) + "' (expected: continue [SEQ])");
                    }
                    open.exit = line.size() == 1 ? ExitPolicy.NEXT
                            : ExitPolicy.gotoSeq((int) Tokens.number(line.token(1), 0, 65535, "continue sequence"));
                    open.continueLine = line;
                }
                default -> {
                    return false;
                }
            }
        } catch (IllegalArgumentException e) {
            problems.error(line, e.getMessage() + where);
        }
        return true;
    }

    @Override
    public void closeSubMode() {
        open = null;
    }

    /** Compiles every route-map, resolving list names; problems go to {@code problems}. */
    Map<String, RouteMap> build(Map<String, AccessList> acls, Map<String, PrefixList> v4, Map<String, PrefixList> v6,
                                Problems problems) {
        Map<String, RouteMap> out = new LinkedHashMap<>();
        Map<AccessList, AclMatcher> matchers = new IdentityHashMap<>(); // one per list, however many entries use it
        for (MapDraft m : maps.values()) {
            Map<PrefixList, Integer> slots = new IdentityHashMap<>();
            List<RouteMapEntry> entries = new ArrayList<>();
            for (EntryDraft d : m.entries.values()) {
                String where = "route-map " + m.name + " seq " + d.seq;
                List<MatchClause> clauses = resolve(d, where, acls, v4, v6, slots, matchers, problems);
                ExitPolicy exit = d.exit;
                if (exit.continues()) {
                    if (!d.permit) {
                        problems.warning(d.continueLine, "continue in deny entry " + where + " has no effect");
                        exit = ExitPolicy.EXIT;
                    } else if (exit.kind() == ExitPolicy.Kind.GOTO && exit.target() <= d.seq) {
                        problems.error(d.continueLine, "continue " + exit.target() + " in " + where
                                + " goes backward (expected: a sequence > " + d.seq + ")");
                        exit = ExitPolicy.EXIT;
                    } else if (exit.kind() == ExitPolicy.Kind.GOTO && !m.entries.containsKey(exit.target())) {
                        Integer next = m.entries.higherKey(exit.target());
                        problems.warning(d.continueLine, "continue " + exit.target() + " in " + where
                                + ": no such sequence, continues at " + (next == null ? "the end of the map" : "seq " + next));
                    }
                }
                entries.add(new RouteMapEntry(d.seq, d.permit, d.description, clauses,
                        List.copyOf(d.sets.values()), exit, d.line));
            }
            out.put(m.name, new RouteMap(m.name, entries, slots.size(), m.file, m.line));
        }
        return out;
    }

    private static List<MatchClause> resolve(EntryDraft d, String where, Map<String, AccessList> acls,
                                             Map<String, PrefixList> v4Lists, Map<String, PrefixList> v6Lists,
                                             Map<PrefixList, Integer> slots, Map<AccessList, AclMatcher> matchers,
                                             Problems problems) {
        // several lines of one type are merged into one OR list (IOS)
        Map<MatchSpec.Type, Set<String>> merged = new LinkedHashMap<>();
        Map<MatchSpec.Type, ConfigLine> firstLine = new LinkedHashMap<>();
        for (MatchSpec s : d.matches) {
            merged.computeIfAbsent(s.type(), t -> new LinkedHashSet<>()).addAll(s.values());
            firstLine.putIfAbsent(s.type(), s.line());
        }
        for (boolean v6fam : new boolean[] {false, true}) {
            MatchSpec.Type acl = v6fam ? MatchSpec.Type.ACL6 : MatchSpec.Type.ACL;
            MatchSpec.Type pl = v6fam ? MatchSpec.Type.PREFIX_LIST6 : MatchSpec.Type.PREFIX_LIST;
            if (merged.containsKey(acl) && merged.containsKey(pl)) {
                problems.error(firstLine.get(pl), "'" + pl.text + "' and '" + acl.text + "' in one entry " + where
                        + " (expected: one of them; IOS refuses both)");
            }
        }
        List<MatchClause> out = new ArrayList<>();
        for (Map.Entry<MatchSpec.Type, Set<String>> e : merged.entrySet()) {
            ConfigLine line = firstLine.get(e.getKey());
            List<String> values = List.copyOf(e.getValue());
            switch (e.getKey()) {
                case TAG -> out.add(new TagMatch(values.stream().mapToLong(Long::parseLong).toArray()));
                case INTERFACE -> out.add(new InterfaceMatch(values));
                case ROUTE_TYPE -> {
                    Set<RouteKind> kinds = EnumSet.noneOf(RouteKind.class);
                    values.forEach(v -> kinds.add(RouteTypeMatch.parse(v)));
                    out.add(new RouteTypeMatch(kinds));
                }
                case ACL, ACL6 -> {
                    boolean v6 = e.getKey() == MatchSpec.Type.ACL6;
                    List<AclMatcher> ms = new ArrayList<>();
                    for (String n : values) {
                        AccessList a = acls.get(n);
                        if (a == null) {
                            problems.error(line, e.getKey().text + " " + n + " in " + where + ": access-list " + n
                                    + " is not defined");
                        } else if ((a.kind() == AccessList.Kind.IPV6) != v6) {
                            problems.error(line, e.getKey().text + " " + n + " in " + where + ": access-list " + n
                                    + " is " + a.kind().name().toLowerCase() + " (expected: "
                                    + (v6 ? "an IPv6 access list" : "a standard or extended access list") + ")");
                        } else {
                            ms.add(matchers.computeIfAbsent(a, AclMatcher::new));
                        }
                    }
                    if (ms.size() == values.size()) {
                        out.add(new AclMatch(v6, ms));
                    }
                }
                case PREFIX_LIST, PREFIX_LIST6 -> {
                    boolean v6 = e.getKey() == MatchSpec.Type.PREFIX_LIST6;
                    List<PrefixList> ls = new ArrayList<>();
                    for (String n : values) {
                        PrefixList p = (v6 ? v6Lists : v4Lists).get(n);
                        if (p == null) {
                            problems.error(line, e.getKey().text + " " + n + " in " + where + ": "
                                    + (v6 ? "ipv6" : "ip") + " prefix-list " + n + " is not defined");
                        } else {
                            ls.add(p);
                        }
                    }
                    if (ls.size() == values.size()) {
                        int[] s = new int[ls.size()];
                        for (int i = 0; i < s.length; i++) {
                            s[i] = slots.computeIfAbsent(ls.get(i), x -> slots.size());
                        }
                        out.add(new PrefixListMatch(v6, ls, s));
                    }
                }
                default -> throw new IllegalStateException("match type " + e.getKey());
            }
        }
        return out;
    }
}
