package net.rrispeaker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code match ipsec-connection} patterns: strongSwan names, {@code *} and {@code ?}, matched without backtracking. */
class ConnectionGlobTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "spokes     | spokes      | true",
        "spokes     | spokes2     | false",
        "spokes*    | spokes      | true",
        "spokes*    | spokes-east | true",
        "Spokes*    | spokes-east | false",
        "*-east     | spokes-east | true",
        "*-east     | spokes-west | false",
        "s?okes     | spokes      | true",
        "s?okes     | sokes       | false",
        "*          | ''          | true",
        "?          | ''          | false",
        "a**b       | ab          | true",
        "a*?b       | ab          | false",
        "a*?b       | axb         | true",
        "a.b        | axb         | false",
        "a+b        | aab         | false",
        "[ab]       | [ab]        | true",
        "[ab]       | a           | false",
        "é?         | éx          | true",
        "?          | \uD83D\uDE00 | true",
    })
    void matchesLikeAShellGlobWithNothingElseSpecial(String glob, String name, boolean expected) {
        assertEquals(expected, new ConnectionGlob(glob).matches(name), glob + " vs " + name);
    }

    /** The textbook dynamic-programming glob match: the reference the automaton must agree with. */
    private static boolean reference(String g, String s) {
        boolean[][] m = new boolean[g.length() + 1][s.length() + 1]; // m[i][j]: g[i..] matches s[j..]
        m[g.length()][s.length()] = true;
        for (int i = g.length() - 1; i >= 0; i--) {
            for (int j = s.length(); j >= 0; j--) {
                char c = g.charAt(i);
                m[i][j] = c == '*' ? m[i + 1][j] || (j < s.length() && m[i][j + 1])
                        : j < s.length() && (c == '?' || c == s.charAt(j)) && m[i + 1][j + 1];
            }
        }
        return m[0][0];
    }

    @Test
    void agreesWithTheRecursiveDefinitionOnRandomPatterns() {
        long seed = Long.getLong("glob.seed", 424242L);
        Random r = new Random(seed);
        String alphabet = "ab*?";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder g = new StringBuilder();
            for (int k = r.nextInt(9); k > 0; k--) {
                g.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            StringBuilder s = new StringBuilder();
            for (int k = r.nextInt(10); k > 0; k--) {
                s.append(r.nextBoolean() ? 'a' : 'b');
            }
            // long patterns cross the 64-state word boundary
            if (i % 10 == 0) {
                g.append("*a".repeat(35));
                s.append("a".repeat(r.nextInt(40)));
            }
            String glob = g.toString();
            String name = s.toString();
            assertEquals(reference(glob, name), new ConnectionGlob(glob).matches(name),
                    () -> "glob '" + glob + "' name '" + name + "' (seed " + seed + ")");
        }
    }

    @Test
    void theCatastrophicRegexCasesAreLinear() {
        // as a regex these backtrack exponentially or recurse once per character
        assertFalse(new ConnectionGlob("*a*a*a*a*a*a*a*a*a*a*a*b").matches("a".repeat(200_000)));
        assertTrue(new ConnectionGlob("?".repeat(5000)).matches("x".repeat(5000)));
        assertFalse(new ConnectionGlob("a".repeat(5000)).matches("a".repeat(4999) + "b"));
    }

    @Test
    void theParserTakesPatternsUpToTheLimit() {
        assertNull(ConnectionGlob.problem("x".repeat(ConnectionGlob.MAX_LENGTH)));
        assertEquals("connection name pattern is 256 characters long (expected: at most 255)",
                ConnectionGlob.problem("x".repeat(256)));
    }
}
