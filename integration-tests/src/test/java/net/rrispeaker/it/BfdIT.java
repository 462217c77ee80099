package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.rrispeaker.control.api.BfdSession;
import net.rrispeaker.control.api.ComponentStatus;
import net.rrispeaker.control.api.ShowBfdResponse;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.Bfdd;
import net.rrispeaker.lab.Exec;
import net.rrispeaker.lab.Lab;
import net.rrispeaker.lab.SpeakerProcess;
import net.rrispeaker.lab.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * BFD for gobgpd's sessions, kept by the speaker in FRR's bfdd: real gobgpd, zebra and bfdd in the
 * hub (headend), a real FRR core with {@code neighbor HUB bfd} (bfdd beside its bgpd, 100 ms), the
 * speaker with {@code rri bfd}. The speaker creates a bfdd peer per gobgpd neighbour, the core's
 * BFD sessions come up; a neighbour added to or removed from gobgpd gets or loses its peer; the
 * operator's own bfdd peers are never touched; a bfdd restart is healed; and a frozen headend
 * (SIGSTOP of gobgpd and bfdd, the link stays up) costs the core its BGP session in BFD time
 * instead of the hold time (9 s). One lab for the class, scenarios in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BfdIT {
    private static final String PROFILE = "rri-speaker";
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    /** A gobgpd neighbour added at run time (no router there: its sessions stay down). */
    private static final String EXTRA = "10.80.12.3";
    /** A gobgpd neighbour the operator has a bfdd peer for. */
    private static final String OPERATORS_NEIGHBOUR = "10.80.12.4";
    /** A bfdd peer of the operator's for no gobgpd neighbour at all. */
    private static final String OPERATORS_PEER = "peer 10.80.99.9 local-address " + Topology.HUB_CORE4;

    private Lab lab;
    private Bfdd hubBfdd;
    private Bfdd coreBfdd;
    private SpeakerProcess speaker;

    @RegisterExtension
    final TestWatcher diagnostics = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            report(context.getDisplayName());
        }
    };

    @BeforeAll
    void startLab() throws IOException {
        lab = Lab.start();
        try {
            hubBfdd = lab.startHubBfdd();
            coreBfdd = lab.startCoreBfd("FAST", 100);
            // the operator's own peers in the headend's bfdd, before the speaker starts
            hubBfdd.configure(OPERATORS_PEER, "exit", "peer " + OPERATORS_NEIGHBOUR, "transmit-interval 250", "exit");
            Path config = lab.writeSpeakerConfig();
            Files.writeString(config, "rri bfd transmit-interval 100 receive-interval 100 detect-multiplier 3\n"
                    + "rri bfd vtysh-socket-dir " + hubBfdd.dir() + " poll-interval 1\n", StandardOpenOption.APPEND);
            speaker = new SpeakerProcess(lab, SpeakerProcess.defaultJar(), config);
            speaker.start();
        } catch (RuntimeException | Error e) {
            report("start");
            throw e;
        }
    }

    @AfterAll
    void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void theSpeakerCreatesAPeerPerNeighbourAndTheCoresSessionsComeUp() {
        Await.until(CONVERGE, "the core's BFD sessions to the hub up", () ->
                "up".equals(coreBfdd.status(Topology.HUB_CORE4)) && "up".equals(coreBfdd.status(Topology.HUB_CORE6)));
        String running = hubBfdd.runningConfig();
        assertTrue(running.contains(" peer " + Topology.CORE_HUB4 + " local-address " + Topology.HUB_CORE4 + "\n  profile "
                + PROFILE + "\n"), running);
        assertTrue(running.contains(" peer " + Topology.CORE_HUB6 + " local-address " + Topology.HUB_CORE6 + "\n  profile "
                + PROFILE + "\n"), running);
        assertTrue(running.contains(" profile " + PROFILE + "\n  transmit-interval 100\n  receive-interval 100\n"), running);
        Await.until(CONVERGE, "show bfd: both sessions up", () -> {
            ShowBfdResponse r = speaker.bfd();
            return r.getHealthy() && r.getSessionsCount() == 2
                    && r.getSessionsList().stream().allMatch(s -> "up".equals(s.getStatus()) && "speaker".equals(s.getOwner()));
        });
        ShowBfdResponse r = speaker.bfd();
        BfdSession v4 = session(r, Topology.CORE_HUB4);
        assertEquals("peer " + Topology.CORE_HUB4 + " local-address " + Topology.HUB_CORE4, v4.getPeer());
        assertEquals(List.of(100, 100, 3), List.of(v4.getTransmitIntervalMs(), v4.getReceiveIntervalMs(),
                v4.getDetectMultiplier()));
        assertEquals("ESTABLISHED", v4.getBgpState());
        Exec.Result cli = speaker.show("bfd");
        assertTrue(cli.ok(), cli.stderr());
        System.out.println("show bfd:\n" + cli.stdout());
        assertTrue(cli.stdout().contains(Topology.CORE_HUB4) && cli.stdout().contains("up"), cli.stdout());
        ComponentStatus bfd = component("bfd");
        assertTrue(bfd.getConnected(), bfd.getDetail());
    }

    @Test
    @Order(2)
    void aNeighbourAddedToGobgpdGetsAPeerAndLosesItWhenRemoved() {
        lab.gobgpd().cli("neighbor", "add", EXTRA, "as", Integer.toString(Topology.AS)).check();
        String peer = " peer " + EXTRA + "\n  profile " + PROFILE + "\n";
        Await.until(CONVERGE, "a bfdd peer for the new neighbour " + EXTRA, () -> hubBfdd.runningConfig().contains(peer));
        Await.until(CONVERGE, "health degraded: the new neighbour's session is down", () -> !component("bfd").getConnected());
        assertTrue(component("bfd").getDetail().contains(EXTRA), component("bfd").getDetail());
        lab.gobgpd().cli("neighbor", "del", EXTRA).check();
        Await.until(CONVERGE, "the peer for " + EXTRA + " removed", () -> !hubBfdd.runningConfig().contains(" peer " + EXTRA));
        Await.until(CONVERGE, "health back", () -> component("bfd").getConnected());
    }

    @Test
    @Order(3)
    void theOperatorsOwnPeersAreNeverTouched() {
        lab.gobgpd().cli("neighbor", "add", OPERATORS_NEIGHBOUR, "as", Integer.toString(Topology.AS)).check();
        Await.until(CONVERGE, "show bfd: " + OPERATORS_NEIGHBOUR + " covered by the operator's peer", () ->
                speaker.bfd().getSessionsList().stream().anyMatch(s -> s.getNeighbor().equals(OPERATORS_NEIGHBOUR)
                        && "operator".equals(s.getOwner())));
        lab.gobgpd().cli("neighbor", "del", OPERATORS_NEIGHBOUR).check();
        Await.until(CONVERGE, "show bfd: " + OPERATORS_NEIGHBOUR + " gone", () ->
                speaker.bfd().getSessionsList().stream().noneMatch(s -> s.getNeighbor().equals(OPERATORS_NEIGHBOUR)));
        String running = hubBfdd.runningConfig();
        assertTrue(running.contains(" " + OPERATORS_PEER + "\n exit\n"), "kept, without our profile:\n" + running);
        assertTrue(running.contains(" peer " + OPERATORS_NEIGHBOUR + "\n  transmit-interval 250\n exit\n"),
                "kept as the operator wrote it:\n" + running);
    }

    @Test
    @Order(4)
    void aBfddRestartIsHealed() {
        hubBfdd.restart();
        String peer = " peer " + Topology.CORE_HUB4 + " local-address " + Topology.HUB_CORE4 + "\n  profile " + PROFILE;
        Await.until(CONVERGE, "the speaker puts its peers back into the restarted bfdd",
                () -> hubBfdd.runningConfig().contains(peer));
        Await.until(CONVERGE, "the core's BFD sessions up again", () ->
                "up".equals(coreBfdd.status(Topology.HUB_CORE4)) && "up".equals(coreBfdd.status(Topology.HUB_CORE6)));
        Await.until(CONVERGE, "show bfd: restart seen, healthy", () -> {
            ShowBfdResponse r = speaker.bfd();
            return r.getBfddRestarts() >= 1 && r.getHealthy();
        });
    }

    @Test
    @Order(5)
    void aFrozenHeadendLosesItsBgpSessionAtTheCoreInBfdTime() {
        lab.awaitBgp(CONVERGE);
        Await.until(CONVERGE, "the core's BFD session up", () -> "up".equals(coreBfdd.status(Topology.HUB_CORE4)));
        long t0 = System.nanoTime();
        lab.gobgpd().freeze();
        hubBfdd.freeze();
        try {
            long lost = -1;
            while (System.nanoTime() - t0 < Duration.ofSeconds(15).toNanos()) {
                if (!established(Topology.HUB_CORE4)) {
                    lost = System.nanoTime() - t0;
                    break;
                }
            }
            System.out.printf("BFD failover: the core dropped its BGP session to the frozen headend after %d ms "
                    + "(BFD 100 ms x 3; BGP hold time 9 s)%n", lost / 1_000_000);
            assertTrue(lost > 0, "the core kept the session to a frozen headend for 15 s");
            assertTrue(lost < Duration.ofSeconds(1).toNanos(), "the core dropped the session after " + lost / 1_000_000
                    + " ms (expected: under 1 s, BFD time)");
            assertFalse("up".equals(coreBfdd.status(Topology.HUB_CORE4)));
        } finally {
            hubBfdd.thaw();
            lab.gobgpd().thaw();
        }
    }

    /** The core's bgpd alone ({@code -d bgpd}: vtysh does not wait for the other daemons). */
    private boolean established(String neighbour) {
        Exec.Result r = Exec.run(Duration.ofSeconds(5), Map.of(), List.of("vtysh", "--vty_socket",
                lab.core().dir().toString(), "-d", "bgpd", "-c", "show bgp neighbors " + neighbour + " json"));
        return r.stdout().contains("\"bgpState\":\"Established\"");
    }

    private static BfdSession session(ShowBfdResponse r, String neighbour) {
        return r.getSessionsList().stream().filter(s -> s.getNeighbor().equals(neighbour)).findFirst()
                .orElseThrow(() -> new AssertionError("show bfd: no " + neighbour + " in " + r));
    }

    private ComponentStatus component(String name) {
        return speaker.status().getComponentsList().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("show status: no component " + name));
    }

    private void report(String when) {
        System.err.println("BfdIT failed at " + when + "\n" + (lab == null ? "" : lab.diagnostics())
                + (speaker == null ? "" : "--- speaker\n" + speaker.logTail(60))
                + (hubBfdd == null ? "" : "--- hub bfdd\n" + hubBfdd.logTail(30))
                + (coreBfdd == null ? "" : "--- core bfdd\n" + coreBfdd.logTail(30)));
    }
}
