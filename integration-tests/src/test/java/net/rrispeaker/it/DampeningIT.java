package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.rrispeaker.control.api.CryptoRoute;
import net.rrispeaker.control.api.DampenedPeer;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.GobgpObserver;
import net.rrispeaker.lab.GobgpObserver.PathView;
import net.rrispeaker.lab.Lab;
import net.rrispeaker.lab.SpeakerProcess;
import net.rrispeaker.lab.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code rri dampening} end to end: a real spoke charon brings its tunnel to the real hub up and
 * down again and again ({@code swanctl --initiate} / {@code --terminate}); the speaker, with small
 * dampening numbers, suppresses the peer at its third flap: the tunnel is up but gobgpd has no path
 * for the spoke's LANs, {@code show crypto route} marks them dampened and {@code show dampening}
 * lists the peer. When the penalty has decayed to the reuse limit the paths are back in gobgpd,
 * while the tunnel stayed up (no new SA needed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DampeningIT {
    private static final long OUR_PATH_ID = 21074;
    private static final List<String> LANS = List.of(Topology.SPOKE_LAN4, Topology.SPOKE_LAN6);
    private static final Duration CONVERGE = Duration.ofSeconds(20);
    /** Half-life 20 s, reuse 750, suppress 2000, max-suppress-time 80 s (ceiling 12000); a flap cycle of the lab takes a few seconds. */
    private static final String DAMPENING = "rri dampening 20 750 2000 80\n";

    private Lab lab;
    private SpeakerProcess speaker;
    private GobgpObserver gobgp;

    @BeforeAll
    void start() {
        lab = Lab.start();
        try {
            Path config = lab.writeSpeakerConfig();
            Files.writeString(config, DAMPENING + Files.readString(config));
            speaker = new SpeakerProcess(lab, SpeakerProcess.defaultJar(), config);
            speaker.start();
            gobgp = new GobgpObserver(lab.gobgpSocket());
            gobgp.watch();
        } catch (IOException e) {
            report();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            report();
            throw e;
        }
    }

    @AfterAll
    void stop() {
        if (gobgp != null) {
            gobgp.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aFlappingTunnelIsSuppressedInGobgpdAndComesBackAtReuseWithoutANewSa() {
        try {
            run();
        } catch (RuntimeException | Error e) {
            report();
            throw e;
        }
    }

    private void run() {
        lab.initiate();
        awaitAnnounced();
        // flap 1 and 2: withdrawn and announced again each time (penalty stays below 2000)
        for (int flap = 1; flap <= 2; flap++) {
            lab.terminate();
            awaitWithdrawn();
            awaitFlaps(flap);
            lab.initiate();
            awaitAnnounced();
        }
        assertEquals(0, speaker.dampening().getPeersList().stream().filter(DampenedPeer::getSuppressed).count(),
                "two flaps: not suppressed");

        // flap 3: the penalty goes above 2000
        lab.terminate();
        awaitWithdrawn();
        awaitFlaps(3);
        DampenedPeer peer = speaker.dampening().getPeers(0);
        assertTrue(peer.getSuppressed(), "third flap suppresses: " + peer);
        assertEquals(Topology.SPOKE_WAN, peer.getRemoteHost());

        lab.initiate();
        Await.until(CONVERGE, "the tunnel is up on the hub", () -> lab.hubInstalledChildren() > 0);
        long upAt = System.nanoTime();
        Await.until(CONVERGE, "the speaker holds the LANs back as dampened", () -> speaker.cryptoRoutes().stream()
                .filter(CryptoRoute::getDampened).map(CryptoRoute::getPrefix).toList().containsAll(LANS));
        DampenedPeer now = speaker.dampening().getPeers(0);
        long asked = System.nanoTime();
        long reuseInMs = now.getReuseInMs();
        assertTrue(now.getSuppressed() && reuseInMs > 3_000, "suppressed for a while yet: " + now);
        Await.holdsFor(Duration.ofSeconds(2), "no path for the spoke's LANs in gobgpd while the tunnel is up",
                () -> LANS.stream().allMatch(lan -> ours(lan).isEmpty()));
        String show = speaker.showCryptoRoute(false).check().stdout();
        assertTrue(show.contains("(dampened)"), "show crypto route:\n" + show);
        String damp = speaker.showDampening().check().stdout();
        assertTrue(damp.lines().anyMatch(l -> l.startsWith("d ") && l.contains(Topology.SPOKE_WAN)),
                "show dampening:\n" + damp);
        System.out.println(damp);

        // back when the penalty has decayed to 750, the same SA still up
        awaitAnnouncedWithin(Duration.ofMillis(reuseInMs).plusSeconds(10));
        // (the gobgpd RIB is polled: "back after" is at most one poll late)
        long backAfterMs = (System.nanoTime() - asked) / 1_000_000;
        System.out.printf("suppressed peer: reuse-in %d ms reported, paths back in gobgpd after %d ms%n", reuseInMs,
                backAfterMs);
        assertTrue(backAfterMs >= reuseInMs - 1_000, "not before the reuse time: back after " + backAfterMs
                + " ms, reuse was " + reuseInMs + " ms away");
        assertTrue(lab.hubInstalledChildren() > 0, "no new SA was needed");
        assertTrue(speaker.dampening().getPeersList().stream().noneMatch(DampenedPeer::getSuppressed));
        assertTrue(speaker.cryptoRoutes().stream().noneMatch(CryptoRoute::getDampened));
        System.out.printf("tunnel up for %d ms before its paths were announced%n", (System.nanoTime() - upAt) / 1_000_000);
    }

    private void awaitFlaps(int n) {
        Await.until(CONVERGE, n + " flap(s) counted", () -> speaker.dampening().getPeersList().stream()
                .anyMatch(p -> p.getFlaps() == n));
    }

    private List<PathView> ours(String lan) {
        return gobgp.paths(lan).stream().filter(p -> p.identifier() == OUR_PATH_ID).toList();
    }

    private void awaitAnnounced() {
        awaitAnnouncedWithin(CONVERGE);
    }

    private void awaitAnnouncedWithin(Duration timeout) {
        for (String lan : LANS) {
            Await.until(timeout, lan + " announced in gobgpd", () -> ours(lan).size() == 1 ? Optional.of(true)
                    : Optional.empty());
        }
    }

    private void awaitWithdrawn() {
        for (String lan : LANS) {
            Await.until(CONVERGE, lan + " withdrawn from gobgpd", () -> ours(lan).isEmpty());
        }
    }

    private void report() {
        System.err.println("==== speaker log tail:");
        System.err.println(speaker == null ? "(speaker not started)" : speaker.logTail(80));
        if (lab != null) {
            System.err.println("==== lab:");
            System.err.println(lab.diagnostics());
        }
    }
}
