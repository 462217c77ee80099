package net.rrispeaker.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A binary trie over prefix bits that answers "which is the lowest-sequence entry of this prefix-list
 * that matches this route" in at most {@code route length} steps, independent of the list's size.
 *
 * <p>An entry {@code P/len [ge G] [le L]} sits at the node for {@code P/len}; a route can only be
 * matched by entries on the path from the root to the route's own node, so the lookup walks that
 * path and, at each node, tests the entries there (sorted by sequence) against the route length.
 * Each node also keeps the lowest sequence in its subtree, which stops the walk as soon as nothing
 * below could beat the best entry found so far.
 *
 * <p>Why our own rather than the IPAddress library's {@code AssociativeAddressTrie}: we need
 * first-by-sequence semantics with per-entry length ranges and several entries per node, and a
 * lookup that allocates nothing; the library's containing-lookups return node lists. The nodes
 * live in flat {@code int} arrays (no object per node) to stay compact and cache-friendly with
 * 100,000 entries. Immutable after construction.
 */
final class PrefixTrie {
    /**
     * Per node, interleaved so one cache line serves a step: [child for bit 0, child for bit 1,
     * lowest sequence in the subtree, index of the node's first entry]. The entries of node n end
     * where those of node n+1 start (a sentinel node closes the array). Child 0 means none.
     */
    private final int[] nodes;
    private static final int STRIDE = 4;
    private final int[] seq;
    private final short[] minLen;
    private final short[] maxLen;
    private final boolean[] permit;
    private final PrefixListEntry[] entries;

    PrefixTrie(List<PrefixListEntry> list) {
        Builder b = new Builder(list.size());
        for (PrefixListEntry e : list) {
            b.insert(e);
        }
        int count = b.size;
        nodes = new int[(count + 1) * STRIDE];
        int n = list.size();
        seq = new int[n];
        minLen = new short[n];
        maxLen = new short[n];
        permit = new boolean[n];
        entries = new PrefixListEntry[n];
        int next = 0;
        for (int node = 0; node < count; node++) {
            int base = node * STRIDE;
            nodes[base] = b.zero[node];
            nodes[base + 1] = b.one[node];
            nodes[base + 3] = next;
            List<PrefixListEntry> here = b.at.get(node);
            if (here == null) {
                continue;
            }
            here.sort(Comparator.comparingInt(PrefixListEntry::sequence));
            for (PrefixListEntry e : here) {
                seq[next] = e.sequence();
                minLen[next] = (short) e.minLength();
                maxLen[next] = (short) e.maxLength();
                permit[next] = e.permit();
                entries[next] = e;
                next++;
            }
        }
        nodes[count * STRIDE + 3] = next;
        // children always have higher indexes than their parent: fill the subtree minimum bottom-up
        for (int node = count - 1; node >= 0; node--) {
            int base = node * STRIDE;
            int m = nodes[base + 3] < nodes[base + STRIDE + 3] ? seq[nodes[base + 3]] : Integer.MAX_VALUE;
            if (nodes[base] > 0) {
                m = Math.min(m, nodes[nodes[base] * STRIDE + 2]);
            }
            if (nodes[base + 1] > 0) {
                m = Math.min(m, nodes[nodes[base + 1] * STRIDE + 2]);
            }
            nodes[base + 2] = m;
        }
    }

    /** Index of the lowest-sequence matching entry, or -1 (the caller's implicit deny). */
    int lookup(long hi, long lo, int len) {
        int[] t = nodes;
        int best = -1;
        int bestSeq = Integer.MAX_VALUE;
        int base = 0;
        int depth = 0;
        while (true) {
            if (t[base + 2] >= bestSeq) {
                return best;
            }
            int end = t[base + STRIDE + 3];
            for (int i = t[base + 3]; i < end; i++) {
                if (seq[i] >= bestSeq) {
                    break;
                }
                if (len >= minLen[i] && len <= maxLen[i]) {
                    best = i;
                    bestSeq = seq[i];
                    break;
                }
            }
            if (depth == len) {
                return best;
            }
            int child = t[base + RouteFacts.bit(hi, lo, depth)];
            if (child == 0) {
                return best;
            }
            base = child * STRIDE;
            depth++;
        }
    }

    boolean permits(int index) {
        return permit[index];
    }

    PrefixListEntry entry(int index) {
        return entries[index];
    }

    int nodeCount() {
        return nodes.length / STRIDE - 1;
    }

    /** Growable arrays used only while building; node 0 is the root, child index 0 means "none". */
    private static final class Builder {
        int[] zero;
        int[] one;
        int size = 1;
        final List<List<PrefixListEntry>> at = new ArrayList<>();

        Builder(int expected) {
            int cap = Math.max(16, expected * 4);
            zero = new int[cap];
            one = new int[cap];
            at.add(null);
        }

        void insert(PrefixListEntry e) {
            byte[] b = e.prefix().network().getAddress();
            int node = 0;
            for (int depth = 0; depth < e.prefix().length(); depth++) {
                int bit = (b[depth / 8] >>> (7 - depth % 8)) & 1;
                int[] side = bit == 0 ? zero : one;
                int child = side[node];
                if (child == 0) {
                    child = newNode();
                    (bit == 0 ? zero : one)[node] = child;
                }
                node = child;
            }
            List<PrefixListEntry> here = at.get(node);
            if (here == null) {
                here = new ArrayList<>(1);
                at.set(node, here);
            }
            here.add(e);
        }

        private int newNode() {
            if (size == zero.length) {
                zero = Arrays.copyOf(zero, size * 2);
                one = Arrays.copyOf(one, size * 2);
            }
            at.add(null);
            return size++;
        }
    }
}
