package net.rrispeaker.bfd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code show bfd peers json} of FRR 8.4's bfdd (captured from a real bfdd, two namespaces). */
class BfdSessionsTest {

    @Test
    void everySessionByItsPeer() throws Exception {
        Map<BfdKey, BfdSessions.Session> s = BfdSessions.parse(BfdRunningTest.resource("bfdd-8.4-peers.json"));
        assertEquals(3, s.size(), s.toString());
        BfdSessions.Session v4 = s.get(new BfdKey("10.99.0.2", false, "10.99.0.1", null, "default"));
        assertTrue(v4.up(), v4.toString());
        assertEquals(new BfdSessions.Session("up", v4.seconds(), "ok", "ok", 100, 100, 3), v4);
        BfdSessions.Session v6 = s.get(new BfdKey("fd00:99::2", false, "fd00:99::1", null, null));
        assertEquals(new BfdSessions.Session("down", 2, "ok", "ok", 100, 100, 3), v6);
        assertEquals("shutdown", s.get(new BfdKey("10.99.0.5", false, null, "x0", "default")).status());
    }

    @Test
    void brokenOutputIsAnErrorAndAnIncompleteSessionIsLeftOut() {
        assertThrows(IllegalArgumentException.class, () -> BfdSessions.parse("% Unknown command"));
        assertThrows(IllegalArgumentException.class, () -> BfdSessions.parse("{\"peer\":\"10.0.0.1\"}"));
        Map<BfdKey, BfdSessions.Session> s = BfdSessions.parse("[{\"peer\":\"10.0.0.1\"}, 7, {\"peer\":\"10.0.0.2\","
                + "\"status\":\"init\",\"vrf\":\"default\",\"downtime\":4}]");
        assertEquals(Map.of(new BfdKey("10.0.0.2", false, null, null, null),
                new BfdSessions.Session("init", 4, "", "", 0, 0, 0)), s);
    }
}
