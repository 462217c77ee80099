package net.rrispeaker.ios;

import java.util.List;

/**
 * One non-blank, non-comment configuration line: where it is, its text and its tokens
 * (split on whitespace; IOS has no quoting except for {@code description} text, which a section
 * takes from {@link #text()}).
 */
public record ConfigLine(String file, int number, String text, List<String> tokens) {

    public ConfigLine {
        tokens = List.copyOf(tokens);
    }

    /** {@code file:line}, the prefix of every message about this line. */
    public String where() {
        return file + ":" + number;
    }

    public int size() {
        return tokens.size();
    }

    public String token(int i) {
        return i < tokens.size() ? tokens.get(i) : null;
    }

    /** True if the first tokens equal {@code words} (case-insensitive, IOS keywords are). */
    public boolean startsWith(String... words) {
        if (tokens.size() < words.length) {
            return false;
        }
        for (int i = 0; i < words.length; i++) {
            if (!tokens.get(i).equalsIgnoreCase(words[i])) {
                return false;
            }
        }
        return true;
    }

    /** The text after the first {@code n} tokens, as written (for descriptions). */
    public String rest(int n) {
        String t = text.strip();
        for (int i = 0; i < n && !t.isEmpty(); i++) {
            int sp = indexOfSpace(t);
            t = sp < 0 ? "" : t.substring(sp).strip();
        }
        return t;
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
