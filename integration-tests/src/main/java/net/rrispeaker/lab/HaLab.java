package net.rrispeaker.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import net.rrispeaker.lab.HaInvariant.Design;
import net.rrispeaker.lab.HaInvariant.Report;
import net.rrispeaker.lab.HaTopology.HeadendAddrs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The redundant-headend lab ({@link HaTopology}): two spokes with tunnels to two headends, each
 * headend with charon, gobgpd, keepalived, zebra + bfdd and its own speaker, and an FRR core router
 * with iBGP to both. Built in namespaces of this JVM and always cleaned up ({@link LabResources}).
 */
public final class HaLab implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HaLab.class);

    private final LabResources res;
    private final Path speakerJar;
    private final List<Headend> headends = new ArrayList<>();
    private final List<Charon> spokes = new ArrayList<>();
    private Frr core;
    private FrrVty coreVty;
    private FrrVty coreZebraVty;
    private Design design = Design.DUAL_HEADEND;

    private HaLab(Path speakerJar) {
        this.speakerJar = speakerJar;
        this.res = LabResources.create(this::close);
    }

    /** Builds the lab and waits until every tunnel is up and the core holds exactly the truth. */
    public static HaLab start(Path speakerJar) {
        HaLab lab = new HaLab(speakerJar);
        try {
            lab.build();
            return lab;
        } catch (RuntimeException | Error e) {
            log.error("lab={} reason=start-failed\n{}", lab.dir(), lab.diagnostics());
            lab.close();
            throw e;
        }
    }

    private void build() {
        long t0 = System.nanoTime();
        Netns wan = res.netns("wan");
        Netns coreNs = res.netns("core");
        LabResources.ip("-n", wan.name(), "link", "add", "br0", "type", "bridge");
        LabResources.ip("-n", wan.name(), "link", "set", "br0", "up");
        List<Netns> spokeNs = new ArrayList<>();
        for (int i = 0; i < HaTopology.SPOKES.size(); i++) {
            Netns ns = res.netns(HaTopology.SPOKES.get(i));
            spokeNs.add(ns);
            outside(wan, ns, HaTopology.spokeWan(i));
            // the spoke's LANs, on a veth pair kept inside it: charon (kernel-libipsec) routes each
            // CHILD_SA's remote selector from an address inside its local selector
            LabResources.ip("-n", ns.name(), "link", "add", "lan0", "type", "veth", "peer", "name", "lan0p");
            for (String lan : HaTopology.spokeLans(i)) {
                LabResources.addr(ns, HaTopology.firstHost(lan), "lan0");
            }
            LabResources.ip("-n", ns.name(), "link", "set", "lan0", "up");
            LabResources.ip("-n", ns.name(), "link", "set", "lan0p", "up");
        }
        List<Netns> headNs = new ArrayList<>();
        for (HeadendAddrs h : HaTopology.HEADENDS) {
            Netns ns = res.netns(h.role());
            headNs.add(ns);
            outside(wan, ns, h.wan());
            LabResources.ip("-n", ns.name(), "link", "add", "core0", "type", "veth", "peer", "name", h.role() + "0",
                    "netns", coreNs.name());
            LabResources.addr(ns, h.core() + "/30", "core0");
            LabResources.addr(ns, h.lo() + "/32", "lo");
            LabResources.addr(coreNs, h.coreSide() + "/30", h.role() + "0");
            LabResources.ip("-n", ns.name(), "link", "set", "core0", "up");
            LabResources.ip("-n", coreNs.name(), "link", "set", h.role() + "0", "up");
            ns.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").check();
        }
        LabResources.addr(coreNs, HaTopology.CORE_LO + "/32", "lo");

        core = new Frr(coreNs, res.mkdir("core/frr"), res.processes(), "ha-core-bgpd.conf.tmpl", Map.of(
                "CORE_LO", HaTopology.CORE_LO, "PRI_CORE", HaTopology.PRIMARY.core(),
                "SEC_CORE", HaTopology.SECONDARY.core()));
        core.withBfdd();
        core.start();
        coreVty = new FrrVty(core.dir().resolve("bgpd.vty"));
        coreZebraVty = new FrrVty(core.dir().resolve("zebra.vty"));
        for (int i = 0; i < HaTopology.HEADENDS.size(); i++) {
            HeadendAddrs h = HaTopology.HEADENDS.get(i);
            headends.add(new Headend(h, headNs.get(i), res.mkdir(h.role()), res.processes()));
        }
        for (Headend h : headends) {
            h.startMissing(speakerJar);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < HaTopology.SPOKES.size(); i++) {
            List<String> lans = HaTopology.spokeLans(i);
            String role = HaTopology.SPOKES.get(i);
            Charon spoke = new Charon(role, spokeNs.get(i), res.mkdir(role), true, "ha-spoke-swanctl.conf.tmpl",
                    Map.of("SPOKE_WAN", HaTopology.spokeWan(i), "SPOKE_ID", role + ".rri.test",
                            "PRI_WAN", HaTopology.PRIMARY.wan(), "SEC_WAN", HaTopology.SECONDARY.wan(),
                            "LAN1", lans.get(0), "LAN2", lans.get(1), "LAN3", lans.get(2)), res.processes());
            spokes.add(spoke);
            spoke.start();
        }
        awaitSettled(Duration.ofSeconds(60));
        log.info("lab={} event=up millis={} (headends {}, tunnels and core {})", dir(), (System.nanoTime() - t0) / 1_000_000,
                (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
    }

    /** A veth from the outside bridge into {@code ns} ({@code wan0} there) with {@code addr}/24. */
    private static void outside(Netns wan, Netns ns, String addr) {
        String port = "p-" + ns.name().substring(ns.name().lastIndexOf('-') + 1);
        LabResources.ip("-n", wan.name(), "link", "add", port, "type", "veth", "peer", "name", "wan0", "netns", ns.name());
        LabResources.ip("-n", wan.name(), "link", "set", port, "master", "br0");
        LabResources.ip("-n", wan.name(), "link", "set", port, "up");
        LabResources.addr(ns, addr + "/24", "wan0");
        LabResources.ip("-n", ns.name(), "link", "set", "wan0", "up");
    }

    /**
     * Waits until both BGP sessions are Established, every spoke LAN has a CHILD_SA INSTALLED at
     * both headends, the primary is VRRP MASTER and the core holds exactly the truth.
     */
    public Report awaitSettled(Duration timeout) {
        for (Headend h : headends) {
            Await.until(timeout, "BGP session " + h.role() + "-core Established", () -> core.established(h.addrs().core()));
        }
        for (Headend h : headends) {
            Await.until(timeout, "every spoke LAN with a CHILD_SA INSTALLED at " + h.role(),
                    () -> new HashSet<>(h.installedRemoteSelectors()).containsAll(HaTopology.allLans()));
        }
        Await.until(timeout, "primary VRRP MASTER, secondary BACKUP", () -> primary().keepalived().state().equals("MASTER")
                && secondary().keepalived().state().equals("BACKUP"));
        return awaitExact(timeout);
    }

    /** Polls {@link #check()} until the core is exact; the timeout error carries the last report. */
    public Report awaitExact(Duration timeout) {
        Report[] last = new Report[1];
        try {
            Await.until(timeout, "core exactly the truth", () -> {
                last[0] = check();
                return last[0].exact();
            });
        } catch (Await.TimeoutError e) {
            throw new Await.TimeoutError(e.getMessage() + "\n" + last[0]);
        }
        return last[0];
    }

    /** The invariant check now (see {@link HaInvariant}). */
    public synchronized Report check() {
        return HaInvariant.check(headends, design, coreVty, coreZebraVty);
    }

    /** Which headends must announce: both (the default), or only the VRRP master (redundancy groups). */
    public void design(Design design) {
        this.design = design;
    }

    public Design design() {
        return design;
    }

    /** Starts a watcher of the core's table (close it when done). */
    public CoreWatcher watchCore() {
        return new CoreWatcher(core.dir().resolve("bgpd.vty"), core.dir().resolve("zebra.vty"));
    }

    /**
     * Undoes whatever a fault did: thaws frozen boxes, lifts blackholes, starts every process that
     * is not running; then waits until everything has settled again.
     */
    public Report heal(Duration timeout) {
        for (Headend h : headends) {
            if (h.impaired()) {
                h.thaw();
                h.blackhole(false);
            }
            h.startMissing(speakerJar);
        }
        for (Charon s : spokes) {
            if (!s.alive()) {
                s.start();
            }
        }
        if (core.daemons().stream().anyMatch(d -> !d.alive())) {
            core.restart();
        }
        return awaitSettled(timeout);
    }

    public List<Headend> headends() {
        return List.copyOf(headends);
    }

    public Headend primary() {
        return headends.get(0);
    }

    public Headend secondary() {
        return headends.get(1);
    }

    /** The spoke charons, in the order of {@link HaTopology#SPOKES}. */
    public List<Charon> spokes() {
        return List.copyOf(spokes);
    }

    public Frr core() {
        return core;
    }

    public Path dir() {
        return res.dir();
    }

    public Path speakerJar() {
        return speakerJar;
    }

    /** Tails of every log, for failure reports. */
    public String diagnostics() {
        StringBuilder sb = new StringBuilder("lab dir ").append(res.dir()).append('\n');
        for (Headend h : headends) {
            sb.append(h.diagnostics());
        }
        for (String f : List.of("spokea/charon.log", "spokeb/charon.log", "core/frr/bgpd.log")) {
            sb.append("--- ").append(f).append('\n').append(Daemon.tail(res.dir().resolve(f), 25)).append('\n');
        }
        return sb.toString();
    }

    /** SIGKILLs every process at once (a torn-down lab needs no graceful goodbyes), then cleans up. */
    @Override
    public void close() {
        res.processes().killAll();
        if (coreVty != null) {
            coreVty.close();
            coreZebraVty.close();
        }
        res.close();
    }
}
