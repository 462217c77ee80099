package net.rrispeaker.control;

import java.util.Locale;
import net.rrispeaker.control.api.DampenedPeer;
import net.rrispeaker.control.api.ShowDampeningResponse;

/**
 * Renders {@code show dampening}: the numbers in force, then one line per remote peer with a flap
 * history, in the manner of IOS {@code show ip bgp dampening flap-statistics} (status {@code d} for a
 * suppressed peer, {@code h} for history only; Duration since the first flap, Reuse as hh:mm:ss).
 */
public final class DampeningFormatter {
    private static final String ROW = "%-2s %-39s %-24s %5s %8s %8s %7s %4s %6s%n";

    private DampeningFormatter() {
    }

    public static String format(ShowDampeningResponse r) {
        if (!r.getEnabled()) {
            return "Dampening is off (no 'rri dampening' line in the configuration)\n";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Dampening: half-life %d s, reuse %d, suppress %d, max-suppress-time %d s,"
                        + " maximum penalty %d%n", r.getHalfLifeS(), r.getReuse(), r.getSuppress(), r.getMaxSuppressS(),
                r.getMaxPenalty()));
        sb.append("Status codes: d damped (routes kept, not announced), h history\n");
        sb.append(String.format(Locale.ROOT, ROW, "", "Peer", "Identity", "Flaps", "Duration", "Reuse", "Penalty",
                "SAs", "Routes"));
        for (DampenedPeer p : r.getPeersList()) {
            sb.append(String.format(Locale.ROOT, ROW, p.getSuppressed() ? "d" : "h", p.getRemoteHost(),
                    p.getRemoteId().isEmpty() ? "-" : p.getRemoteId(), p.getFlaps(), hms(p.getSinceFirstFlapMs()),
                    p.getSuppressed() ? hms(p.getReuseInMs()) : "", p.getPenalty(), p.getSas(),
                    p.getDampenedRoutes()));
        }
        return sb.toString();
    }

    /** hh:mm:ss, rounded up to the second (a reuse 0.3 s away shows 00:00:01). */
    static String hms(long ms) {
        long s = (ms + 999) / 1000;
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
