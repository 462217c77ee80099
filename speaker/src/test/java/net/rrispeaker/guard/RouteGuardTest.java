package net.rrispeaker.guard;

import static net.rrispeaker.guard.GuardFixture.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import org.junit.jupiter.api.Test;

/** Claims of several SAs against each other: first claim wins, overlaps, limits, reloads. */
class RouteGuardTest {
    private static final String A = "198.51.100.1";
    private static final String B = "198.51.100.2";
    private static final String C = "198.51.100.3";

    // ---- identical prefixes: the first claim wins, the next-oldest takes over ----

    @Test
    void theFirstClaimWinsEvenAgainstALowerOuterAddressAndTheNextOldestTakesOver() throws Exception {
        GuardFixture f = new GuardFixture("");
        ChildSa c = sa(1, C, "10.50.0.0/24");
        ChildSa b = sa(2, B, "10.50.0.0/24");
        ChildSa a = sa(3, A, "10.50.0.0/24");
        assertEquals(List.of("10.50.0.0/24"), f.up(c));
        assertEquals(List.of(), f.up(b));
        assertEquals(List.of(), f.up(a));
        assertEquals(List.of("10.50.0.0/24 conflict"), f.refusals(a));
        f.down(c);
        assertEquals(List.of("10.50.0.0/24"), f.announced(b), "B claimed before A");
        assertEquals(List.of(), f.announced(a));
        f.down(b);
        assertEquals(List.of("10.50.0.0/24"), f.announced(a));
        assertEquals(List.of(), f.refusals(a));
    }

    @Test
    void aTakeoverIsReturnedAsAnAdmissionOfTheWaitingSa() throws Exception {
        GuardFixture f = new GuardFixture("");
        ChildSa first = sa(1, B, "10.50.0.0/24");
        ChildSa second = sa(2, A, "10.50.0.0/24");
        f.up(first);
        f.up(second);
        List<RouteGuard.Admission> changed = f.guard.down(first.id(), 0);
        assertEquals(1, changed.size());
        assertEquals(second, changed.get(0).sa());
        assertEquals(List.of(Addresses.parse(A)), changed.get(0).routes().stream().map(Route::nextHop).toList());
    }

    @Test
    void onePeerNeverConflictsWithItselfRekeysAndSeveralChildSasShareItsClaim() throws Exception {
        GuardFixture f = new GuardFixture("");
        ChildSa one = sa(1, A, "10.50.0.0/24");
        ChildSa rekeyed = sa(2, A, "10.50.0.0/24");
        ChildSa other = sa(3, B, "10.50.0.0/24");
        f.up(one);
        f.up(other);
        assertEquals(List.of("10.50.0.0/24"), f.up(rekeyed));
        f.down(one);
        assertEquals(List.of("10.50.0.0/24"), f.announced(rekeyed), "the claim stays with peer A");
        assertEquals(List.of("10.50.0.0/24 conflict"), f.refusals(other));
        assertEquals(1, f.guard.claims() - 1, "one claim each for A and B");
    }

    @Test
    void aBreakBeforeMakeReauthWithinTheWithdrawDelayKeepsThePrefixAgainstAWaitingPeer() throws Exception {
        GuardFixture f = new GuardFixture("rri withdraw-delay 200\n");
        ChildSa old = sa(1, A, "10.50.0.0/24");
        ChildSa waiting = sa(2, B, "10.50.0.0/24");
        f.up(old);
        f.up(waiting);
        f.now = 1_000_000; // 1 ms
        f.down(old);
        assertEquals(1_000_000 + 200_000_000L, f.guard.nextDeadline());
        f.now = 3_000_000;
        ChildSa reauth = sa(3, A, "10.50.0.0/24");
        assertEquals(List.of("10.50.0.0/24"), f.up(reauth));
        f.guard.expire(500_000_000);
        assertEquals(List.of("10.50.0.0/24"), f.announced(reauth));
        assertEquals(List.of(), f.announced(waiting));
    }

    @Test
    void withAWithdrawDelayTheWaitingClaimTakesOverWhenTheDelayHasPassed() throws Exception {
        GuardFixture f = new GuardFixture("rri withdraw-delay 200\n");
        ChildSa old = sa(1, A, "10.50.0.0/24");
        ChildSa waiting = sa(2, B, "10.50.0.0/24");
        f.up(old);
        f.up(waiting);
        f.down(old);
        assertTrue(f.guard.expire(199_000_000).isEmpty(), "still waiting out the delay");
        List<RouteGuard.Admission> changed = f.guard.expire(200_000_000);
        assertEquals(List.of(waiting), changed.stream().map(RouteGuard.Admission::sa).toList());
        assertEquals(Long.MAX_VALUE, f.guard.nextDeadline());
    }

    @Test
    void aPeerThatMovesTakesItsClaimAlongWithItsAge() throws Exception {
        GuardFixture f = new GuardFixture("rri withdraw-delay 200\n");
        ChildSa moving = sa(1, A, "10.50.0.0/24");
        ChildSa waiting = sa(2, B, "10.50.0.0/24");
        f.up(moving);
        f.up(waiting);
        ChildSa moved = new ChildSa("c", 1, "lan", 1, 1, moving.localHost(), Addresses.parse(C), "peer",
                moving.localTs(), moving.remoteTs(), 0, List.of());
        List<RouteGuard.Admission> changed = f.guard.up(moved, 0);
        assertEquals(List.of(Addresses.parse(C)), changed.get(0).routes().stream().map(Route::nextHop).toList());
        assertEquals(Long.MAX_VALUE, f.guard.nextDeadline(), "nothing left behind to wait out");
        assertEquals(List.of("10.50.0.0/24 conflict"), f.refusals(waiting));
    }

    // ---- overlaps ----

    @Test
    void aMoreSpecificOrCoveringPrefixOfAnotherPeersIsRefusedByDefaultAndTakesOverWhenItGoes() throws Exception {
        GuardFixture f = new GuardFixture("");
        ChildSa holder = sa(1, A, "10.50.0.0/16");
        ChildSa inside = sa(2, B, "10.50.7.0/24");
        ChildSa covering = sa(3, C, "10.48.0.0/12");
        ChildSa samePeer = sa(4, A, "10.50.8.0/24");
        f.up(holder);
        assertEquals(List.of(), f.up(inside));
        assertEquals(List.of(), f.up(covering));
        assertEquals(List.of("10.50.8.0/24"), f.up(samePeer), "a peer may nest its own prefixes");
        assertEquals(List.of("10.50.7.0/24 overlap"), f.refusals(inside));
        assertEquals(List.of("10.48.0.0/12 overlap"), f.refusals(covering));
        f.down(samePeer);
        f.down(holder);
        assertEquals(List.of("10.50.7.0/24"), f.announced(inside), "the older waiting claim goes first");
        assertEquals(List.of("10.48.0.0/12 overlap"), f.refusals(covering), "and now blocks the covering one");
        f.down(inside);
        assertEquals(List.of("10.48.0.0/12"), f.announced(covering));
    }

    @Test
    void withOverlapPermitBothAreAnnouncedAndTheNewcomerIsReportedOnce() throws Exception {
        GuardFixture f = new GuardFixture("rri guard overlap permit\n");
        f.up(sa(1, A, "10.50.0.0/16"));
        ChildSa inside = sa(2, B, "10.50.7.0/24");
        assertEquals(List.of("10.50.7.0/24"), f.up(inside));
        f.up(inside);
        assertEquals(1, f.overlaps.size());
        assertEquals("connection=c child=lan[2] ike=2 peer=198.51.100.2 prefix=10.50.7.0/24 rule=overlap: inside "
                + "10.50.0.0/16 held by peer 198.51.100.1; announced (rri guard overlap permit)",
                f.overlaps.get(0).message());
        assertEquals(List.of(), f.refused);
    }

    @Test
    void otherTablesNeverOverlap() throws Exception {
        GuardFixture f = new GuardFixture("""
                vrf definition cust
                 rd 65000:1
                crypto isakmp profile P
                 vrf cust
                crypto dynamic-map CUST 5
                 match ipsec-connection cust-*
                 set isakmp-profile P
                 reverse-route
                crypto map VPN 5 ipsec-isakmp dynamic CUST
                """);
        f.up(sa(1, A, "10.50.0.0/24"));
        ChildSa cust = sa("cust-1", 2, B, List.of("10.80.0.0/16"), "10.50.0.0/24");
        assertEquals(List.of("10.50.0.0/24"), f.up(cust));
    }

    // ---- limits never evict what is established ----

    @Test
    void overThePerPeerLimitTheNewcomersExtraRoutesAreRefusedAndComeWhenThereIsRoom() throws Exception {
        GuardFixture f = new GuardFixture("rri guard max-routes-per-peer 2\n");
        ChildSa first = sa(1, A, "10.51.0.0/24", "10.52.0.0/24");
        ChildSa more = sa(2, A, "10.51.0.0/24", "10.53.0.0/24");
        ChildSa otherPeer = sa(3, B, "10.54.0.0/24");
        assertEquals(List.of("10.51.0.0/24", "10.52.0.0/24"), f.up(first));
        assertEquals(List.of("10.51.0.0/24"), f.up(more), "the shared prefix counts once");
        assertEquals(List.of("10.53.0.0/24 max-routes-per-peer"), f.refusals(more));
        assertEquals(List.of("10.54.0.0/24"), f.up(otherPeer), "another peer has its own limit");
        assertEquals(List.of("10.51.0.0/24", "10.52.0.0/24"), f.announced(first), "established routes stay");
        f.down(first);
        assertEquals(List.of("10.51.0.0/24", "10.53.0.0/24"), f.announced(more));
    }

    @Test
    void overTheGlobalLimitNewcomersAreRefusedEstablishedRoutesStayAndTheOldestWaitingComesFirst() throws Exception {
        GuardFixture f = new GuardFixture("rri guard max-routes 2\n");
        ChildSa a = sa(1, A, "10.51.0.0/24", "10.52.0.0/24");
        ChildSa b = sa(2, B, "10.53.0.0/24");
        ChildSa c = sa(3, C, "10.54.0.0/24");
        f.up(a);
        assertEquals(List.of(), f.up(b));
        assertEquals(List.of(), f.up(c));
        assertEquals(List.of("10.53.0.0/24 max-routes"), f.refusals(b));
        assertEquals(List.of("10.51.0.0/24", "10.52.0.0/24"), f.announced(a));
        f.up(sa(1, A, "10.51.0.0/24")); // A narrows: one prefix frees up
        assertEquals(List.of("10.53.0.0/24"), f.announced(b), "the older of the two waiting");
        assertEquals(List.of(), f.announced(c));
        f.down(b);
        assertEquals(List.of("10.54.0.0/24"), f.announced(c));
    }

    // ---- outer addresses of peers that come and go ----

    @Test
    void aPrefixThatComesToContainANewPeersOuterAddressIsWithdrawnWhileThatPeerIsUp() throws Exception {
        GuardFixture f = new GuardFixture("");
        ChildSa wide = sa(1, A, "203.0.113.0/24");
        assertEquals(List.of("203.0.113.0/24"), f.up(wide));
        ChildSa inside = sa(2, "203.0.113.77", "10.51.0.0/24");
        assertEquals(List.of("10.51.0.0/24"), f.up(inside));
        assertEquals(List.of(), f.announced(wide));
        assertEquals(List.of("203.0.113.0/24 peer-address"), f.refusals(wide));
        f.down(inside);
        assertEquals(List.of("203.0.113.0/24"), f.announced(wide));
    }

    // ---- routes the operator configured ----

    @Test
    void theRemotePeerHostRouteIsAnnouncedAlongWithAnySelector() throws Exception {
        GuardFixture f = GuardFixture.of("""
                rri withdraw-delay 0
                crypto dynamic-map DYN 10
                 reverse-route remote-peer 192.0.2.254 gateway
                crypto map VPN 10 ipsec-isakmp dynamic DYN
                """);
        ChildSa s = sa("DYN", 1, A, List.of("10.80.0.0/16"), "10.51.0.0/24", "127.0.0.0/8");
        assertEquals(List.of("10.51.0.0/24", "198.51.100.1/32"), f.up(s));
        ChildSa refused = sa("DYN", 2, B, List.of("10.80.0.0/16"), "127.0.0.0/8");
        assertEquals(List.of(), f.up(refused), "no selector announced: no host route either");
    }

    // ---- reload ----

    @Test
    void aReloadJudgesEverySaAgainInBothDirections() throws Exception {
        GuardFixture f = new GuardFixture("");
        ChildSa lab = sa(1, A, "127.0.0.0/8", "10.51.0.0/24");
        assertEquals(List.of("10.51.0.0/24"), f.up(lab));
        List<RouteGuard.Admission> changed = f.guard.reload(GuardFixture.config("no rri guard martians\n"
                + "rri guard own 10.51.0.0/16\n"), 0);
        assertEquals(1, changed.size());
        assertEquals(List.of("127.0.0.0/8"), f.announced(lab));
        assertEquals(List.of("10.51.0.0/24 own-address"), f.refusals(lab));
        f.guard.reload(GuardFixture.config(""), 0);
        assertEquals(List.of("10.51.0.0/24"), f.announced(lab));
    }

    @Test
    void aReloadKnowsEveryPeersOuterAddressBeforeItJudgesAnySa() throws Exception {
        GuardFixture f = new GuardFixture("");
        ChildSa wide = sa(1, A, "203.0.113.0/24");
        ChildSa inside = sa(2, "203.0.113.77", "10.51.0.0/24");
        f.up(wide);
        f.up(inside);
        f.guard.reload(GuardFixture.config("rri guard max-routes 10\n"), 0);
        assertEquals(List.of("203.0.113.0/24 peer-address"), f.refusals(wide));
        assertEquals(List.of("10.51.0.0/24"), f.announced(inside));
    }

    @Test
    void aReloadKeepsTheAgeOfClaimsSoTheFirstClaimStillWins() throws Exception {
        GuardFixture f = new GuardFixture("");
        ChildSa first = sa(1, B, "10.50.0.0/24");
        ChildSa second = sa(2, A, "10.50.0.0/24");
        f.up(first);
        f.up(second);
        ChildSa rekeyed = sa(3, B, "10.50.0.0/24"); // a newer SA holding the older claim
        f.up(rekeyed);
        f.down(first);
        f.guard.reload(GuardFixture.config("rri guard max-routes 10\n"), 0);
        assertEquals(List.of("10.50.0.0/24"), f.announced(rekeyed));
        assertEquals(List.of("10.50.0.0/24 conflict"), f.refusals(second));
    }

    @Test
    void aReloadLoweringALimitKeepsTheOldestClaims() throws Exception {
        GuardFixture f = new GuardFixture("");
        ChildSa a = sa(1, A, "10.51.0.0/24");
        ChildSa b = sa(2, B, "10.52.0.0/24");
        f.up(a);
        f.up(b);
        f.guard.reload(GuardFixture.config("rri guard max-routes 1\n"), 0);
        assertEquals(List.of("10.51.0.0/24"), f.announced(a));
        assertEquals(List.of("10.52.0.0/24 max-routes"), f.refusals(b));
        f.guard.reload(GuardFixture.config(""), 0);
        assertEquals(List.of("10.52.0.0/24"), f.announced(b));
    }

    @Test
    void aReloadOverlapPermitToRefuseRefusesTheNewerOfTwoOverlappingClaims() throws Exception {
        GuardFixture f = new GuardFixture("rri guard overlap permit\n");
        ChildSa inside = sa(1, B, "10.50.7.0/24");
        ChildSa covering = sa(2, A, "10.50.0.0/16");
        f.up(inside);
        assertEquals(List.of("10.50.0.0/16"), f.up(covering));
        f.guard.reload(GuardFixture.config(""), 0);
        assertEquals(List.of("10.50.7.0/24"), f.announced(inside));
        assertEquals(List.of("10.50.0.0/16 overlap"), f.refusals(covering));
    }

    @Test
    void workPerSaFollowsItsSelectorsNotTheTable() throws Exception {
        GuardFixture f = new GuardFixture("rri guard max-routes-per-peer 100000\n");
        // one peer with many prefixes, then many peers with one each: all held, nothing quadratic to wait for
        String[] many = new String[4096];
        for (int i = 0; i < many.length; i++) {
            many[i] = "10." + (100 + i / 256) + "." + (i % 256) + ".0/24";
        }
        assertEquals(many.length, f.up(sa(1, A, many)).size());
        for (int i = 0; i < 2000; i++) {
            String peer = "198.18." + (i / 250) + "." + (i % 250 + 1);
            ChildSa s = sa(10 + i, peer, "10.200." + (i / 256) + "." + (i % 256) + "/32");
            assertEquals(1, f.up(s).size());
        }
        assertEquals(many.length + 2000, f.guard.claims());
        assertEquals(List.of(), f.refused);
        assertEquals(Prefix.parse("10.100.0.0/24"), f.guard.admitted(sa(1, A).id()).get(0).prefix());
    }
}
