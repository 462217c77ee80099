package net.rrispeaker.guard;

import java.net.Inet4Address;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;

/**
 * Prefixes of both families to values, kept in prefix order (network, then length) in a sorted
 * map of two-long keys. The prefixes inside a prefix are one contiguous range of that order, found
 * in O(log n); the prefixes containing one are found by one lookup per prefix length in use (a
 * handful in practice, at most the prefix's length). The IPAddress library's associative trie does
 * the same and was measured at several microseconds per lookup, which a 100,000-SA burst pays
 * several times per SA. Not thread-safe.
 *
 * <p>An IPv4 prefix is keyed by one {@code Long} (network in bits 8..39, length in bits 0..7, so
 * the numeric order is the prefix order): a guard holds two entries per SA, and a key record of
 * two longs cost 40 bytes each. IPv6 prefixes keep the record.
 */
final class PrefixMap<V> {
    /** A prefix as bits: IPv4 in the top 32 bits of {@code hi}. Ordered by family, network, then length. */
    private record Key(boolean v6, long hi, long lo, int len) implements Comparable<Key> {
        static Key of(Prefix p) {
            byte[] b = p.network().getAddress();
            if (b.length == 4 && p.length() > 32) {
                // an IPv4-mapped IPv6 network that Java's InetAddress turned into IPv4 bytes
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(b, 0, mapped, 12, 4);
                b = mapped;
            }
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < b.length; i++) {
                if (i < 8) {
                    hi = hi << 8 | (b[i] & 0xFF);
                } else {
                    lo = lo << 8 | (b[i] & 0xFF);
                }
            }
            if (b.length == 4) {
                hi <<= 32;
            }
            return new Key(b.length == 16, hi, lo, p.length());
        }

        /** This prefix cut to {@code l} bits. */
        Key cut(int l) {
            return new Key(v6, hi & mask(l), lo & mask(l - 64), l);
        }

        /** The last address of this prefix, as a host key. */
        Key last() {
            return new Key(v6, hi | ~mask(len), lo | ~mask(len - 64), v6 ? 128 : 32);
        }

        /** The top {@code bits} of a long set (0 or less: none, 64 or more: all). */
        private static long mask(int bits) {
            return bits <= 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
        }

        @Override
        public int compareTo(Key o) {
            if (v6 != o.v6) {
                return v6 ? 1 : -1;
            }
            int c = Long.compareUnsigned(hi, o.hi);
            if (c == 0) {
                c = Long.compareUnsigned(lo, o.lo);
            }
            return c != 0 ? c : Integer.compare(len, o.len);
        }
    }

    /** True if one of the two prefixes contains the other (same family). */
    static boolean overlap(Prefix a, Prefix b) {
        Key x = Key.of(a);
        Key y = Key.of(b);
        if (x.v6 != y.v6) {
            return false;
        }
        int l = Math.min(x.len, y.len);
        return x.cut(l).equals(y.cut(l));
    }

    /** IPv4 keys ({@code Long}) first, then IPv6 ({@link Key}). */
    private static final Comparator<Object> ORDER = (a, b) -> {
        if (a instanceof Long x) {
            return b instanceof Long y ? Long.compare(x, y) : -1;
        }
        return b instanceof Long ? 1 : ((Key) a).compareTo((Key) b);
    };

    private static long v4(long network, int len) {
        return network << 8 | len;
    }

    /** The top {@code bits} of a 32-bit address set. */
    private static long mask32(int bits) {
        return bits <= 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    }

    /** The map key of {@code p}: a {@code Long} for IPv4, a {@link Key} otherwise. */
    private static Object keyOf(Prefix p) {
        if (p.network() instanceof Inet4Address a && p.length() <= 32) {
            return v4(Addresses.ipv4Bits(a) & 0xFFFFFFFFL, p.length());
        }
        return Key.of(p);
    }

    private static int family(Object k) {
        return k instanceof Long || !((Key) k).v6 ? 0 : 1;
    }

    private static int length(Object k) {
        return k instanceof Long x ? (int) (x & 0xFF) : ((Key) k).len;
    }

    private final TreeMap<Object, V> map = new TreeMap<>(ORDER);
    /** How many stored prefixes have each length, per family (IPv4: [0], IPv6: [1]). */
    private final int[][] lengths = {new int[33], new int[129]};

    V get(Prefix p) {
        return map.get(keyOf(p));
    }

    void put(Prefix p, V value) {
        Object k = keyOf(p);
        if (map.put(k, value) == null) {
            lengths[family(k)][length(k)]++;
        }
    }

    void remove(Prefix p) {
        Object k = keyOf(p);
        if (map.remove(k) != null) {
            lengths[family(k)][length(k)]--;
        }
    }

    int size() {
        return map.size();
    }

    /** Visits the values of the stored prefixes containing {@code p} ({@code p} included), longest first, until {@code visit} says stop. */
    void containing(Prefix p, Predicate<V> visit) {
        Object o = keyOf(p);
        if (o instanceof Long x) {
            long network = x >>> 8;
            int len = (int) (x & 0xFF);
            int[] used = lengths[0];
            for (int l = len; l >= 0; l--) {
                if (used[l] > 0) {
                    V v = map.get(l == len ? o : (Object) v4(network & mask32(l), l));
                    if (v != null && !visit.test(v)) {
                        return;
                    }
                }
            }
            return;
        }
        Key k = (Key) o;
        int[] used = lengths[k.v6 ? 1 : 0];
        for (int l = k.len; l >= 0; l--) {
            if (used[l] > 0) {
                V v = map.get(l == k.len ? k : k.cut(l));
                if (v != null && !visit.test(v)) {
                    return;
                }
            }
        }
    }

    /** Visits the values of the stored prefixes inside {@code p} ({@code p} included), in prefix order, until {@code visit} says stop. */
    void inside(Prefix p, Predicate<V> visit) {
        Object k = keyOf(p);
        int[] used = lengths[family(k)];
        int l = length(k);
        while (l < used.length && used[l] == 0) {
            l++;
        }
        if (l == used.length) {
            return; // nothing stored is this long or longer: nothing can be inside
        }
        Object last;
        if (k instanceof Long x) {
            last = v4((x >>> 8) | (~mask32((int) (x & 0xFF)) & 0xFFFFFFFFL), 32);
        } else {
            last = ((Key) k).last();
        }
        for (Map.Entry<Object, V> e : map.subMap(k, true, last, true).entrySet()) {
            if (!visit.test(e.getValue())) {
                return;
            }
        }
    }
}
