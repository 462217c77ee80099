package net.rrispeaker.redundancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** keepalived's notify FIFO lines and notify script arguments, as keepalived 2.2 writes them, and what is refused. */
class VrrpNoticeTest {

    @Test
    void instanceAndGroupLines() {
        assertEquals(new VrrpNotice(false, "RRI", VrrpState.MASTER, 150, false),
                VrrpNotice.parseFifoLine("INSTANCE \"RRI\" MASTER 150"));
        assertEquals(new VrrpNotice(false, "VI_1", VrrpState.BACKUP, 100, false),
                VrrpNotice.parseFifoLine("INSTANCE \"VI_1\" BACKUP 100\n"));
        assertEquals(new VrrpNotice(true, "SG", VrrpState.FAULT, 0, false),
                VrrpNotice.parseFifoLine("GROUP \"SG\" FAULT 0"));
        assertEquals(VrrpState.STOP, VrrpNotice.parseFifoLine("INSTANCE \"RRI\" STOP 0").state());
        assertEquals(VrrpState.DELETED, VrrpNotice.parseFifoLine("INSTANCE \"RRI\" DELETED 0").state());
    }

    @Test
    void priorityChangesKeepTheStateAndLowerPriorityAdvertsChangeNothing() {
        assertEquals(VrrpState.MASTER, VrrpNotice.parseFifoLine("INSTANCE \"RRI\" MASTER_PRIORITY 200").state());
        assertEquals(VrrpState.BACKUP, VrrpNotice.parseFifoLine("INSTANCE \"RRI\" BACKUP_PRIORITY 90").state());
        assertNull(VrrpNotice.parseFifoLine("INSTANCE \"RRI\" MASTER_RX_LOWER_PRI 150").state());
    }

    @Test
    void theBareStopLine() {
        VrrpNotice n = VrrpNotice.parseFifoLine("STOP");
        assertTrue(n.stopAll());
        assertFalse(VrrpNotice.parseFifoLine("INSTANCE \"STOP\" MASTER 1").stopAll());
    }

    @Test
    void notifyScriptArguments() {
        assertEquals(new VrrpNotice(false, "RRI", VrrpState.MASTER, 150, false),
                VrrpNotice.of("INSTANCE", "RRI", "MASTER", "150"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VrrpNotice.of("instance", "RRI", "MASTER", "150"));
        assertEquals("type 'instance' (expected: INSTANCE or GROUP)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MASTER", "INSTANCE RRI MASTER 150", "INSTANCE \"RRI MASTER 150",
            "INSTANCE \"RRI\"MASTER 150", "INSTANCE \"RRI\" MASTER", "INSTANCE \"RRI\" MASTER 150 extra",
            "INSTANCE \"RRI\" MASTER 256", "INSTANCE \"RRI\" MASTER -1", "INSTANCE \"RRI\" MASTER 1e2",
            "INSTANCE \"RRI\" master 150", "INSTANCE \"RRI\" PRIMARY 150", "VS [192.0.2.1]:tcp:80 UP",
            "RS [1.2.3.4]:tcp:80 [192.0.2.1]:tcp:80 DOWN", "INSTANCE \"\" MASTER 150", "INSTANCE \"R\u0000I\" MASTER 1",
            "INSTANCE \"RRI\" MASTER 0150"})
    void malformedLinesAreRefusedWithAReason(String line) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VrrpNotice.parseFifoLine(line));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void overlongLinesAndNamesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> VrrpNotice.parseFifoLine("INSTANCE \"" + "x".repeat(600) + "\" MASTER 1"));
        assertThrows(IllegalArgumentException.class,
                () -> VrrpNotice.parseFifoLine("INSTANCE \"" + "x".repeat(200) + "\" MASTER 1"));
    }

    @Test
    void onlyMasterIsActive() {
        for (VrrpState s : VrrpState.values()) {
            assertEquals(s == VrrpState.MASTER, s.active(), s.name());
        }
    }
}
