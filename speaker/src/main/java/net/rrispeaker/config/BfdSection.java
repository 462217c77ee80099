package net.rrispeaker.config;

import java.time.Duration;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;
import net.rrispeaker.ios.Tokens;

/**
 * {@code rri bfd [transmit-interval MS] [receive-interval MS] [detect-multiplier N] [vtysh-socket-dir DIR]
 * [vtysh PATH] [poll-interval SECONDS] [profile NAME]} ({@link BfdSettings}). Offered lines before
 * {@link RriSection}, so it claims the {@code rri bfd} lines. Options may be split over several
 * {@code rri bfd} lines; a later value wins. Any such line turns BFD on.
 */
final class BfdSection implements ConfigSection {
    private static final String SYNTAX = "rri bfd [transmit-interval MS] [receive-interval MS] [detect-multiplier N] "
            + "[vtysh-socket-dir DIR] [vtysh PATH] [poll-interval SECONDS] [profile NAME]";

    private boolean on;
    private BfdSettings s = BfdSettings.defaults();

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        if (!line.startsWith("rri") || !"bfd".equalsIgnoreCase(line.token(1))) {
            return false;
        }
        on = true;
        int tx = s.transmitInterval();
        int rx = s.receiveInterval();
        int mult = s.detectMultiplier();
        String vtysh = s.vtysh();
        String dir = s.vtySocketDir();
        Duration poll = s.pollInterval();
        String profile = s.profile();
        for (int i = 2; i < line.size(); i += 2) {
            String k = line.token(i).toLowerCase();
            if (line.token(i + 1) == null) {
                problems.error(line, "rri bfd " + Tokens.shown(line.token(i)) + ": missing value (expected: " + SYNTAX + ")");
                break;
            }
            switch (k) {
                case "transmit-interval" -> tx = intOr(Args.number(line, i + 1, "transmit-interval milliseconds", 10,
                        60_000, problems), tx);
                case "receive-interval" -> rx = intOr(Args.number(line, i + 1, "receive-interval milliseconds", 10,
                        60_000, problems), rx);
                case "detect-multiplier" -> mult = intOr(Args.number(line, i + 1, "detect-multiplier", 2, 255,
                        problems), mult);
                case "poll-interval" -> {
                    Long sec = Args.number(line, i + 1, "poll-interval seconds", 1, 3600, problems);
                    poll = sec == null ? poll : Duration.ofSeconds(sec);
                }
                case "vtysh-socket-dir" -> dir = absolute(line, i + 1, "vtysh-socket-dir", dir, problems);
                case "vtysh" -> vtysh = absolute(line, i + 1, "vtysh", vtysh, problems);
                case "profile" -> {
                    String p = line.token(i + 1);
                    if (p.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                        profile = p;
                    } else {
                        problems.error(line, "rri bfd profile '" + Tokens.shown(p)
                                + "' (expected: a name of letters, digits, '_', '.', '-', at most 64 characters)");
                    }
                }
                default -> {
                    problems.error(line, "unknown rri bfd setting '" + Tokens.shown(line.token(i)) + "' (expected: "
                            + SYNTAX + ")");
                    return true;
                }
            }
        }
        s = new BfdSettings(tx, rx, mult, vtysh, dir, poll, profile);
        return true;
    }

    private static int intOr(Long v, int old) {
        return v == null ? old : v.intValue();
    }

    private static String absolute(ConfigLine line, int i, String what, String old, Problems problems) {
        String p = line.token(i);
        String why = p.startsWith("/") ? null : "(expected: an absolute path)";
        for (int c = 0; why == null && c < p.length(); c++) {
            if (p.charAt(c) <= ' ' || p.charAt(c) >= 0x7F) {
                why = "(expected: printable ASCII)";
            }
        }
        if (why != null) {
            problems.error(line, "rri bfd " + what + " '" + Tokens.shown(p) + "' " + why);
            return old;
        }
        return p;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        return false;
    }

    @Override
    public void closeSubMode() {
    }

    /** The settings, or {@code null} when no {@code rri bfd} line turned BFD on. */
    BfdSettings settings() {
        return on ? s : null;
    }
}
