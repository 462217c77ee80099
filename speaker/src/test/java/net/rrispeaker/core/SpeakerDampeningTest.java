package net.rrispeaker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rri dampening} in the core, on a virtual clock: a flapping peer's paths stay out of what the
 * sinks are given from the flap that suppresses it until the penalty has decayed to the reuse
 * limit, then come back without a new SA; rekeys never count; other peers are unaffected; a reload
 * changes the numbers or turns dampening off.
 */
class SpeakerDampeningTest {
    /** Half-life 60 s, reuse 750, suppress 2000, max-suppress 240 s; withdraw delay (the hold-down) 200 ms. */
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
    private static final BgpPath.Key A_LAN = new BgpPath.Key("", Prefix.parse("10.81.2.0/29"));
    private static final BgpPath.Key B_LAN = new BgpPath.Key("", Prefix.parse("10.81.3.0/29"));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SpeakerTest.RecordingSink sink = new SpeakerTest.RecordingSink();
    private final ManualLoop loop = new ManualLoop();
    private Speaker speaker;
    private long childIds = 100;

    private void start(String config) throws Exception {
        speaker = new Speaker(ConfigParser.parse("rri.conf", config), registry, List.of(sink),
                cfg -> cfg.crypto().vrfs(), loop, loop::nanoTime);
        loop.runReady();
        submit(new SaEvent.Snapshot(List.of()));
    }

    private void submit(SaEvent e) {
        speaker.submit(e);
        loop.runReady();
    }

    private void ms(long ms) {
        loop.advance(ms, TimeUnit.MILLISECONDS);
    }

    /** A CHILD_SA of peer {@code id} at {@code address}: a new unique id each time, as charon gives them. */
    private ChildSa sa(String address, String id, String lan) {
        long child = ++childIds;
        return new ChildSa("spokes", child, "lan", child, 1, Addresses.parse("192.0.2.1"), Addresses.parse(address), id,
                List.of(Prefix.parse("10.80.0.0/16")), List.of(Prefix.parse(lan)), 0, List.of());
    }

    private <T> T read(java.util.function.Function<Speaker.View, T> f) {
        var future = speaker.read(f);
        loop.runReady();
        return future.join();
    }

    private boolean check(java.util.function.Predicate<Speaker.View> f) {
        return read(v -> f.test(v) ? Boolean.TRUE : Boolean.FALSE);
    }

    private int size(java.util.function.Function<Speaker.View, java.util.Collection<?>> f) {
        return read(v -> Integer.valueOf(f.apply(v).size()));
    }

    private double counter(String name) {
        var c = registry.find(name).counter();
        return c == null ? 0 : c.count();
    }

    private double suppressedGauge() {
        return registry.find(Meters.DAMPENING_SUPPRESSED).gauge().value();
    }

    /** Up 2 s, then gone for 1 s (well past the 200 ms hold-down); returns the SA that is up again at the end. */
    private ChildSa flap(ChildSa up, String address, String id, String lan) {
        ms(2000);
        submit(new SaEvent.ChildDown(up));
        ms(1000);
        ChildSa next = sa(address, id, lan);
        submit(new SaEvent.ChildUp(next));
        return next;
    }

    @AfterEach
    void close() {
        if (speaker != null) {
            speaker.close();
        }
    }

    @Test
    void aPeerFlappingThreeTimesIsSuppressedAndComesBackWhenItsPenaltyDecaysToReuse() throws Exception {
        start(DAMPENING + CONFIG);
        ChildSa a = sa("192.0.2.2", "spoke-a", "10.81.2.0/29");
        submit(new SaEvent.ChildUp(a));
        assertTrue(sink.last().containsKey(A_LAN));

        a = flap(a, "192.0.2.2", "spoke-a", "10.81.2.0/29");
        a = flap(a, "192.0.2.2", "spoke-a", "10.81.2.0/29");
        assertTrue(sink.last().containsKey(A_LAN), "two flaps: penalty below 2000, announced again");
        assertEquals(2, counter(Meters.DAMPENING_FLAPS));
        int calls = sink.count();

        ms(2000);
        submit(new SaEvent.ChildDown(a));
        ms(200); // the hold-down ends: the third flap is counted at t3
        long t3 = loop.nanoTime();
        ms(800);
        a = sa("192.0.2.2", "spoke-a", "10.81.2.0/29");
        submit(new SaEvent.ChildUp(a));
        ms(10);
        assertFalse(sink.last().containsKey(A_LAN), "suppressed: the SA is up but its path is not announced");
        assertEquals(3, counter(Meters.DAMPENING_FLAPS));
        assertEquals(1, counter(Meters.DAMPENING_SUPPRESSIONS));
        assertEquals(1, suppressedGauge());
        // kept: the SA and its routes are there, shown as dampened
        ChildSa up = a;
        assertEquals(List.of(Prefix.parse("10.81.2.0/29")),
                read(v -> v.dampenedRoutes().stream().map(Route::prefix).toList()));
        assertTrue(check(v -> v.dampened(up)));
        assertEquals(1, size(v -> v.routesOf(up)));
        assertEquals(1, size(v -> v.sas()));
        assertEquals(0, size(v -> v.routes()), "not in the announced route table");

        // penalties: flaps counted at 0.2 s, 3.2 s, 6.2 s (3 s apart); third = (1000*2^-0.05 + 1000)*2^-0.05 + 1000
        double second = 1000 * Math.pow(0.5, 3 / 60.0) + 1000;
        double third = second * Math.pow(0.5, 3 / 60.0) + 1000;
        long reuseAt = t3 + (long) Math.ceil(60e9 * Math.log(third / 750) / Math.log(2));
        loop.advance(reuseAt - 1_000_000 - loop.nanoTime(), TimeUnit.NANOSECONDS);
        assertFalse(sink.last().containsKey(A_LAN), "1 ms before the reuse time");
        loop.advance(1_000_000, TimeUnit.NANOSECONDS);
        assertTrue(sink.last().containsKey(A_LAN), "back at the reuse time, without a new SA");
        assertEquals(0, suppressedGauge());
        assertEquals(0, size(v -> v.dampenedRoutes()));
        // the path was never withdrawn and re-announced while suppressed: exactly out once, in once
        long changesOfA = sink.received().subList(calls, sink.received().size()).stream()
                .flatMap(c -> c.changes().stream()).filter(u -> u.key().equals(A_LAN)).count();
        assertEquals(2, changesOfA, "one withdrawal at the third down, one announcement at reuse");
    }

    @Test
    void rekeysAndBreakBeforeMakeReauthsNeverCount() throws Exception {
        start(DAMPENING + CONFIG);
        ChildSa a = sa("192.0.2.2", "spoke-a", "10.81.2.0/29");
        submit(new SaEvent.ChildUp(a));
        for (int i = 0; i < 20; i++) {
            ms(1000);
            ChildSa next = sa("192.0.2.2", "spoke-a", "10.81.2.0/29");
            submit(new SaEvent.ChildRekeyed(a, next));
            a = next;
        }
        for (int i = 0; i < 10; i++) {
            ms(1000);
            submit(new SaEvent.ChildDown(a)); // break-before-make: down, up 2 ms later
            ms(2);
            a = sa("192.0.2.2", "spoke-a", "10.81.2.0/29");
            submit(new SaEvent.ChildUp(a));
        }
        ms(1000);
        assertEquals(0, counter(Meters.DAMPENING_FLAPS));
        assertEquals(0, size(v -> v.dampeningHistory()));
        assertTrue(sink.last().containsKey(A_LAN));
    }

    @Test
    void otherPeersAreUnaffectedEvenWithTheSameIdentity() throws Exception {
        start(DAMPENING + CONFIG);
        // two spokes with one group identity: dampened apart (peer = address + identity)
        ChildSa a = sa("192.0.2.2", "spoke", "10.81.2.0/29");
        ChildSa b = sa("192.0.2.3", "spoke", "10.81.3.0/29");
        submit(new SaEvent.ChildUp(a));
        submit(new SaEvent.ChildUp(b));
        for (int i = 0; i < 5; i++) {
            a = flap(a, "192.0.2.2", "spoke", "10.81.2.0/29");
        }
        ms(10);
        assertFalse(sink.last().containsKey(A_LAN));
        assertTrue(sink.last().containsKey(B_LAN));
        assertEquals(List.of("192.0.2.2 spoke"),
                read(v -> v.dampeningHistory().stream().map(p -> p.peer()).toList()));
        assertTrue(sink.received().stream().flatMap(c -> c.changes().stream()).noneMatch(u -> u.key().equals(B_LAN)
                && u.withdrawn()), "B never withdrawn");
    }

    @Test
    void aSuppressedPeerThatComesAndGoesChurnsNothingUpstream() throws Exception {
        start(DAMPENING + CONFIG);
        ChildSa a = sa("192.0.2.2", "spoke-a", "10.81.2.0/29");
        submit(new SaEvent.ChildUp(a));
        for (int i = 0; i < 3; i++) {
            a = flap(a, "192.0.2.2", "spoke-a", "10.81.2.0/29");
        }
        ms(10);
        assertFalse(sink.last().containsKey(A_LAN));
        int calls = sink.count();
        for (int i = 0; i < 5; i++) {
            a = flap(a, "192.0.2.2", "spoke-a", "10.81.2.0/29");
        }
        ms(10);
        assertEquals(calls, sink.count(), "nothing handed to the sinks while suppressed");
        assertEquals(8, counter(Meters.DAMPENING_FLAPS), "flaps while suppressed still count");
        // 240 s (max-suppress-time) after the last flap at the latest it is back
        ms(240_000);
        assertTrue(sink.last().containsKey(A_LAN));
    }

    @Test
    void aReloadCanReuseAtOnceTurnDampeningOffOrOn() throws Exception {
        start(DAMPENING + CONFIG);
        ChildSa a = sa("192.0.2.2", "spoke-a", "10.81.2.0/29");
        submit(new SaEvent.ChildUp(a));
        for (int i = 0; i < 3; i++) {
            a = flap(a, "192.0.2.2", "spoke-a", "10.81.2.0/29");
        }
        ms(10);
        assertFalse(sink.last().containsKey(A_LAN));

        // a reuse limit above the penalty (~2900): reused at once
        speaker.reload(ConfigParser.parse("rri.conf", "rri dampening 60 5000 6000 240\n" + CONFIG));
        loop.runReady();
        assertTrue(sink.last().containsKey(A_LAN), "reused by the reload");
        assertEquals(1, size(v -> v.dampeningHistory()), "history kept");

        // back to the small numbers: not suppressed by the reload itself, the next flap does
        speaker.reload(ConfigParser.parse("rri.conf", DAMPENING + CONFIG));
        loop.runReady();
        assertTrue(sink.last().containsKey(A_LAN), "a reload is no flap");
        a = flap(a, "192.0.2.2", "spoke-a", "10.81.2.0/29");
        ms(10);
        assertFalse(sink.last().containsKey(A_LAN), "the next flap suppresses");

        // dampening off: every held route is announced, history dropped
        speaker.reload(ConfigParser.parse("rri.conf", CONFIG));
        loop.runReady();
        assertTrue(sink.last().containsKey(A_LAN));
        assertEquals(0, size(v -> v.dampeningHistory()));
        assertEquals(0, suppressedGauge());

        // on again: the SAs that are up are known, so their next flaps count
        speaker.reload(ConfigParser.parse("rri.conf", DAMPENING + CONFIG));
        loop.runReady();
        for (int i = 0; i < 3; i++) {
            a = flap(a, "192.0.2.2", "spoke-a", "10.81.2.0/29");
        }
        ms(10);
        assertFalse(sink.last().containsKey(A_LAN));
    }

    @Test
    void withoutDampeningEveryFlapIsAnnounced() throws Exception {
        start(CONFIG);
        ChildSa a = sa("192.0.2.2", "spoke-a", "10.81.2.0/29");
        submit(new SaEvent.ChildUp(a));
        for (int i = 0; i < 10; i++) {
            a = flap(a, "192.0.2.2", "spoke-a", "10.81.2.0/29");
        }
        ms(10);
        assertEquals(Map.of(A_LAN, sink.last().get(A_LAN)), sink.last());
        assertEquals(0, counter(Meters.DAMPENING_FLAPS));
    }
}
