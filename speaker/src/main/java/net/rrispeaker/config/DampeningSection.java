package net.rrispeaker.config;

import java.time.Duration;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;

/**
 * {@code rri dampening [HALF-LIFE REUSE SUPPRESS MAX-SUPPRESS]} and {@code rri dampening HALF-LIFE}
 * ({@link DampeningSettings}): IOS {@code bgp dampening}'s arguments in its order, times in seconds
 * (IOS counts minutes; seconds let a lab or a short-lived deployment use small values). Offered
 * lines before {@link RriSection}, so it claims the {@code rri dampening} lines only.
 */
final class DampeningSection implements ConfigSection {
    static final String SYNTAX = "rri dampening [HALF-LIFE-S REUSE SUPPRESS MAX-SUPPRESS-S]";
    /** IOS's ranges: half-life 1..45 min, reuse and suppress 1..20000, max-suppress-time 1..255 min. */
    static final long MAX_HALF_LIFE_S = 45 * 60;
    static final long MAX_LIMIT = 20_000;
    static final long MAX_SUPPRESS_S = 255 * 60;

    private DampeningSettings settings;

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        if (!line.startsWith("rri") || !"dampening".equalsIgnoreCase(line.token(1))) {
            return false;
        }
        DampeningSettings d = DampeningSettings.defaults();
        int args = line.size() - 2;
        if (args == 0) {
            settings = d;
            return true;
        }
        if (args != 1 && args != 4) {
            problems.error(line, "rri dampening takes no number, a half-life, or all four numbers (expected: "
                    + SYNTAX + ")");
            return true;
        }
        Long half = Args.number(line, 2, "dampening half-life seconds", 1, MAX_HALF_LIFE_S, problems);
        if (args == 1) {
            // as IOS: with the half-life alone, the maximum suppress time is four half-lives
            if (half != null) {
                settings = new DampeningSettings(Duration.ofSeconds(half), d.reuse(), d.suppress(),
                        Duration.ofSeconds(4 * half));
            }
            return true;
        }
        Long reuse = Args.number(line, 3, "dampening reuse limit", 1, MAX_LIMIT, problems);
        Long suppress = Args.number(line, 4, "dampening suppress limit", 1, MAX_LIMIT, problems);
        Long max = Args.number(line, 5, "dampening max-suppress-time seconds", 1, MAX_SUPPRESS_S, problems);
        if (half == null || reuse == null || suppress == null || max == null) {
            return true;
        }
        boolean ok = true;
        if (suppress <= reuse) {
            problems.error(line, "dampening suppress limit " + suppress + " must be above the reuse limit " + reuse
                    + " (expected: " + SYNTAX + ", e.g. the IOS defaults 900 750 2000 3600)");
            ok = false;
        }
        if (max < half) {
            problems.error(line, "dampening max-suppress-time " + max + " s is shorter than the half-life " + half
                    + " s (expected: at least the half-life)");
            ok = false;
        }
        if (!ok) {
            return true;
        }
        DampeningSettings s = new DampeningSettings(Duration.ofSeconds(half), reuse.intValue(), suppress.intValue(),
                Duration.ofSeconds(max));
        if (s.maxPenalty() <= suppress) {
            problems.error(line, String.format(java.util.Locale.ROOT, "dampening: the penalty can never exceed %.0f"
                    + " (reuse %d * 2^(max-suppress-time %d s / half-life %d s)), so suppress limit %d would never"
                    + " be reached (expected: a lower suppress limit or a longer max-suppress-time)",
                    s.maxPenalty(), reuse, max, half, suppress));
            return true;
        }
        settings = s;
        return true;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        return false;
    }

    @Override
    public void closeSubMode() {
    }

    /** The settings, or {@code null} when no {@code rri dampening} line turned dampening on. */
    DampeningSettings settings() {
        return settings;
    }
}
