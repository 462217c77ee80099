package net.rrispeaker.config;

import java.net.InetAddress;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.Problems;

/** Small helpers that read one typed argument of a line and report what is wrong with it. */
final class Args {
    private Args() {
    }

    /** An unsigned number in [min, max], or {@code null} after reporting an error naming the token. */
    static Long number(ConfigLine line, int i, String what, long min, long max, Problems problems) {
        String t = line.token(i);
        if (t == null) {
            problems.error(line, "missing " + what + " (expected: " + min + ".." + max + ")");
            return null;
        }
        if (!t.matches("\\d{1,19}")) {
            problems.error(line, what + " '" + t + "' is not a number (expected: " + min + ".." + max + ")");
            return null;
        }
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            v = Long.MAX_VALUE;
        }
        if (v < min || v > max) {
            problems.error(line, what + ": " + t + " (expected: " + min + ".." + max + ")");
            return null;
        }
        return v;
    }

    /** An address literal, or {@code null} after reporting an error naming the token. */
    static InetAddress address(ConfigLine line, int i, String what, Problems problems) {
        String t = line.token(i);
        if (t == null) {
            problems.error(line, "missing " + what);
            return null;
        }
        if (!isAddress(t)) {
            problems.error(line, what + " '" + t + "' is not an IP address");
            return null;
        }
        return Addresses.parse(t);
    }

    /**
     * True if {@code t} is written as an IPv4 dotted quad or an IPv6 address. Stricter than
     * {@link Addresses#isLiteral}, which also takes inet_aton forms such as {@code 250}: in IOS
     * syntax a bare number is a distance or a tag, never an address.
     */
    static boolean isAddress(String t) {
        return t != null && (t.matches("\\d{1,3}(\\.\\d{1,3}){3}") || t.contains(":")) && Addresses.isLiteral(t);
    }

    /** A name argument, or {@code null} after reporting it missing. */
    static String name(ConfigLine line, int i, String what, Problems problems) {
        String t = line.token(i);
        if (t == null) {
            problems.error(line, "missing " + what);
        }
        return t;
    }

    /** Reports tokens after the last one a command takes. */
    static void noMore(ConfigLine line, int i, String command, Problems problems) {
        if (line.size() > i) {
            problems.error(line, "unexpected '" + line.token(i) + "' after " + command);
        }
    }

    /** The line's tokens from {@code from} on, joined with one space. */
    static String join(ConfigLine line, int from) {
        return String.join(" ", line.tokens().subList(Math.min(from, line.size()), line.size()));
    }
}
