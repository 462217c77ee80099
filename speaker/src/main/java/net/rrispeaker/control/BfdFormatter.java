package net.rrispeaker.control;

import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.bfd.BfdStatus;
import net.rrispeaker.control.api.BfdSession;
import net.rrispeaker.control.api.ShowBfdResponse;

/** {@code show bfd}: the BFD manager's state as the control API's message, and as the CLI's table. */
public final class BfdFormatter {
    private BfdFormatter() {
    }

    /** The message; {@code status == null} means {@code rri bfd} is not configured. */
    static ShowBfdResponse response(BfdStatus status) {
        ShowBfdResponse.Builder b = ShowBfdResponse.newBuilder();
        if (status == null) {
            return b.setEnabled(false).build();
        }
        b.setEnabled(true).setBfddReachable(status.bfddReachable()).setGobgpReachable(status.gobgpReachable())
                .setBfdd(status.where()).setProfile(status.profile()).setLastError(status.lastError())
                .setLastErrorAt(status.lastErrorAt() == null ? "" : status.lastErrorAt().toString())
                .setBfddRestarts(status.bfddRestarts())
                .setPolledAt(status.polledAt() == null ? "" : status.polledAt().toString())
                .setHealthy(status.healthy());
        for (BfdStatus.Entry e : status.sessions()) {
            b.addSessions(BfdSession.newBuilder().setNeighbor(e.neighbour())
                    .setPeer(e.peer() == null ? "" : e.peer().command())
                    .setOwner(e.owner().name().toLowerCase(java.util.Locale.ROOT)).setStatus(e.status())
                    .setSeconds(e.seconds()).setDiagnostic(e.diagnostic())
                    .setTransmitIntervalMs(e.transmitInterval()).setReceiveIntervalMs(e.receiveInterval())
                    .setDetectMultiplier(e.detectMultiplier()).setBgpState(e.bgpState()).setNote(e.note()));
        }
        return b.build();
    }

    /** The CLI's text: a header line, then one row per neighbour (IOS {@code show bfd neighbors} style). */
    public static String format(ShowBfdResponse r) {
        if (!r.getEnabled()) {
            return "BFD is not configured (rri bfd)\n";
        }
        StringBuilder b = new StringBuilder();
        b.append("BFD through bfdd ").append(r.getBfdd()).append(", profile ").append(r.getProfile())
                .append(r.getBfddReachable() ? "" : ", bfdd NOT REACHABLE")
                .append(r.getGobgpReachable() ? "" : ", gobgpd NOT REACHABLE")
                .append(r.getPolledAt().isEmpty() ? ", not polled yet" : ", polled " + r.getPolledAt())
                .append(", bfdd restarts ").append(r.getBfddRestarts()).append('\n');
        if (!r.getLastError().isEmpty()) {
            b.append("last error: ").append(r.getLastError()).append(" at ").append(r.getLastErrorAt()).append('\n');
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Neighbor", "BGP", "BFD", "For", "Tx/Rx/Mult", "Owner", "bfdd peer / note"});
        for (BfdSession s : r.getSessionsList()) {
            String timers = s.getDetectMultiplier() == 0 ? "-"
                    : s.getTransmitIntervalMs() + "/" + s.getReceiveIntervalMs() + "/" + s.getDetectMultiplier();
            String what = s.getPeer().isEmpty() ? s.getNote() : s.getPeer() + (s.getNote().isEmpty() ? "" : " (" + s.getNote() + ")");
            rows.add(new String[] {s.getNeighbor(), s.getBgpState(), s.getStatus().isEmpty() ? "-" : s.getStatus(),
                    s.getStatus().isEmpty() ? "-" : s.getSeconds() + "s", timers, s.getOwner(), what});
        }
        int[] w = new int[7];
        for (String[] row : rows) {
            for (int i = 0; i < 6; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                line.append(row[i]).append(" ".repeat(w[i] - row[i].length() + 2));
            }
            b.append(line.append(row[6]).toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
