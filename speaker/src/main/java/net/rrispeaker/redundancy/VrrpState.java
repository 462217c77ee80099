package net.rrispeaker.redundancy;

/**
 * The state of a keepalived VRRP instance (or sync group) as the speaker knows it. Only
 * {@link #MASTER} makes a redundancy group active; every other state, {@link #UNKNOWN} (nothing
 * heard since start, or keepalived gone) included, is standby.
 */
public enum VrrpState {
    /** Nothing heard from keepalived yet, or its notify FIFO closed: standby until it says otherwise. */
    UNKNOWN,
    MASTER,
    BACKUP,
    FAULT,
    /** The instance stopped (keepalived shutting down). */
    STOP,
    /** The instance was removed by a keepalived reload. */
    DELETED;

    public boolean active() {
        return this == MASTER;
    }

    /** The keepalived spelling of a state; {@code null} if it names none the speaker tracks. */
    static VrrpState ofKeepalived(String s) {
        return switch (s) {
            case "MASTER" -> MASTER;
            case "BACKUP" -> BACKUP;
            case "FAULT" -> FAULT;
            case "STOP" -> STOP;
            case "DELETED" -> DELETED;
            default -> null;
        };
    }
}
