package net.rrispeaker.guard;

import inet.ipaddr.format.util.AssociativeAddressTrie;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6Address;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;
import java.util.Iterator;
import java.util.function.Predicate;
import net.rrispeaker.model.Prefix;

/**
 * Prefixes of both families to values, in the IPAddress library's associative binary tries: the
 * prefixes containing a prefix are found in at most its length steps, the ones inside it by walking
 * only its subtree. Not thread-safe.
 */
final class PrefixMap<V> {
    private final IPv4AddressAssociativeTrie<V> v4 = new IPv4AddressAssociativeTrie<>();
    private final IPv6AddressAssociativeTrie<V> v6 = new IPv6AddressAssociativeTrie<>();
    private int size;

    V get(Prefix p) {
        return p.isIpv4() ? v4.get(key4(p)) : v6.get(key6(p));
    }

    void put(Prefix p, V value) {
        V old = p.isIpv4() ? v4.put(key4(p), value) : v6.put(key6(p), value);
        if (old == null) {
            size++;
        }
    }

    void remove(Prefix p) {
        boolean removed = p.isIpv4() ? v4.remove(key4(p)) : v6.remove(key6(p));
        if (removed) {
            size--;
        }
    }

    int size() {
        return size;
    }

    /** Visits the values of every stored prefix that contains {@code p} (including {@code p}) until {@code visit} says stop. */
    void containing(Prefix p, Predicate<V> visit) {
        AssociativeAddressTrie.AssociativeTrieNode<?, V> list = p.isIpv4() ? v4.elementsContaining(key4(p))
                : v6.elementsContaining(key6(p));
        walk(list, visit);
    }

    /** Visits the values of every stored prefix inside {@code p} (including {@code p}) until {@code visit} says stop. */
    void inside(Prefix p, Predicate<V> visit) {
        AssociativeAddressTrie.AssociativeTrieNode<?, V> sub = p.isIpv4() ? v4.elementsContainedBy(key4(p))
                : v6.elementsContainedBy(key6(p));
        walk(sub, visit);
    }

    private static <V> void walk(AssociativeAddressTrie.AssociativeTrieNode<?, V> root, Predicate<V> visit) {
        if (root == null) {
            return;
        }
        Iterator<? extends AssociativeAddressTrie.AssociativeTrieNode<?, V>> it = root.nodeIterator(true);
        while (it.hasNext()) {
            if (!visit.test(it.next().getValue())) {
                return;
            }
        }
    }

    private static IPv4Address key4(Prefix p) {
        return new IPv4Address(p.network().getAddress(), p.length()).toPrefixBlock();
    }

    private static IPv6Address key6(Prefix p) {
        return new IPv6Address(p.network().getAddress(), p.length()).toPrefixBlock();
    }
}
