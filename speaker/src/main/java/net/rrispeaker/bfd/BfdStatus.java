package net.rrispeaker.bfd;

import java.time.Instant;
import java.util.List;

/**
 * What the BFD manager reports ({@code show bfd}, {@code show status}, health). Immutable.
 *
 * @param where          bfdd's vty socket
 * @param profile        the speaker's bfdd profile
 * @param polled         a poll has completed since the start (before that, nothing is known)
 * @param bfddReachable  the last poll reached bfdd
 * @param gobgpReachable the last poll reached gobgpd
 * @param sessions       one entry per gobgpd neighbour, in gobgpd's order
 * @param lastError      the last error, {@code ""} when none
 * @param lastErrorAt    when, {@code null} when none
 * @param bfddRestarts   bfdd restarts seen (its vty socket changed); each is followed by a resync
 * @param polledAt       when the last successful poll ended, {@code null} before the first
 */
public record BfdStatus(String where, String profile, boolean polled, boolean bfddReachable, boolean gobgpReachable,
                        List<Entry> sessions, String lastError, Instant lastErrorAt, long bfddRestarts,
                        Instant polledAt) {

    /** Who holds the bfdd peer for a neighbour. */
    public enum Owner { SPEAKER, OPERATOR, NONE }

    /**
     * One neighbour and its BFD session.
     *
     * @param neighbour the neighbour's address (gobgpd's text)
     * @param peer      the bfdd peer ({@code null} when there is none)
     * @param bgpState  gobgpd's session state
     * @param owner     whose bfdd peer it is
     * @param status    bfdd's status of the session, {@code "absent"} when bfdd has no such session
     *                  yet, {@code ""} when there is no peer
     * @param seconds   time in that status
     * @param note      why there is no peer of the speaker's, or {@code ""}
     */
    public record Entry(String neighbour, BfdKey peer, String bgpState, Owner owner, String status, long seconds,
                        String diagnostic, int transmitInterval, int receiveInterval, int detectMultiplier,
                        String note) {
    }

    public BfdStatus {
        sessions = List.copyOf(sessions);
    }

    /** Sessions of the speaker's peers that are not up. */
    public List<Entry> down() {
        return sessions.stream().filter(e -> e.owner() == Owner.SPEAKER && !"up".equals(e.status())).toList();
    }

    /** bfdd and gobgpd reachable, and every session of the speaker's up. */
    public boolean healthy() {
        return polled && bfddReachable && gobgpReachable && down().isEmpty();
    }

    /** One line for {@code show status}. */
    public String summary() {
        if (!polled) {
            return "starting (bfdd " + where + ")" + (lastError.isEmpty() ? "" : "; last error " + lastError);
        }
        long ours = sessions.stream().filter(e -> e.owner() == Owner.SPEAKER).count();
        String s;
        if (!gobgpReachable) {
            s = "DEGRADED: gobgpd not reachable, neighbours unknown; bfdd peers kept as they were";
        } else if (!bfddReachable) {
            s = "DEGRADED: bfdd not reachable (" + where + ")";
        } else if (!down().isEmpty()) {
            s = "DEGRADED: " + down().size() + " of " + ours + " sessions not up ("
                    + String.join(", ", down().stream().map(e -> e.neighbour() + " " + e.status()).toList()) + ")";
        } else {
            s = ours + " sessions up (bfdd " + where + ", profile " + profile + ")";
        }
        if (!lastError.isEmpty()) {
            s += "; last error " + lastError + (lastErrorAt == null ? "" : " at " + lastErrorAt);
        }
        return s + "; bfdd restarts " + bfddRestarts;
    }
}
