package net.rrispeaker.sink.gobgp;

/**
 * Shares equal {@link PathAttributes}: the paths of a concentrator nearly all carry the same few
 * attribute sets (next hop self, the tag's community, the distance's LOCAL_PREF), so keeping one
 * object per set instead of one per path saves its bytes 100,000 times. Direct-mapped by hash, a
 * slot is replaced on a miss: bounded whatever the attributes, never wrong (an equal object is
 * returned or the one given). Not thread-safe: one per owner thread.
 */
final class AttributeCache {
    private static final int SLOTS = 256;
    private final PathAttributes[] slots = new PathAttributes[SLOTS];

    /** An equal instance seen before, or {@code a} itself (remembered for next time). */
    PathAttributes share(PathAttributes a) {
        int h = a.hashCode();
        int i = (h ^ (h >>> 16)) & (SLOTS - 1);
        PathAttributes known = slots[i];
        if (known != null && known.equals(a)) {
            return known;
        }
        slots[i] = a;
        return a;
    }
}
