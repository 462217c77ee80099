package net.rrispeaker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import net.rrispeaker.control.api.CryptoRoute;
import net.rrispeaker.control.api.DampenedPeer;
import net.rrispeaker.control.api.RriControlGrpc;
import net.rrispeaker.control.api.ShowCryptoRouteRequest;
import net.rrispeaker.control.api.ShowDampeningRequest;
import net.rrispeaker.control.api.ShowDampeningResponse;
import net.rrispeaker.control.api.ShowSaRequest;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code show dampening} and the dampened mark in {@code show crypto route} and {@code show sa}, through the control API. */
class ShowDampeningTest {
    @TempDir
    Path dir;
    private InProcessSpeaker speaker;
    private RriControlGrpc.RriControlBlockingStub stub;
    private long child = 10;

    @AfterEach
    void stop() {
        if (speaker != null) {
            speaker.close();
        }
    }

    private void start(String config) throws Exception {
        speaker = new InProcessSpeaker(dir, config);
        stub = RriControlGrpc.newBlockingStub(speaker.channel());
    }

    private ChildSa sa() {
        child++;
        return new ChildSa("spokes", 1, "lan", child, 1, Addresses.parse("192.0.2.1"), Addresses.parse("192.0.2.2"),
                "spoke-a", List.of(Prefix.parse("10.80.0.0/16")), List.of(Prefix.parse("10.81.2.0/29")), 0, List.of());
    }

    @Test
    void aPeerSuppressedAfterThreeFlapsIsListedWithItsPenaltyAndItsRoutesAreMarked() throws Exception {
        // withdraw delay 0: each down is a flap at once; half-life 900 s
        start("rri dampening\n" + InProcessSpeaker.CONFIG);
        ChildSa a = sa();
        speaker.submit(new SaEvent.ChildUp(a));
        for (int i = 0; i < 3; i++) {
            speaker.submit(new SaEvent.ChildDown(a));
            a = sa();
            speaker.submit(new SaEvent.ChildUp(a));
        }
        ShowDampeningResponse r = stub.showDampening(ShowDampeningRequest.getDefaultInstance());
        assertTrue(r.getEnabled());
        assertEquals(List.of(900, 750, 2000, 3600, 12000),
                List.of(r.getHalfLifeS(), r.getReuse(), r.getSuppress(), r.getMaxSuppressS(), r.getMaxPenalty()));
        assertEquals(1, r.getPeersCount());
        DampenedPeer p = r.getPeers(0);
        assertEquals("192.0.2.2", p.getRemoteHost());
        assertEquals("spoke-a", p.getRemoteId());
        assertEquals(3, p.getFlaps());
        assertTrue(p.getSuppressed());
        assertTrue(p.getPenalty() > 2990 && p.getPenalty() <= 3000, "three flaps within a moment: " + p.getPenalty());
        // 3000 -> 750 is two half-lives: 1800 s
        assertTrue(p.getReuseInMs() > 1_790_000 && p.getReuseInMs() <= 1_800_000, "reuse in " + p.getReuseInMs());
        assertEquals(1, p.getSas());
        assertEquals(1, p.getDampenedRoutes());

        String text = DampeningFormatter.format(r);
        assertTrue(text.startsWith("Dampening: half-life 900 s, reuse 750, suppress 2000, max-suppress-time 3600 s,"
                + " maximum penalty 12000\n"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("d  192.0.2.2") && l.contains("spoke-a")
                && l.contains(" 3 ") && l.contains("00:30:00")), text);

        List<CryptoRoute> routes = stub.showCryptoRoute(ShowCryptoRouteRequest.getDefaultInstance()).getRoutesList();
        CryptoRoute held = routes.stream().filter(x -> x.getPrefix().equals("10.81.2.0/29")).findFirst().orElseThrow();
        assertTrue(held.getDampened());
        assertFalse(held.getWithdrawing());
        assertTrue(CryptoRouteFormatter.line(held).endsWith("RRI tag 5 (dampened)\n"), CryptoRouteFormatter.line(held));
        assertEquals(List.of("10.81.2.0/29 via 192.0.2.2 (dampened)"),
                stub.showSa(ShowSaRequest.getDefaultInstance()).getSas(0).getRoutesList());
    }

    @Test
    void offWithoutTheLine() throws Exception {
        start(InProcessSpeaker.CONFIG);
        ShowDampeningResponse r = stub.showDampening(ShowDampeningRequest.getDefaultInstance());
        assertFalse(r.getEnabled());
        assertEquals("Dampening is off (no 'rri dampening' line in the configuration)\n", DampeningFormatter.format(r));
    }

    @Test
    void hmsRoundsUp() {
        assertEquals("00:00:01", DampeningFormatter.hms(300));
        assertEquals("01:01:01", DampeningFormatter.hms(3_661_000));
    }
}
