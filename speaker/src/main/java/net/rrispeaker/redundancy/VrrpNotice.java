package net.rrispeaker.redundancy;

/**
 * One notification from keepalived: a line of its notify FIFO ({@code INSTANCE "VI_1" MASTER 150})
 * or the four arguments its {@code notify} script gets ({@code INSTANCE VI_1 MASTER 150}).
 *
 * @param group    true for {@code GROUP} (a {@code vrrp_sync_group}), false for {@code INSTANCE}
 * @param name     the instance or sync group name
 * @param state    the state it is in now; {@code null} for a notice that keeps the state and only
 *                 reports a priority ({@code MASTER_PRIORITY}, {@code BACKUP_PRIORITY}) or an event
 *                 ({@code MASTER_RX_LOWER_PRI}), and for {@code STOP} of keepalived as a whole
 * @param priority the priority keepalived reported, 0..255
 * @param stopAll  true for keepalived's bare {@code STOP} line: every instance it runs stops
 */
public record VrrpNotice(boolean group, String name, VrrpState state, int priority, boolean stopAll) {

    /** The bare {@code STOP} line. */
    public static final VrrpNotice STOP_ALL = new VrrpNotice(false, "", null, 0, true);

    /** At most this many characters are read of one line; a longer one is malformed. */
    public static final int MAX_LINE = 512;

    /**
     * Parses one FIFO line. Strict: keepalived writes exactly {@code TYPE "NAME" STATE PRIORITY};
     * anything else (including the checker's {@code VS}/{@code RS} lines, which do not belong on a
     * VRRP FIFO) is refused with a message naming what is wrong.
     *
     * @throws IllegalArgumentException for a line that is not a VRRP notification
     */
    public static VrrpNotice parseFifoLine(String line) {
        if (line.length() > MAX_LINE) {
            throw new IllegalArgumentException("line longer than " + MAX_LINE + " characters");
        }
        String t = line.strip();
        if (t.equals("STOP")) {
            return STOP_ALL;
        }
        int sp = t.indexOf(' ');
        if (sp < 0) {
            throw new IllegalArgumentException("expected: INSTANCE|GROUP \"NAME\" STATE PRIORITY");
        }
        String type = t.substring(0, sp);
        String rest = t.substring(sp + 1);
        if (!rest.startsWith("\"")) {
            throw new IllegalArgumentException("name not in double quotes (expected: " + type + " \"NAME\" STATE PRIORITY)");
        }
        int close = rest.indexOf('"', 1);
        if (close < 0) {
            throw new IllegalArgumentException("unterminated quoted name");
        }
        String name = rest.substring(1, close);
        String tail = rest.substring(close + 1);
        if (!tail.startsWith(" ")) {
            throw new IllegalArgumentException("expected a space after the quoted name");
        }
        String[] f = tail.strip().split(" +");
        if (f.length != 2) {
            throw new IllegalArgumentException("expected STATE PRIORITY after the name, got " + f.length + " fields");
        }
        return of(type, name, f[0], f[1]);
    }

    /**
     * The four arguments of keepalived's {@code notify} script: type, name, state, priority.
     *
     * @throws IllegalArgumentException for arguments that are not a VRRP notification
     */
    public static VrrpNotice of(String type, String name, String state, String priority) {
        boolean group;
        if (type.equals("INSTANCE")) {
            group = false;
        } else if (type.equals("GROUP")) {
            group = true;
        } else {
            throw new IllegalArgumentException("type '" + shown(type) + "' (expected: INSTANCE or GROUP)");
        }
        if (name.isEmpty() || name.length() > 128 || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"')) {
            throw new IllegalArgumentException("name '" + shown(name) + "' (expected: 1..128 printable characters)");
        }
        int prio = priority(priority);
        VrrpState s = VrrpState.ofKeepalived(state);
        if (s == null && !state.equals("MASTER_RX_LOWER_PRI") && !state.equals("MASTER_PRIORITY")
                && !state.equals("BACKUP_PRIORITY")) {
            throw new IllegalArgumentException("state '" + shown(state)
                    + "' (expected: MASTER, BACKUP, FAULT, STOP, DELETED, MASTER_RX_LOWER_PRI, MASTER_PRIORITY, BACKUP_PRIORITY)");
        }
        if (state.equals("MASTER_PRIORITY")) {
            s = VrrpState.MASTER; // a priority change of a master: still master
        } else if (state.equals("BACKUP_PRIORITY")) {
            s = VrrpState.BACKUP;
        }
        return new VrrpNotice(group, name, s, prio, false);
    }

    private static int priority(String p) {
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("priority '" + shown(p) + "' (expected: 0..255)");
        }
        int v = Integer.parseInt(p);
        if (v > 255) {
            throw new IllegalArgumentException("priority " + v + " (expected: 0..255)");
        }
        return v;
    }

    /** A bounded, printable rendering of untrusted text for messages. */
    static String shown(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 64 ? b + "..." : b.toString();
    }
}
