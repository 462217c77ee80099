package net.rrispeaker.config;

import java.util.Arrays;

/**
 * A strongSwan connection name pattern ({@code match ipsec-connection GLOB}): {@code *} matches any
 * run of characters, {@code ?} one character, everything else itself (case-sensitive, as
 * strongSwan names are).
 *
 * <p>Matching simulates the pattern's automaton on all its states at once, one bit per pattern
 * position (shift-and): each character of the name costs one pass over {@code length/64} words, and
 * nothing is ever retried. So a name is matched in time linear in its length whatever the pattern
 * ({@code *a*a*a*a...b} included), with no recursion and no regular expression.
 * {@link #problem} bounds the pattern itself at {@value #MAX_LENGTH} characters.
 */
public final class ConnectionGlob {
    /** Longest pattern {@code match ipsec-connection} takes. */
    public static final int MAX_LENGTH = 255;

    private final String text;
    /** Number of states: pattern positions (runs of {@code *} count as one) plus the final one. */
    private final int states;
    private final long[] star;
    private final long[] any;
    /** The characters the pattern holds literally, sorted, and for each the positions where it does. */
    private final int[] chars;
    private final long[][] positions;
    private final long[] none;

    public ConnectionGlob(String text) {
        this.text = text;
        int[] cps = text.codePoints().toArray();
        int n = 0;
        for (int i = 0; i < cps.length; i++) {
            if (!(cps[i] == '*' && n > 0 && i > 0 && cps[i - 1] == '*')) {
                n++;
            }
        }
        states = n + 1;
        int words = (states + 63) / 64;
        star = new long[words];
        any = new long[words];
        none = new long[words];
        chars = Arrays.stream(cps).filter(c -> c != '*' && c != '?').sorted().distinct().toArray();
        positions = new long[chars.length][words];
        int pos = 0;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (c == '*' && i > 0 && cps[i - 1] == '*') {
                continue;
            }
            if (c == '*') {
                set(star, pos);
            } else if (c == '?') {
                set(any, pos);
            } else {
                set(positions[Arrays.binarySearch(chars, c)], pos);
            }
            pos++;
        }
    }

    /**
     * Why {@code glob} cannot be a {@code match ipsec-connection} pattern, or {@code null} if it can.
     * The matcher is linear for any pattern; the bound keeps the per-character cost small.
     */
    public static String problem(String glob) {
        if (glob.length() > MAX_LENGTH) {
            return "connection name pattern is " + glob.length() + " characters long (expected: at most "
                    + MAX_LENGTH + ")";
        }
        return null;
    }

    public boolean matches(String connection) {
        int words = star.length;
        long[] d = new long[words];
        long[] next = new long[words];
        d[0] = 1L; // state 0: nothing of the pattern read yet
        closeOverStars(d);
        for (int i = 0; i < connection.length(); ) {
            int c = connection.codePointAt(i);
            i += Character.charCount(c);
            int k = Arrays.binarySearch(chars, c);
            long[] lit = k >= 0 ? positions[k] : none;
            boolean alive = false;
            long carry = 0;
            for (int w = 0; w < words; w++) {
                long advance = d[w] & (lit[w] | any[w]); // states that read c and move on
                long moved = (advance << 1) | carry;
                carry = advance >>> 63;
                next[w] = moved | (d[w] & star[w]); // a star also reads c and stays
                alive |= next[w] != 0;
            }
            if (!alive) {
                return false;
            }
            long[] t = d;
            d = next;
            next = t;
            closeOverStars(d);
        }
        return (d[(states - 1) >>> 6] & (1L << ((states - 1) & 63))) != 0;
    }

    /** A star may match nothing: a live star state also makes the state after it live. */
    private void closeOverStars(long[] d) {
        long carry = 0;
        for (int w = 0; w < d.length; w++) {
            long s = d[w] & star[w];
            long add = (s << 1) | carry;
            carry = s >>> 63;
            d[w] |= add;
        }
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << (i & 63);
    }

    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionGlob g && g.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
