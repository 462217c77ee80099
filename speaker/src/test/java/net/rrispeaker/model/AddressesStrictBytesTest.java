package net.rrispeaker.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass byte parser behind {@link Addresses#strictBytes} against the string parser it
 * replaced ({@link StrictAddressReference}), on seeded random text: every address form a daemon
 * prints (IPv4, full, compressed at any zero run, leading zeros, either case, dotted-quad tail),
 * mutations of those, and random text from the characters addresses are made of. Both must accept
 * exactly the same texts with exactly the same bytes, also when the text sits inside a larger
 * buffer. Reproduce a failure with {@code -Drri.fuzz.seed=N}.
 */
class AddressesStrictBytesTest {
    private static final long SEED = Long.getLong("rri.fuzz.seed", 20_260_501L);
    private static final int CASES = 100_000;
    private static final String ALPHABET = "0123456789abcdefABCDEF::::....%/ xg\u00e9";

    @Test
    void byteParserAcceptsExactlyWhatTheStringParserAccepted() {
        Random rnd = new Random(SEED);
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            String text = switch (i % 3) {
                case 0 -> address(rnd);
                case 1 -> mutate(address(rnd), rnd);
                default -> random(rnd);
            };
            byte[] expected = StrictAddressReference.strictBytes(text);
            String where = "seed=" + SEED + " case=" + i + " text=\"" + text + "\"";
            assertArrayEquals(expected, Addresses.strictBytes(text), where);
            assertArrayEquals(expected, inBuffer(text, rnd), where + " (inside a larger buffer)");
            if (expected != null) {
                accepted++;
            }
        }
        assertTrue(accepted > CASES / 4 && accepted < CASES * 3 / 4, "both outcomes exercised: " + accepted);
    }

    @Test
    void textOfTheWrongLengthIsNoAddress() {
        byte[] out = new byte[16];
        assertEquals(0, Addresses.strictBytes(new byte[0], 0, 0, out));
        byte[] long46 = "0000:0000:0000:0000:0000:ffff:192.168.100.200x".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0, Addresses.strictBytes(long46, 0, long46.length, out));
        assertEquals(16, Addresses.strictBytes(long46, 0, long46.length - 1, out), "45 characters are still read");
    }

    /** The byte parser on the text placed at a random offset of a buffer with other bytes around it. */
    private static byte[] inBuffer(String text, Random rnd) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        if (t.length != text.length()) {
            return null;   // non-ASCII: the string form already answered for it
        }
        int before = rnd.nextInt(5);
        byte[] buf = new byte[before + t.length + rnd.nextInt(5)];
        for (int i = 0; i < buf.length; i++) {
            buf[i] = (byte) "9:.af".charAt(rnd.nextInt(5));
        }
        System.arraycopy(t, 0, buf, before, t.length);
        byte[] out = new byte[16];
        int n = Addresses.strictBytes(buf, before, before + t.length, out);
        return n == 0 ? null : Arrays.copyOf(out, n);
    }

    /** An address in one of the forms a daemon may print. */
    private static String address(Random rnd) {
        if (rnd.nextInt(4) == 0) {
            return (rnd.nextInt(256)) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(3) == 0 ? rnd.nextInt(16) : rnd.nextInt(0x10000);
        }
        boolean quad = rnd.nextInt(4) == 0;
        int groups = quad ? 6 : 8;
        String[] parts = new String[groups];
        for (int i = 0; i < groups; i++) {
            String h = Integer.toHexString(g[i]);
            if (rnd.nextInt(5) == 0) {
                h = "0".repeat(rnd.nextInt(5 - h.length())) + h;
            }
            parts[i] = rnd.nextBoolean() ? h : h.toUpperCase();
        }
        // "::" over a random run of zero groups, if there is one
        int start = -1;
        int end = -1;
        if (rnd.nextInt(4) != 0) {
            int at = rnd.nextInt(groups);
            if (g[at] == 0) {
                start = at;
                end = at;
                while (end + 1 < groups && g[end + 1] == 0 && rnd.nextInt(4) != 0) {
                    end++;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < groups; i++) {
            if (i == start) {
                sb.append("::");
                i = end;
                continue;
            }
            if (sb.length() > 0 && !(sb.charAt(sb.length() - 1) == ':' && sb.length() >= 2 && sb.charAt(sb.length() - 2) == ':')) {
                sb.append(':');
            }
            sb.append(parts[i]);
        }
        if (quad) {
            if (!sb.toString().endsWith("::")) {
                sb.append(':');
            }
            sb.append(rnd.nextInt(256)).append('.').append(rnd.nextInt(256)).append('.').append(rnd.nextInt(256))
                    .append('.').append(rnd.nextInt(256));
        }
        return sb.toString();
    }

    private static String mutate(String s, Random rnd) {
        StringBuilder sb = new StringBuilder(s);
        for (int e = 1 + rnd.nextInt(3); e > 0; e--) {
            int at = sb.length() == 0 ? 0 : rnd.nextInt(sb.length());
            char c = ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
            switch (rnd.nextInt(5)) {
                case 0 -> sb.insert(at, c);
                case 1 -> {
                    if (sb.length() > 0) {
                        sb.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (sb.length() > 0) {
                        sb.setCharAt(at, c);
                    }
                }
                case 3 -> sb.insert(at, rnd.nextBoolean() ? "::" : ".0");
                default -> sb.setLength(at);
            }
        }
        return sb.toString();
    }

    private static String random(Random rnd) {
        StringBuilder sb = new StringBuilder();
        for (int n = rnd.nextInt(47); n > 0; n--) {
            sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
