package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.Daemon;
import net.rrispeaker.lab.Exec;
import net.rrispeaker.lab.Lab;
import net.rrispeaker.lab.Topology;
import org.junit.jupiter.api.Test;

/**
 * The lab on its own, without the speaker: the tunnel comes up between the two charons with
 * both LANs, gobgpd peers with FRR core over IPv4 and IPv6, a path put into gobgpd by hand
 * reaches core with gobgpd's address as next hop, and closing the lab leaves no namespace, no
 * process and no dir behind.
 */
class LabHarnessIT {

    @Test
    void labComesUpCarriesATunnelAndBgpAndLeavesNothingBehind() {
        Path dir;
        List<Long> pids;
        List<String> namespaces;
        try (Lab lab = Lab.start()) {
            dir = lab.dir();
            namespaces = ourNamespaces();
            assertEquals(3, namespaces.size(), "namespaces of this lab: " + namespaces);

            lab.initiate();
            String sas = lab.hubSas();
            assertTrue(sas.contains(Topology.SPOKE_LAN4) && sas.contains(Topology.SPOKE_LAN6),
                    "hub CHILD_SA remote selectors: " + sas);
            assertEquals(1, lab.hubInstalledChildren(), sas);

            // a path added by hand (next hop self) reaches core with the hub's address as next hop
            lab.gobgpd().cli("global", "rib", "-a", "ipv4", "add", "10.81.255.248/29", "community", "65000:5").check();
            String nh = Await.until(Duration.ofSeconds(10), "10.81.255.248/29 at core", () -> {
                var p = lab.core().bgpRoute("10.81.255.248/29");
                return p.isMissingNode() ? java.util.Optional.empty()
                        : java.util.Optional.of(p.path("nexthops").path(0).path("ip").asText());
            });
            assertEquals(Topology.HUB_CORE4, nh);
            lab.gobgpd().cli("global", "rib", "-a", "ipv4", "del", "10.81.255.248/29").check();

            lab.terminate();
            Await.until(Duration.ofSeconds(10), "hub without CHILD_SA", () -> lab.hubInstalledChildren() == 0);
            pids = lab.processPids();
            assertTrue(pids.size() == 5, "daemons: " + pids);
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    && !zombie(pid), "process " + pid + " still running after close");
        }
        List<String> left = ourNamespaces();
        assertTrue(left.stream().noneMatch(namespaces::contains), "namespaces left: " + left);
        assertFalse(Files.exists(dir), dir + " left behind");
    }

    private static List<String> ourNamespaces() {
        String prefix = "rri-" + ProcessHandle.current().pid() + "-";
        return Exec.run("ip", "netns", "list").stdout().lines()
                .map(l -> l.split("\\s+")[0]).filter(n -> n.startsWith(prefix)).toList();
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (Exception e) {
            return true;
        }
    }
}
