package net.rrispeaker.source.vici;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte-reading selector parser against the string parser it replaced
 * ({@link TrafficSelectorsReference}), on the seeded selectors of {@link TrafficSelectorsFuzzTest}
 * (valid ones of every form, their mutations, random text): the same prefixes, the same refusal
 * reason and the same words for every one, read from a string or from the bytes of a wire
 * message; and whole lists give the same prefixes in the same order without duplicates. Reproduce
 * a failure with {@code -Drri.fuzz.seed=N}.
 */
class TrafficSelectorsDifferentialTest {
    private static final long SEED = Long.getLong("rri.fuzz.seed", 20_260_501L);
    private static final int CASES = 30_000;
    private static final String ALPHABET = "0123456789abcdefABCDEF:./-[]%xyz ,\t\n\u0000\uff10\u0660\u202e\u00e9";

    @Test
    void everySelectorReadsAsBefore() {
        Random rnd = new Random(SEED);
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            String text = switch (i % 3) {
                case 0 -> TrafficSelectorsFuzzTest.validSelector(rnd);
                case 1 -> TrafficSelectorsFuzzTest.mutate(TrafficSelectorsFuzzTest.validSelector(rnd), rnd);
                default -> random(rnd);
            };
            TrafficSelectors.Result expected = TrafficSelectorsReference.parseOne(text);
            String where = "seed=" + SEED + " case=" + i + " selector=\"" + LogText.safe(text) + "\"";
            assertEquals(expected, TrafficSelectors.parseOne(text), where);
            assertEquals(TrafficSelectorsReference.parse(List.of(text)), fromWire(List.of(text), rnd), where + " (from wire bytes)");
            if (expected instanceof TrafficSelectors.Refused) {
                refused++;
            }
        }
        assertTrue(refused > CASES / 5 && refused < CASES * 4 / 5, "both outcomes exercised: " + refused);
    }

    @Test
    void listsOfManySelectorsKeepOrderAndDropDuplicatesAsBefore() {
        Random rnd = new Random(SEED);
        for (int i = 0; i < 2_000; i++) {
            List<String> list = new ArrayList<>();
            for (int n = rnd.nextInt(i % 10 == 0 ? 80 : 8); n > 0; n--) {
                list.add(rnd.nextInt(3) == 0 && !list.isEmpty() ? list.get(rnd.nextInt(list.size()))
                        : rnd.nextInt(4) == 0 ? TrafficSelectorsFuzzTest.mutate(TrafficSelectorsFuzzTest.validSelector(rnd), rnd)
                        : TrafficSelectorsFuzzTest.validSelector(rnd));
            }
            String where = "seed=" + SEED + " case=" + i + " list=" + list;
            TrafficSelectors.Parsed expected = TrafficSelectorsReference.parse(list);
            assertEquals(expected, TrafficSelectors.parse(list), where);
            assertEquals(expected, fromWire(list, rnd), where + " (from wire bytes)");
        }
    }

    /** The list as the conversion reads it: each item's bytes at some offset of a larger array, one reused collector. */
    private static TrafficSelectors.Parsed fromWire(List<String> items, Random rnd) {
        TrafficSelectors.Collector c = new TrafficSelectors.Collector();
        c.add("10.0.0.0/8");
        c.clear();   // a list read before must leave nothing behind
        for (String item : items) {
            byte[] t = item.getBytes(StandardCharsets.UTF_8);
            int before = rnd.nextInt(4);
            byte[] buf = new byte[before + t.length + rnd.nextInt(4)];
            java.util.Arrays.fill(buf, (byte) '1');
            System.arraycopy(t, 0, buf, before, t.length);
            c.add(buf, before, before + t.length);
        }
        return c.done();
    }

    private static String random(Random rnd) {
        StringBuilder sb = new StringBuilder();
        for (int n = rnd.nextInt(rnd.nextInt(20) == 0 ? 260 : 40); n > 0; n--) {
            sb.append(rnd.nextInt(50) == 0 ? (char) rnd.nextInt(0x3000) : ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
