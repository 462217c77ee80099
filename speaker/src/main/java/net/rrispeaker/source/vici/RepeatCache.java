package net.rrispeaker.source.vici;

import java.util.Arrays;

/**
 * Values made from bytes that repeat in every SA of a snapshot (the connection and CHILD config
 * names, our own address, our own selectors), shared instead of made again for each SA: 100,000
 * SAs behind one hub subnet then hold one prefix list, not 100,000 equal ones. A small
 * direct-mapped table: a slot holds the last value whose bytes hashed to it, and a lookup compares
 * the bytes in full, so a collision costs only a miss. Slots hold immutable entries and values
 * must be immutable, so any thread may read or replace a slot at any time.
 *
 * @param <T> an immutable value
 */
final class RepeatCache<T> {
    /** Longest key kept: longer bytes are never cached (they would rarely repeat). */
    static final int MAX_KEY = 128;

    private record Entry<T>(byte[] key, T value) {
    }

    private final Entry<?>[] slots;

    /** A cache of {@code size} slots, a power of two. */
    RepeatCache(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size: " + size + " (expected: a power of two)");
        }
        slots = new Entry<?>[size];
    }

    /** The value cached for the bytes {@code b[from, to)}; null if there is none. */
    @SuppressWarnings("unchecked")
    T get(byte[] b, int from, int to) {
        if (to - from > MAX_KEY) {
            return null;
        }
        Entry<?> e = slots[slot(b, from, to)];
        return e != null && Arrays.equals(e.key(), 0, e.key().length, b, from, to) ? (T) e.value() : null;
    }

    /** Keeps {@code value} for the bytes {@code b[from, to)}, in place of what had that slot. */
    void put(byte[] b, int from, int to, T value) {
        if (to - from <= MAX_KEY) {
            slots[slot(b, from, to)] = new Entry<>(Arrays.copyOfRange(b, from, to), value);
        }
    }

    private int slot(byte[] b, int from, int to) {
        int h = to - from;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        return (h ^ (h >>> 16)) & (slots.length - 1);
    }
}
