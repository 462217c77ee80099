package net.rrispeaker.bfd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import net.rrispeaker.config.BfdSettings;
import net.rrispeaker.sink.gobgp.Neighbour;
import org.junit.jupiter.api.Test;

/** Desired bfdd peers from gobgpd's neighbours, and the vtysh transaction that gets bfdd there. */
class BfdPlanTest {
    private static final BfdSettings S = new BfdSettings(100, 100, 3, "/usr/bin/vtysh", null, Duration.ofSeconds(5),
            "rri-speaker");
    private static final String PROFILE = """
            bfd
             profile rri-speaker
              transmit-interval 100
              receive-interval 100
             exit
            """;

    private static Neighbour n(String address, String local) {
        return new Neighbour(address, local, "", "", false, "ESTABLISHED");
    }

    @Test
    void aNeighbourGetsAPeerUnderTheSpeakersProfileInOneTransaction() {
        BfdPlan p = BfdPlan.of(List.of(n("10.80.12.2", "10.80.12.1"), n("fd00:80:12:0::2", "fd00:80:12::1")),
                BfdRunning.parse(""), S);
        assertEquals(List.of(new BfdKey("10.80.12.2", false, "10.80.12.1", null, null),
                new BfdKey("fd00:80:12::2", false, "fd00:80:12::1", null, null)), p.add());
        assertTrue(p.profile());
        assertEquals("""
                bfd
                 profile rri-speaker
                  transmit-interval 100
                  receive-interval 100
                  detect-multiplier 3
                 exit
                 peer 10.80.12.2 local-address 10.80.12.1
                  profile rri-speaker
                 exit
                 peer fd00:80:12::2 local-address fd00:80:12::1
                  profile rri-speaker
                 exit
                exit
                """, p.text(S));
    }

    @Test
    void whatIsAlreadyThereIsLeftAloneAndAGoneNeighboursPeerIsRemoved() {
        BfdRunning running = BfdRunning.parse(PROFILE + """
                 peer 10.80.12.2 local-address 10.80.12.1
                  profile rri-speaker
                 exit
                 peer 10.80.13.2 local-address 10.80.13.1
                  profile rri-speaker
                 exit
                exit
                """);
        BfdPlan same = BfdPlan.of(List.of(n("10.80.12.2", "10.80.12.1"), n("10.80.13.2", "10.80.13.1")), running, S);
        assertTrue(same.empty(), same.toString());
        assertEquals("", same.text(S));
        BfdPlan gone = BfdPlan.of(List.of(n("10.80.12.2", "10.80.12.1")), running, S);
        assertEquals("bfd\n no peer 10.80.13.2 local-address 10.80.13.1\nexit\n", gone.text(S));
        BfdPlan none = BfdPlan.of(List.of(), running, S);
        assertEquals(2, none.remove().size(), "no neighbours left: every peer of ours goes");
    }

    @Test
    void theOperatorsPeersAreNeverTouchedAndTheirNeighbourGetsNoSecondSession() {
        BfdRunning running = BfdRunning.parse(PROFILE + """
                 peer 10.80.12.2
                  transmit-interval 50
                 exit
                 peer 10.80.99.9 local-address 10.80.99.1
                  profile OPS
                 exit
                exit
                """);
        BfdPlan p = BfdPlan.of(List.of(n("10.80.12.2", "10.80.12.1")), running, S);
        assertTrue(p.add().isEmpty());
        assertTrue(p.remove().isEmpty(), "the operator's 10.80.99.9 is not ours to remove");
        assertEquals(new BfdKey("10.80.12.2", false, null, null, null), p.skipped().get(0).operator());
        assertFalse(p.text(S).contains("10.80."), p.text(S));
    }

    @Test
    void changedTimersRewriteOnlyTheProfile() {
        BfdRunning running = BfdRunning.parse(PROFILE + """
                 peer 10.80.12.2 local-address 10.80.12.1
                  profile rri-speaker
                 exit
                exit
                """);
        BfdSettings slower = new BfdSettings(300, 300, 5, "/usr/bin/vtysh", null, Duration.ofSeconds(5), "rri-speaker");
        BfdPlan p = BfdPlan.of(List.of(n("10.80.12.2", "10.80.12.1")), running, slower);
        assertTrue(p.add().isEmpty() && p.remove().isEmpty() && p.profile());
        assertEquals("""
                bfd
                 profile rri-speaker
                  transmit-interval 300
                  receive-interval 300
                  detect-multiplier 5
                 exit
                exit
                """, p.text(slower));
    }

    @Test
    void withoutALocalAddressFromGobgpdTheExistingPeerIsKept() {
        BfdRunning running = BfdRunning.parse(PROFILE + """
                 peer 10.80.12.2 local-address 10.80.12.1
                  profile rri-speaker
                 exit
                exit
                """);
        assertTrue(BfdPlan.of(List.of(n("10.80.12.2", "")), running, S).empty());
        assertTrue(BfdPlan.of(List.of(n("10.80.12.2", "0.0.0.0")), running, S).empty());
        BfdPlan fresh = BfdPlan.of(List.of(n("10.80.12.2", "")), BfdRunning.parse(PROFILE + "exit\n"), S);
        assertEquals(List.of(new BfdKey("10.80.12.2", false, null, null, null)), fresh.add());
    }

    @Test
    void shutNeighboursAndMalformedTextGetNoPeer() {
        List<Neighbour> ns = List.of(
                new Neighbour("10.80.12.2", "10.80.12.1", "", "", true, "IDLE"),
                n("10.80.12.2\n peer 6.6.6.6", "10.80.12.1"),
                n("10.80.14.2", "not-an-address"),
                new Neighbour("10.80.15.2", "", "eth0\nexit", "", false, "IDLE"),
                new Neighbour("10.80.16.2", "", "", "RED BLUE", false, "IDLE"),
                new Neighbour("10.80.17.2", "10.80.17.1", "core1", "RED", false, "ACTIVE"));
        BfdPlan p = BfdPlan.of(ns, BfdRunning.parse(""), S);
        assertEquals(List.of(new BfdKey("10.80.17.2", false, "10.80.17.1", "core1", "RED")), p.add());
        assertEquals(5, p.skipped().size());
        assertEquals(List.of(false, true, true, true, true), p.skipped().stream().map(BfdPlan.Skipped::invalid).toList());
        assertTrue(p.text(S).contains(" peer 10.80.17.2 local-address 10.80.17.1 interface core1 vrf RED\n"), p.text(S));
        assertFalse(p.text(S).contains("6.6.6.6"));
    }
}
