package net.rrispeaker.it;

import java.util.ArrayList;
import java.util.List;

/**
 * One differential case: the same route-map (with its prefix-lists and ACLs) written once as IOS
 * configuration for the speaker and once as FRR vtysh commands, over the shared static route pool.
 *
 * <p>The model is the common subset of both: {@link #render} writes it both ways and maps what the
 * two dialects spell differently (see docs/route-maps.md, "Differential test against FRR").
 *
 * @param name        printed in every report line, e.g. {@code gen-17} or {@code rri-supp-RRI}
 * @param ios         the speaker's configuration text (policy plus {@code rri bgp} and {@code router bgp})
 * @param frrDefine   vtysh commands (inside {@code configure terminal}) that define the case's objects
 * @param frrRemove   vtysh commands that remove them again
 * @param frrRedistribute the {@code redistribute static ...} line for FRR's {@code router bgp}
 * @param knownDifference the name of the documented IOS-vs-FRR difference this case shows, or {@code null}
 */
record RouteMapCase(String name, String ios, List<String> frrDefine, List<String> frrRemove, String frrRedistribute,
                    String knownDifference) {

    /** A prefix-list entry: {@code seq N permit|deny P [ge G] [le L]} (0 = absent). */
    record PlEntry(int seq, boolean permit, String prefix, int ge, int le) {
        String text() {
            return "seq " + seq + (permit ? " permit " : " deny ") + prefix + (ge > 0 ? " ge " + ge : "")
                    + (le > 0 ? " le " + le : "");
        }
    }

    /** {@code ip prefix-list NAME ...}. */
    record PrefixListDef(String name, List<PlEntry> entries) {
    }

    /** A numbered ACL; each line is what follows {@code access-list N} (identical in IOS and FRR). */
    record AclDef(int number, List<String> lines) {
    }

    /** A set clause as IOS and as FRR write it ({@code frr == null}: no FRR equivalent, IGP-only). */
    record SetDef(String ios, String frr) {
        static SetDef same(String text) {
            return new SetDef(text, text);
        }
    }

    /**
     * A route-map entry. {@code tags} and {@code ipNames} are ORed value lists ({@code ipKind} is
     * {@code "acl"} or {@code "pl"}); {@code continueTo}: {@code null} none, 0 bare {@code continue}.
     */
    record EntryDef(int seq, boolean permit, String description, List<Long> tags, String ipKind,
                    List<String> ipNames, List<SetDef> sets, Integer continueTo) {
    }

    /** A route-map. */
    record MapDef(String name, List<EntryDef> entries) {
    }

    /**
     * Writes the model both ways. FRR allows one value per match line, so an entry with OR lists
     * (only allowed without {@code continue}) becomes one FRR entry per combination, at sequence
     * {@code 10 * seq + i}, all with the same action and sets: first match decides, so this is the
     * same OR. Every FRR sequence is {@code 10 * seq (+ i)} and {@code continue N} becomes
     * {@code on-match goto 10 * N}; bare {@code continue} becomes {@code on-match next}.
     *
     * @param map       the route-map, or {@code null} to leave {@code mapRef} undefined
     * @param metric    {@code redistribute static metric N}, or {@code null}
     */
    static RouteMapCase render(String name, List<PrefixListDef> pls, List<AclDef> acls, MapDef map, String mapRef,
                               Long metric, String knownDifference) {
        return render(name, pls, acls, map, mapRef, metric, knownDifference, false);
    }

    /**
     * As {@link #render(String, List, List, MapDef, String, Long, String)}; IOS keeps one set clause
     * per kind in an entry (a later {@code set metric} line replaces an earlier one), so FRR gets only
     * the last line of each kind, unless {@code everySetLine} (to show what FRR does with both).
     */
    static RouteMapCase render(String name, List<PrefixListDef> pls, List<AclDef> acls, MapDef map, String mapRef,
                               Long metric, String knownDifference, boolean everySetLine) {
        StringBuilder ios = new StringBuilder();
        List<String> def = new ArrayList<>();
        List<String> rm = new ArrayList<>();
        for (PrefixListDef pl : pls) {
            for (PlEntry e : pl.entries()) {
                ios.append("ip prefix-list ").append(pl.name()).append(' ').append(e.text()).append('\n');
                def.add("ip prefix-list " + pl.name() + " " + e.text());
            }
            rm.add("no ip prefix-list " + pl.name());
        }
        for (AclDef a : acls) {
            for (String l : a.lines()) {
                ios.append("access-list ").append(a.number()).append(' ').append(l).append('\n');
                def.add("access-list " + a.number() + " " + l);
            }
            rm.add("no access-list " + a.number());
        }
        if (map != null) {
            for (EntryDef e : map.entries()) {
                String action = e.permit() ? "permit" : "deny";
                ios.append("route-map ").append(map.name()).append(' ').append(action).append(' ').append(e.seq()).append('\n');
                if (e.description() != null) {
                    ios.append(" description ").append(e.description()).append('\n');
                }
                if (!e.tags().isEmpty()) {
                    ios.append(" match tag").append(join(e.tags())).append('\n');
                }
                if (!e.ipNames().isEmpty()) {
                    ios.append(" match ip address").append(e.ipKind().equals("pl") ? " prefix-list" : "")
                            .append(join(e.ipNames())).append('\n');
                }
                for (SetDef s : e.sets()) {
                    ios.append(' ').append(s.ios()).append('\n');
                }
                if (e.continueTo() != null) {
                    ios.append(" continue").append(e.continueTo() == 0 ? "" : " " + e.continueTo()).append('\n');
                }
                List<Long> tags = e.tags().isEmpty() ? java.util.Collections.singletonList(null) : e.tags();
                List<String> ips = e.ipNames().isEmpty() ? java.util.Collections.singletonList(null) : e.ipNames();
                if (e.continueTo() != null && tags.size() * ips.size() > 1) {
                    throw new IllegalArgumentException(name + ": entry " + e.seq() + " has OR lists and continue");
                }
                int i = 0;
                for (Long t : tags) {
                    for (String ip : ips) {
                        def.add("route-map " + map.name() + " " + action + " " + (10 * e.seq() + i++));
                        if (e.description() != null) {
                            def.add("description " + e.description());
                        }
                        if (t != null) {
                            def.add("match tag " + t);
                        }
                        if (ip != null) {
                            def.add("match ip address " + (e.ipKind().equals("pl") ? "prefix-list " : "") + ip);
                        }
                        for (String s : frrSets(e.sets(), everySetLine)) {
                            def.add(s);
                        }
                        if (e.continueTo() != null) {
                            def.add(e.continueTo() == 0 ? "on-match next" : "on-match goto " + 10 * e.continueTo());
                        }
                        def.add("exit");
                    }
                }
            }
            rm.add("no route-map " + map.name());
        }
        String redistribute = "redistribute static" + (metric == null ? "" : " metric " + metric) + " route-map " + mapRef;
        ios.append("rri bgp next-hop route\n")
                .append("rri bgp tag-community none\n")
                .append("rri bgp distance-local-pref none\n")
                .append("router bgp 65000\n ")
                .append(redistribute).append('\n');
        return new RouteMapCase(name, ios.toString(), def, rm, redistribute, knownDifference);
    }

    /** The FRR set lines of an entry: the last of each kind ({@code set metric}, {@code set community}, ...). */
    private static List<String> frrSets(List<SetDef> sets, boolean everySetLine) {
        java.util.Map<String, String> byKind = new java.util.LinkedHashMap<>();
        List<String> all = new ArrayList<>();
        for (SetDef s : sets) {
            if (s.frr() == null) {
                continue;
            }
            String[] t = s.frr().split(" ");
            String kind = t[0] + " " + t[1];
            byKind.remove(kind);
            byKind.put(kind, s.frr());
            all.add(s.frr());
        }
        return everySetLine ? all : new ArrayList<>(byKind.values());
    }

    private static String join(List<?> values) {
        StringBuilder b = new StringBuilder();
        for (Object v : values) {
            b.append(' ').append(v);
        }
        return b.toString();
    }
}
