package net.rrispeaker.ios;

import java.util.Locale;

/** Number and keyword parsing shared by the policy parsers; failures are {@link IllegalArgumentException}s with the token. */
public final class Tokens {
    public static final long U32 = 0xFFFFFFFFL;

    private Tokens() {
    }

    /** Parses a decimal in {@code min..max}; the message names {@code what}, the token and the range. */
    public static long number(String token, long min, long max, String what) {
        long v;
        try {
            v = Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + token + "' (expected: " + min + "-" + max + ")");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + v + " (expected: " + min + "-" + max + ")");
        }
        return v;
    }

    public static boolean is(String token, String keyword) {
        return token != null && token.equalsIgnoreCase(keyword);
    }

    public static String lower(String token) {
        return token.toLowerCase(Locale.ROOT);
    }
}
