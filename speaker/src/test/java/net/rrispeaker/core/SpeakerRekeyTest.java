package net.rrispeaker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.guard.Rule;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A CHILD_SA rekey that changes only the SA's ids is applied in place, on a virtual clock: no
 * path change, the new id owns the routes, claims keep their age, the withdraw delay and
 * dampening follow the new id; the state is the one the full path (replacement up, old down)
 * leaves, and anything else takes the full path.
 */
class SpeakerRekeyTest {
    private static final String CONFIG = """
            rri withdraw-delay 200
            crypto dynamic-map DYN 10
             match ipsec-connection spokes
             reverse-route
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            router bgp 65000
             redistribute static
            """;
    private static final String DAMPENING = "rri dampening 60 750 2000 240\n";
    private static final BgpPath.Key LAN = new BgpPath.Key("", Prefix.parse("10.81.2.0/29"));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SpeakerTest.RecordingSink sink = new SpeakerTest.RecordingSink();
    private final ManualLoop loop = new ManualLoop();
    private Speaker speaker;
    private long childIds = 100;

    private Speaker start(String config, SpeakerTest.RecordingSink to, SimpleMeterRegistry reg) throws Exception {
        Speaker s = new Speaker(ConfigParser.parse("rri.conf", config), reg, List.of(to),
                cfg -> cfg.crypto().vrfs(), loop, loop::nanoTime);
        loop.runReady();
        s.submit(new SaEvent.Snapshot(List.of()));
        loop.runReady();
        return s;
    }

    private void submit(Speaker s, SaEvent e) {
        s.submit(e);
        loop.runReady();
    }

    private void ms(long ms) {
        loop.advance(ms, TimeUnit.MILLISECONDS);
    }

    private ChildSa sa(String address, String lan) {
        return sa(address, lan, ++childIds);
    }

    private static ChildSa sa(String address, String lan, long child) {
        return new ChildSa("spokes", 7, "lan", child, 1, Addresses.parse("192.0.2.1"), Addresses.parse(address),
                "spoke", List.of(Prefix.parse("10.80.0.0/16")), List.of(Prefix.parse(lan)), 0, List.of());
    }

    /** The same SA with only new ids (child id, reqid): what charon reports after a CHILD_SA rekey. */
    private ChildSa rekeyed(ChildSa old) {
        long child = ++childIds;
        return new ChildSa(old.connection(), old.ikeId(), old.child(), child, old.reqid() + 1, old.localHost(),
                old.remoteHost(), old.remoteId(), old.localTs(), old.remoteTs(), old.ifId(), old.unroutableTs());
    }

    private <T> T read(Speaker s, Function<Speaker.View, T> f) {
        var future = s.read(f);
        loop.runReady();
        return future.join();
    }

    /** The next hops of the routes of the contended prefix. */
    private List<java.net.InetAddress> via(Speaker s) {
        return read(s, v -> v.routes().stream().filter(r -> r.prefix().equals(LAN.prefix()))
                .map(r -> r.nextHop()).toList());
    }

    private double rekeys(SimpleMeterRegistry reg, String path) {
        var c = reg.find(Meters.SA_REKEYS).tag("path", path).counter();
        return c == null ? 0 : c.count();
    }

    @AfterEach
    void close() {
        if (speaker != null) {
            speaker.close();
        }
    }

    @Test
    void aRekeyOfOnlyTheIdsMovesOwnershipWithoutAPathChangeAndTheWithdrawDelayFollowsTheNewId() throws Exception {
        speaker = start(CONFIG, sink, registry);
        ChildSa a = sa("192.0.2.2", "10.81.2.0/29");
        submit(speaker, new SaEvent.ChildUp(a));
        BgpPath path = sink.last().get(LAN);
        int calls = sink.received.size();

        ChildSa b = rekeyed(a);
        submit(speaker, new SaEvent.ChildRekeyed(a, b));
        ms(1000);
        assertEquals(1, rekeys(registry, "in-place"));
        assertEquals(0, rekeys(registry, "full"));
        assertEquals(calls, sink.received.size(), "a rekey hands the sinks nothing");
        assertEquals(path, sink.last().get(LAN));
        assertEquals(List.of(b), read(speaker, v -> v.sas()));
        assertEquals(1, read(speaker, v -> v.routesOf(b)).size());
        assertTrue(read(speaker, v -> v.routesOf(a)).isEmpty());

        // the new id owns the route: its going starts the withdraw delay, and the route goes after it
        submit(speaker, new SaEvent.ChildDown(b));
        ms(150);
        assertTrue(sink.last().containsKey(LAN), "the withdraw delay is kept");
        ms(100);
        assertFalse(sink.last().containsKey(LAN));
    }

    @Test
    void theOldIdGoingAfterTheRekeyChangesNothing() throws Exception {
        speaker = start(CONFIG, sink, registry);
        ChildSa a = sa("192.0.2.2", "10.81.2.0/29");
        submit(speaker, new SaEvent.ChildUp(a));
        ChildSa b = rekeyed(a);
        submit(speaker, new SaEvent.ChildRekeyed(a, b));
        int calls = sink.received.size();
        submit(speaker, new SaEvent.ChildDown(a)); // late or repeated: the old SA is gone already
        ms(1000);
        assertEquals(calls, sink.received.size());
        assertTrue(sink.last().containsKey(LAN));
    }

    @Test
    void aClaimKeepsItsAgeAcrossRekeysAndAWaitingPeerTakesOverOnlyWhenTheHolderGoes() throws Exception {
        speaker = start(CONFIG, sink, registry);
        ChildSa holder = sa("192.0.2.2", "10.81.2.0/29");
        ChildSa waiter = sa("192.0.2.3", "10.81.2.0/29");
        submit(speaker, new SaEvent.ChildUp(holder));
        submit(speaker, new SaEvent.ChildUp(waiter));
        BgpPath held = sink.last().get(LAN);
        assertEquals(List.of(Addresses.parse("192.0.2.2")), via(speaker));

        // the holder rekeys (in place) many times: it keeps the prefix, the waiter stays refused
        ChildSa h = holder;
        for (int i = 0; i < 5; i++) {
            ChildSa next = rekeyed(h);
            submit(speaker, new SaEvent.ChildRekeyed(h, next));
            h = next;
        }
        ChildSa lastHolder = h;
        assertEquals(5, rekeys(registry, "in-place"));
        assertEquals(held, sink.last().get(LAN));
        var refused = read(speaker, v -> v.refusalsOf(waiter));
        assertEquals(1, refused.size());
        assertEquals(Rule.CONFLICT, refused.get(0).rule());
        assertTrue(read(speaker, v -> v.refusalsOf(lastHolder)).isEmpty());

        // the waiter's rekey takes the full path (it has a refusal, which names its SA): shown for the new SA
        ChildSa w = rekeyed(waiter);
        submit(speaker, new SaEvent.ChildRekeyed(waiter, w));
        assertEquals(1, rekeys(registry, "full"));
        assertEquals(Rule.CONFLICT, read(speaker, v -> v.refusalsOf(w)).get(0).rule());
        assertEquals(w, read(speaker, v -> v.refusalsOf(w)).get(0).sa());

        // the holder goes: the waiter takes over after the withdraw delay, not before
        submit(speaker, new SaEvent.ChildDown(lastHolder));
        ms(150);
        assertEquals(held, sink.last().get(LAN));
        assertEquals(List.of(Addresses.parse("192.0.2.2")), via(speaker));
        ms(100);
        assertEquals(List.of(Addresses.parse("192.0.2.3")), via(speaker));
        assertTrue(sink.last().containsKey(LAN));
    }

    @Test
    void aRekeyThatChangesMoreThanTheIdsTakesTheFullPath() throws Exception {
        speaker = start(CONFIG, sink, registry);
        ChildSa a = sa("192.0.2.2", "10.81.2.0/29");
        submit(speaker, new SaEvent.ChildUp(a));
        ChildSa b = sa("192.0.2.2", "10.81.9.0/29"); // new selectors
        submit(speaker, new SaEvent.ChildRekeyed(a, b));
        assertEquals(0, rekeys(registry, "in-place"));
        assertEquals(1, rekeys(registry, "full"));
        ms(1000);
        assertFalse(sink.last().containsKey(LAN));
        assertTrue(sink.last().containsKey(new BgpPath.Key("", Prefix.parse("10.81.9.0/29"))));
    }

    @Test
    void theInPlaceRekeyLeavesTheStateTheFullPathLeaves() throws Exception {
        // two speakers: one is told of rekeys, the other gets the replacement up and the old SA down
        speaker = start(CONFIG, sink, registry);
        SpeakerTest.RecordingSink fullSink = new SpeakerTest.RecordingSink();
        SimpleMeterRegistry fullRegistry = new SimpleMeterRegistry();
        Speaker full = start(CONFIG, fullSink, fullRegistry);
        try {
            ChildSa a = sa("192.0.2.2", "10.81.2.0/29");
            ChildSa c = sa("192.0.2.3", "10.81.2.0/29"); // waits for a's prefix
            ChildSa d = sa("192.0.2.4", "10.81.4.0/29");
            ChildSa e = sa("192.0.2.2", "10.81.5.0/29"); // a second CHILD_SA of a's peer
            for (ChildSa x : List.of(a, c, d, e)) {
                submit(speaker, new SaEvent.ChildUp(x));
                submit(full, new SaEvent.ChildUp(x));
            }
            ChildSa a2 = rekeyed(a);
            ChildSa d2 = rekeyed(d);
            ChildSa e2 = rekeyed(e);
            for (ChildSa[] r : List.of(new ChildSa[] {a, a2}, new ChildSa[] {d, d2}, new ChildSa[] {e, e2})) {
                submit(speaker, new SaEvent.ChildRekeyed(r[0], r[1]));
                submit(full, new SaEvent.ChildUp(r[1]));
                submit(full, new SaEvent.ChildDown(r[0]));
            }
            assertEquals(3, rekeys(registry, "in-place"));
            ms(1000);
            assertSame(full);
            // and what follows behaves the same: a's peer goes, c takes over after the withdraw delay
            for (Speaker s : List.of(speaker, full)) {
                submit(s, new SaEvent.ChildDown(a2));
                submit(s, new SaEvent.ChildDown(e2));
            }
            ms(150);
            assertSame(full);
            ms(100);
            assertSame(full);
            assertEquals(List.of(Addresses.parse("192.0.2.3")), via(speaker));
        } finally {
            full.close();
        }
    }

    private void assertSame(Speaker full) {
        Function<Speaker.View, Object> state = v -> List.of(v.desired(), v.routes(),
                v.sas().stream().collect(java.util.stream.Collectors.toMap(x -> x, v::refusalsOf)),
                v.sas().stream().collect(java.util.stream.Collectors.toMap(x -> x, v::routesOf)));
        Object expected = read(full, state);
        Object actual = read(speaker, state);
        assertEquals(expected, actual);
    }

    @Test
    void dampeningFollowsTheNewIdAndARekeyIsNoFlap() throws Exception {
        speaker = start(DAMPENING + CONFIG, sink, registry);
        ChildSa a = sa("192.0.2.2", "10.81.2.0/29");
        submit(speaker, new SaEvent.ChildUp(a));
        ChildSa b = rekeyed(a);
        submit(speaker, new SaEvent.ChildRekeyed(a, b));
        ms(1000);
        assertEquals(1, rekeys(registry, "in-place"));
        submit(speaker, new SaEvent.ChildUp(sa("192.0.2.5", "10.81.5.0/29"))); // runs dampening to now
        var c = registry.find(Meters.DAMPENING_FLAPS).counter();
        assertEquals(0, c == null ? 0 : c.count(), "a rekey is no flap");
        // the new id is the peer's SA now: its going past the hold-down is a flap
        submit(speaker, new SaEvent.ChildDown(b));
        ms(1000);
        assertEquals(1, registry.find(Meters.DAMPENING_FLAPS).counter().count());
    }

    @Test
    void theRedundancyGroupFollowsTheNewId() throws Exception {
        String redundancy = """
                rri redundancy HA vrrp-instance RRI
                interface eth0
                 ip address 192.0.2.1 255.255.255.0
                 crypto map VPN redundancy HA
                """;
        speaker = start(redundancy + CONFIG, sink, registry);
        ChildSa a = sa("192.0.2.2", "10.81.2.0/29");
        submit(speaker, new SaEvent.ChildUp(a));
        ChildSa b = rekeyed(a);
        submit(speaker, new SaEvent.ChildRekeyed(a, b));
        assertEquals(1, rekeys(registry, "in-place"));
        // standby (keepalived not heard of yet): the new owner's route stays in the group, not announced
        assertFalse(sink.last().containsKey(LAN));
        assertEquals("HA STANDBY", read(speaker, v -> v.groupOf(v.routes().get(0))));
        speaker.vrrpNotice(net.rrispeaker.redundancy.VrrpNotice.parseFifoLine("INSTANCE \"RRI\" MASTER 150"));
        loop.runReady();
        assertTrue(sink.last().containsKey(LAN));
        assertEquals("HA ACTIVE", read(speaker, v -> v.groupOf(v.routes().get(0))));
    }

    @Test
    void twoChildSasOfOnePeerSharingASelector() throws Exception {
        speaker = start(CONFIG, sink, registry);
        ChildSa a = sa("192.0.2.2", "10.81.2.0/29");
        ChildSa c = sa("192.0.2.2", "10.81.2.0/29");
        submit(speaker, new SaEvent.ChildUp(a));
        submit(speaker, new SaEvent.ChildUp(c));
        int calls = sink.received.size();
        ChildSa b = rekeyed(a);
        submit(speaker, new SaEvent.ChildRekeyed(a, b));
        assertEquals(1, rekeys(registry, "in-place"));
        submit(speaker, new SaEvent.ChildDown(c)); // the rekeyed SA still holds the claim and the route
        ms(1000);
        assertEquals(calls, sink.received.size());
        assertEquals(1, read(speaker, v -> v.routesOf(b)).size());
        submit(speaker, new SaEvent.ChildDown(b));
        ms(150);
        assertTrue(sink.last().containsKey(LAN));
        ms(100);
        assertFalse(sink.last().containsKey(LAN));
    }
}
