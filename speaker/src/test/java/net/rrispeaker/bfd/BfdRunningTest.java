package net.rrispeaker.bfd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bfdd's running configuration, as FRR 8.4's bfdd printed it (captured from a real bfdd). */
class BfdRunningTest {

    static String resource(String name) throws IOException {
        try (InputStream in = BfdRunningTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void peersWithTheirProfileAndProfilesWithTheirTimers() throws Exception {
        BfdRunning r = BfdRunning.parse(resource("bfdd-8.4-running-config.txt"));
        assertEquals(List.of(
                new BfdRunning.Peer(new BfdKey("10.99.0.2", false, "10.99.0.1", null, null), "rri-speaker"),
                new BfdRunning.Peer(new BfdKey("fd00:99::2", false, "fd00:99::1", null, null), "rri-speaker"),
                new BfdRunning.Peer(new BfdKey("10.99.0.5", false, null, "x0", null), null)), r.peers());
        // bfdd leaves the default detect-multiplier (3) out of its running configuration
        assertEquals(Map.of("rri-speaker", new BfdRunning.Timers(100, 100, 3)), r.profiles());
    }

    @Test
    void multihopVrfAndNoBfdSection() {
        BfdRunning r = BfdRunning.parse("""
                frr version 8.4.4
                !
                bfd
                 peer 192.0.2.9 multihop local-address 192.0.2.1 vrf RED
                  detect-multiplier 5
                  profile OPS
                 exit
                 !
                 profile OPS
                  detect-multiplier 5
                  receive-interval 50
                 exit
                 !
                exit
                !
                end
                """);
        assertEquals(List.of(new BfdRunning.Peer(new BfdKey("192.0.2.9", true, "192.0.2.1", null, "RED"), "OPS")), r.peers());
        assertEquals(Map.of("OPS", new BfdRunning.Timers(300, 50, 5)), r.profiles());
        assertEquals(new BfdRunning(List.of(), Map.of()), BfdRunning.parse("frr version 8.4.4\n!\nend\n"));
    }
}
