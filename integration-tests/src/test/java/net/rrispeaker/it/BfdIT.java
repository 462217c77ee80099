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
        assertTrue(bgpTcpEstablished(), "the core's BGP TCP connection to " + Topology.HUB_CORE4);
        long t0 = System.nanoTime();
        lab.gobgpd().freeze();
        hubBfdd.freeze();
        try {
            // the core's kernel TCP table, read straight from /proc (no process to start): the moment
            // bgpd closes the session is seen within a fraction of a millisecond
            long dropped = -1;
            while (System.nanoTime() - t0 < Duration.ofSeconds(15).toNanos()) {
                if (!bgpTcpEstablished()) {
                    dropped = (System.nanoTime() - t0) / 1_000_000;
                    break;
                }
                Thread.onSpinWait();
            }
            assertTrue(dropped >= 0, "the core kept the session to a frozen headend for 15 s");
            Await.until(Duration.ofSeconds(5), "the core's bgpd: session not Established", () -> !established(Topology.HUB_CORE4));
            com.fasterxml.jackson.databind.JsonNode why = lab.core().json("show bgp neighbors " + Topology.HUB_CORE4
                    + " json").path(Topology.HUB_CORE4);
            String reason = why.path("lastNotificationReason").asText() + " / " + why.path("lastResetDueTo").asText();
            System.out.printf("BFD failover: the core dropped its BGP session to the frozen headend %d ms after the "
                    + "freeze (%s; BFD 100 ms x 3, BGP hold time 9 s)%n", dropped, reason);
            assertTrue(reason.contains("BFD"), "dropped because of BFD: " + reason);
            assertTrue(dropped < 1000, "the core dropped the session " + dropped
                    + " ms after the freeze (expected: under 1 s, BFD time)");
            assertFalse("up".equals(coreBfdd.status(Topology.HUB_CORE4)));
        } finally {
            hubBfdd.thaw();
            lab.gobgpd().thaw();
        }
    }

    /** An ESTABLISHED TCP connection between the core and the hub's {@code HUB_CORE4} on port 179, in the core's namespace. */
    private boolean bgpTcpEstablished() {
        String hub = String.format("%08X", Integer.reverseBytes(java.nio.ByteBuffer.wrap(
                net.rrispeaker.model.Addresses.parse(Topology.HUB_CORE4).getAddress()).getInt()));
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc", Long.toString(coreBfdd.pid()), "net", "tcp"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String l : lines) {
            String[] t = l.trim().split("\\s+");
            if (t.length > 3 && t[2].startsWith(hub + ":") && "01".equals(t[3])
                    && (t[1].endsWith(":00B3") || t[2].endsWith(":00B3"))) {
                return true;
            }
        }
        return false;
    }

    /** The core's bgpd: the session to {@code neighbour} is Established. */
    private boolean established(String neighbour) {
        return lab.core().established(neighbour);
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
