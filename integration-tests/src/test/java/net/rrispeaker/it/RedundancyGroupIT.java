package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.rrispeaker.control.api.CryptoRoute;
import net.rrispeaker.control.api.RedundancyGroupStatus;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.GobgpObserver;
import net.rrispeaker.lab.GobgpObserver.PathView;
import net.rrispeaker.lab.Keepalived;
import net.rrispeaker.lab.Lab;
import net.rrispeaker.lab.Netns;
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
 * Redundancy groups end to end, as the IPsec HA with HSRP deployment: two real keepalived (VRRPv3,
 * adverts every 200 ms) on two headends, the hub's namespace and a second one linked to it by a
 * veth; the speaker beside the hub's charon and gobgpd follows the hub's keepalived through its
 * notify FIFO. The tunnel's routes reach gobgpd only while the hub is MASTER (or, in standby
 * announce mode, with the worse LOCAL_PREF while it is not). Scenarios in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedundancyGroupIT {
    private static final long OUR_PATH_ID = 21074;
    private static final List<String> LANS = List.of(Topology.SPOKE_LAN4, Topology.SPOKE_LAN6);
    private static final Duration CONVERGE = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(1500);

    private Lab lab;
    private SpeakerProcess speaker;
    private GobgpObserver gobgp;
    private Keepalived hubVrrp;
    private Keepalived peerVrrp;
    private Path config;

    @RegisterExtension
    final TestWatcher diagnostics = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            report(context.getDisplayName());
        }
    };

    private String speakerConfig(String standby) throws IOException {
        String base = Files.readString(lab.writeSpeakerConfig());
        return base + """
                !
                rri redundancy HA vrrp-instance RRI
                rri redundancy notify-fifo %s
                %s
                interface wan0
                 crypto map VPN redundancy HA
                """.formatted(fifo(), standby);
    }

    private Path fifo() {
        return lab.dir().resolve("rri-vrrp.fifo");
    }

    @BeforeAll
    void startLabKeepalivedAndSpeaker() throws Exception {
        lab = Lab.start();
        try {
            Netns hub = lab.hubNamespace();
            Netns peer = lab.addNamespace("peer");
            exec("ip", "-n", hub.name(), "link", "add", "ha0", "type", "veth", "peer", "name", "ha0", "netns", peer.name());
            exec("ip", "-n", hub.name(), "addr", "add", "10.255.0.1/24", "dev", "ha0");
            exec("ip", "-n", peer.name(), "addr", "add", "10.255.0.2/24", "dev", "ha0");
            exec("ip", "-n", hub.name(), "link", "set", "ha0", "up");
            exec("ip", "-n", peer.name(), "link", "set", "ha0", "up");
            peerVrrp = new Keepalived(lab, peer, "peer", "RRI", "ha0", 150, "10.255.0.100/24", null);
            hubVrrp = new Keepalived(lab, hub, "hub", "RRI", "ha0", 100, "10.255.0.100/24", fifo());
            peerVrrp.start();
            Await.until(CONVERGE, "peer keepalived MASTER", () -> peerVrrp.state().equals("MASTER"));
            hubVrrp.start();
            Await.until(CONVERGE, "hub keepalived BACKUP", () -> hubVrrp.state().equals("BACKUP"));

            config = lab.dir().resolve("speaker-ha.conf");
            Files.writeString(config, speakerConfig(""));
            speaker = new SpeakerProcess(lab, SpeakerProcess.defaultJar(), config);
            speaker.start();
            gobgp = new GobgpObserver(lab.gobgpSocket());
            gobgp.watch();
        } catch (RuntimeException | Error e) {
            report("start");
            throw e;
        }
    }

    @AfterAll
    void stopEverything() {
        if (gobgp != null) {
            gobgp.close();
        }
        if (lab != null) {
            lab.close(); // keepalived, the speaker and every daemon by PID; the namespaces (peer included)
        }
    }

    @Test
    @Order(1)
    void tunnelUpWhileBackupIsInTheSpeakersTableButNotInGobgpd() {
        lab.initiate();
        Await.until(CONVERGE, "speaker has both LANs", () -> speakerRoutes().containsAll(LANS));
        Await.until(CONVERGE, "speaker knows the group is BACKUP", () -> group().getState().equals("BACKUP"));
        Await.holdsFor(QUIET, "nothing of ours in gobgpd while BACKUP",
                () -> LANS.stream().allMatch(lan -> ours(lan).isEmpty()));
        RedundancyGroupStatus g = group();
        assertEquals("RRI", g.getVrrpInstance());
        assertEquals(100, g.getPriority());
        assertTrue(!g.getActive());
        assertTrue(speaker.cryptoRoutes().stream().filter(r -> LANS.contains(r.getPrefix()))
                .allMatch(r -> r.getRedundancyGroup().equals("HA STANDBY")), "" + speaker.cryptoRoutes());
    }

    @Test
    @Order(2)
    void peerKeepalivedStoppedMakesTheHubMasterAndTheRoutesAppear() {
        long t0 = System.nanoTime();
        peerVrrp.stop();
        awaitAnnounced(81);
        System.out.printf("peer keepalived stopped -> routes in gobgpd after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertEquals("MASTER", hubVrrp.state());
        assertTrue(group().getActive());
    }

    @Test
    @Order(3)
    void hubKeepalivedRestartedWithdrawsThenTheReopenedFifoBringsThemBack() {
        hubVrrp.stop(); // STOP on the FIFO, then keepalived removes it
        awaitWithdrawn();
        hubVrrp.start(); // creates the FIFO again; the speaker's reader opens it anew
        long t0 = System.nanoTime();
        awaitAnnounced(81);
        System.out.printf("hub keepalived restarted (peer down) -> routes back in gobgpd after %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    @Order(4)
    void keepalivedReloadOnTheMasterWithdrawsNothing() {
        awaitAnnounced(81);
        int mark = gobgp.mark();
        hubVrrp.reload(); // closes and reopens the FIFO without repeating MASTER
        Await.holdsFor(Duration.ofSeconds(4), "nothing withdrawn across a keepalived reload",
                () -> gobgp.withdrawalsSince(mark).isEmpty());
        assertTrue(group().getActive(), "still MASTER");
    }

    @Test
    @Order(5)
    void peerBackWithHigherPriorityWithdrawsThem() {
        long t0 = System.nanoTime();
        peerVrrp.start();
        awaitWithdrawn();
        System.out.printf("peer keepalived back (priority 150) -> withdrawn from gobgpd after %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        Await.until(CONVERGE, "hub BACKUP", () -> hubVrrp.state().equals("BACKUP"));
        assertEquals(1, lab.hubInstalledChildren(), "the SA keeps running on the standby headend");
        assertTrue(speakerRoutes().containsAll(LANS));
    }

    @Test
    @Order(6)
    void standbyAnnounceKeepsThePathsWithTheWorseLocalPref() throws Exception {
        Files.writeString(config, speakerConfig("rri redundancy HA standby announce local-preference 50"));
        speaker.hangUp();
        awaitAnnounced(50);
        peerVrrp.stop();
        awaitAnnounced(81);
        peerVrrp.start();
        awaitAnnounced(50);
    }

    @Test
    @Order(7)
    void sigtermWithdrawsTheSpeakersPaths() {
        awaitAnnounced(50);
        speaker.stop();
        awaitWithdrawn();
    }

    // ------------------------------------------------------------------ helpers

    private static void exec(String... cmd) {
        net.rrispeaker.lab.Exec.run(Duration.ofSeconds(15), java.util.Map.of(), List.of(cmd)).check();
    }

    private RedundancyGroupStatus group() {
        return speaker.status().getRedundancyGroups(0);
    }

    private Set<String> speakerRoutes() {
        return speaker.cryptoRoutes().stream().map(CryptoRoute::getPrefix).collect(Collectors.toSet());
    }

    private List<PathView> ours(String lan) {
        return gobgp.paths(lan).stream().filter(p -> p.identifier() == OUR_PATH_ID).toList();
    }

    private void awaitAnnounced(int localPref) {
        for (String lan : LANS) {
            Await.until(CONVERGE, lan + " in gobgpd with LOCAL_PREF " + localPref, () -> {
                List<PathView> p = ours(lan);
                return p.size() == 1 && p.get(0).localPref() != null && p.get(0).localPref() == localPref;
            });
        }
    }

    private void awaitWithdrawn() {
        for (String lan : LANS) {
            Await.until(CONVERGE, lan + " withdrawn from gobgpd", () -> ours(lan).isEmpty());
        }
    }

    private void report(String when) {
        System.err.println("=== " + when + ": diagnostics");
        if (speaker != null) {
            System.err.println("--- speaker log\n" + speaker.logTail(60));
        }
        if (hubVrrp != null) {
            System.err.println("--- hub keepalived\n" + hubVrrp.logTail(30));
        }
        if (peerVrrp != null) {
            System.err.println("--- peer keepalived\n" + peerVrrp.logTail(30));
        }
        if (lab != null) {
            System.err.println(lab.diagnostics());
        }
    }
}
