package net.rrispeaker.policy;

import java.util.List;
import net.rrispeaker.model.Prefix;

/**
 * A compiled {@code ip prefix-list} or {@code ipv6 prefix-list}: entries by ascending sequence, the
 * first matching entry decides, no match is an implicit deny. Lookups go through a {@link PrefixTrie},
 * so their cost does not grow with the number of entries. Immutable.
 */
public final class PrefixList {
    private final String name;
    private final boolean ipv6;
    private final String description;
    private final List<PrefixListEntry> entries;
    private final PrefixTrie trie;

    /** Compiles a list; entries need not be sorted, sequences must be unique. */
    public PrefixList(String name, boolean ipv6, String description, List<PrefixListEntry> entries) {
        this.name = name;
        this.ipv6 = ipv6;
        this.description = description;
        this.entries = entries.stream()
                .sorted((a, b) -> Integer.compare(a.sequence(), b.sequence())).toList();
        for (PrefixListEntry e : this.entries) {
            if (e.prefix().isIpv6() != ipv6) {
                throw new IllegalArgumentException("prefix-list " + name + ": " + e.prefix()
                        + " (expected: " + (ipv6 ? "IPv6" : "IPv4") + ")");
            }
        }
        this.trie = new PrefixTrie(this.entries);
    }

    public String name() {
        return name;
    }

    public boolean isIpv6() {
        return ipv6;
    }

    public String description() {
        return description;
    }

    public List<PrefixListEntry> entries() {
        return entries;
    }

    /** The entry that decides for this route, or {@code null} (implicit deny). */
    public PrefixListEntry firstMatch(Prefix route) {
        if (route.isIpv6() != ipv6) {
            return null;
        }
        RouteFacts f = new RouteFacts(route);
        int i = trie.lookup(f.hi, f.lo, f.len);
        return i < 0 ? null : trie.entry(i);
    }

    /** True if the first matching entry permits; false on a deny entry or no match. */
    public boolean permits(Prefix route) {
        PrefixListEntry e = firstMatch(route);
        return e != null && e.permit();
    }

    boolean permits(RouteFacts r) {
        if (r.v6 != ipv6) {
            return false;
        }
        int i = trie.lookup(r.hi, r.lo, r.len);
        return i >= 0 && trie.permits(i);
    }

    @Override
    public String toString() {
        return (ipv6 ? "ipv6" : "ip") + " prefix-list " + name + " (" + entries.size() + " entries)";
    }
}
