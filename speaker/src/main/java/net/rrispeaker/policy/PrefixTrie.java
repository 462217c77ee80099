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
    /**
     * For large lists, a shortcut over the first {@value #JUMP_BITS} bits: per value of those bits, the
     * node at that depth (0 = none) and the entries above it on that path, by sequence. Saves the
     * first 16 steps of every lookup of a route at least that long; {@code null} for small lists.
     */
    private final int[] jumpNode;
    private final int[] shallowStart;
    private final int[] shallow;
    private static final int JUMP_BITS = 16;
    private static final int JUMP_MIN_ENTRIES = 1024;

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
        int[][] jump = n >= JUMP_MIN_ENTRIES ? buildJump(n) : null;
        jumpNode = jump == null ? null : jump[0];
        shallowStart = jump == null ? null : jump[1];
        shallow = jump == null ? null : jump[2];
    }

    /** The jump tables, or null if the short entries would repeat too often (e.g. thousands of /4s). */
    private int[][] buildJump(int n) {
        int buckets = 1 << JUMP_BITS;
        int[] node = new int[buckets];
        int[] start = new int[buckets + 1];
        int[] out = new int[Math.max(16, n)];
        int size = 0;
        long limit = 4L * n + buckets;
        List<Integer> here = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            start[b] = size;
            here.clear();
            int base = 0;
            int depth = 0;
            while (true) {
                if (depth == JUMP_BITS) {
                    node[b] = base / STRIDE;
                    break;
                }
                for (int i = nodes[base + 3]; i < nodes[base + STRIDE + 3]; i++) {
                    here.add(i);
                }
                int child = nodes[base + ((b >>> (JUMP_BITS - 1 - depth)) & 1)];
                if (child == 0) {
                    break;
                }
                base = child * STRIDE;
                depth++;
            }
            if (node[b] == 0) {
                here.clear(); // no node at depth 16: a walk from the root is as short
            }
            here.sort(Comparator.comparingInt(i -> seq[i]));
            if (size + here.size() > limit) {
                return null;
            }
            if (size + here.size() > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, size + here.size()));
            }
            for (int i : here) {
                out[size++] = i;
            }
        }
        start[buckets] = size;
        return new int[][] {node, start, Arrays.copyOf(out, size)};
    }

    /** Index of the lowest-sequence matching entry, or -1 (the caller's implicit deny). */
    int lookup(long hi, long lo, int len) {
        if (jumpNode != null && len >= JUMP_BITS) {
            int b = (int) (hi >>> (64 - JUMP_BITS));
            int node = jumpNode[b];
            if (node != 0) {
                // entries above depth 16 on this path, by sequence: the first in range is the best of them
                int best = -1;
                for (int i = shallowStart[b]; i < shallowStart[b + 1]; i++) {
                    int e = shallow[i];
                    if (len >= minLen[e] && len <= maxLen[e]) {
                        best = e;
                        break;
                    }
                }
                return walk(node * STRIDE, JUMP_BITS, hi, lo, len, best);
            }
        }
        return walk(0, 0, hi, lo, len, -1);
    }

    private int walk(int base, int depth, long hi, long lo, int len, int best) {
        int[] t = nodes;
        int bestSeq = best < 0 ? Integer.MAX_VALUE : seq[best];
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
