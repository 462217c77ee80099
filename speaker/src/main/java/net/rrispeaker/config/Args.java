package net.rrispeaker.config;

import java.net.InetAddress;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.ios.Tokens;

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
        if (!Tokens.isDigits(t)) {
            problems.error(line, what + " '" + Tokens.shown(t) + "' is not a number (expected: " + min + ".." + max + ")");
            return null;
        }
        long v = Tokens.value(t);
        if (v < min || v > max) {
            problems.error(line, what + ": " + Tokens.shown(t) + " (expected: " + min + ".." + max + ")");
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
        InetAddress a = Tokens.address(t);
        if (a == null) {
            problems.error(line, what + " '" + Tokens.shown(t) + "' is not an IP address");
        }
        return a;
    }

    /**
     * True if {@code t} is written as an IPv4 dotted quad or an IPv6 address ({@link Tokens#address}):
     * not the inet_aton forms such as {@code 250}, since in IOS syntax a bare number is a distance or
     * a tag, never an address. After it, {@code Addresses.parse(t)} is safe.
     */
    static boolean isAddress(String t) {
        return Tokens.address(t) != null;
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
            problems.error(line, "unexpected '" + Tokens.shown(line.token(i)) + "' after " + command);
        }
    }

    /** The line's tokens from {@code from} on, joined with one space. */
    static String join(ConfigLine line, int from) {
        return String.join(" ", line.tokens().subList(Math.min(from, line.size()), line.size()));
    }
}
