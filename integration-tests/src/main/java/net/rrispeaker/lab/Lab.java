package net.rrispeaker.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A complete lab of real daemons in three network namespaces of this JVM: a spoke charon
 * (initiator), a hub charon (the concentrator the speaker watches) with gobgpd beside it, and
 * an FRR core router peering with gobgpd over IPv4 and IPv6 (see {@link Topology}).
 *
 * <p>Everything lives in a temp dir {@code rri-lab-<pid>-*} and namespaces {@code rri-<pid>-<n>-*}.
 * {@link #close()} stops every process it started by PID (TERM, bounded wait, KILL), deletes the
 * namespaces and the dir; a shutdown hook does the same if the JVM is interrupted, and
 * {@link #start()} first sweeps what labs of dead JVMs left behind. Set system property
 * {@code rri.lab.keep=true} to keep the dir (logs) after close.
 */
public final class Lab implements SpeakerHost, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lab.class);

    private final LabResources res;
    private final Path dir;
    private final Processes processes;
    private Netns spokeNs;
    private Netns hubNs;
    private Netns coreNs;
    private Charon spoke;
    private Charon hub;
    private Gobgpd gobgpd;
    private Frr core;
    private OspfEdge ospfEdge;

    private Lab() {
        res = LabResources.create(this::close);
        dir = res.dir();
        processes = res.processes();
    }

    /** Builds the whole lab and waits until BGP (v4 and v6) is Established; tunnel left down. */
    public static Lab start() {
        Lab lab = new Lab();
        try {
            lab.build();
            return lab;
        } catch (RuntimeException | Error e) {
            log.error("lab={} reason=start-failed\n{}", lab.dir, lab.diagnostics());
            lab.close();
            throw e;
        }
    }

    private void build() {
        long t0 = System.nanoTime();
        Map<String, Netns> nodes = new java.util.HashMap<>();
        for (String node : Topology.NODES) {
            nodes.put(node, res.netns(node));
        }
        spokeNs = nodes.get("spoke");
        hubNs = nodes.get("hub");
        coreNs = nodes.get("core");
        for (Topology.Link l : Topology.LINKS) {
            ip("-n", nodes.get(l.a()).name(), "link", "add", l.ifA(), "type", "veth", "peer", "name", l.ifB(),
                    "netns", nodes.get(l.b()).name());
        }
        // a stand-in LAN kept inside the spoke (this kernel has no dummy interfaces)
        for (Topology.StubLan lan : Topology.STUB_LANS) {
            ip("-n", nodes.get(lan.node()).name(), "link", "add", lan.dev(), "type", "veth", "peer", "name", lan.peer());
        }
        for (Topology.Address a : Topology.ADDRESSES) {
            if (a.ipv6()) {
                addr(nodes.get(a.node()), a.cidr(), a.dev(), "nodad");
            } else {
                addr(nodes.get(a.node()), a.cidr(), a.dev());
            }
        }
        List<String[]> up = new ArrayList<>();
        for (Topology.Link l : Topology.LINKS) {
            up.add(new String[] {l.a(), l.ifA()});
            up.add(new String[] {l.b(), l.ifB()});
        }
        for (Topology.StubLan lan : Topology.STUB_LANS) {
            up.add(new String[] {lan.node(), lan.dev()});
            up.add(new String[] {lan.node(), lan.peer()});
        }
        for (String[] link : up) {
            ip("-n", nodes.get(link[0]).name(), "link", "set", link[1], "up");
        }
        for (String router : Topology.ROUTERS) {
            nodes.get(router).exec("sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1").check();
        }

        core = new Frr(coreNs, mkdir("core/frr"), processes);
        gobgpd = new Gobgpd(hubNs, mkdir("hub"), gobgpSocket(), processes);
        hub = new Charon("hub", hubNs, mkdir("hub"), false, "hub-swanctl.conf.tmpl", processes);
        spoke = new Charon("spoke", spokeNs, mkdir("spoke"), true, "spoke-swanctl.conf.tmpl", processes);
        long t1 = System.nanoTime();
        core.start();
        gobgpd.start();
        long t2 = System.nanoTime();
        hub.start();
        spoke.start();
        long t3 = System.nanoTime();
        awaitBgp(Duration.ofSeconds(30));
        long t4 = System.nanoTime();
        log.info("lab={} event=up millis={} (namespaces {}, frr+gobgpd {}, charons {}, bgp established {})", dir,
                (t4 - t0) / 1_000_000, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000,
                (t4 - t3) / 1_000_000);
    }

    /** Waits until FRR core sees both sessions from gobgpd Established. */
    public void awaitBgp(Duration timeout) {
        Await.until(timeout, "BGP IPv4 session gobgpd-core Established", () -> core.established(Topology.HUB_CORE4));
        Await.until(timeout, "BGP IPv6 session gobgpd-core Established", () -> core.established(Topology.HUB_CORE6));
    }

    private static void ip(String... args) {
        LabResources.ip(args);
    }

    private static void addr(Netns ns, String cidr, String dev, String... flags) {
        LabResources.addr(ns, cidr, dev, flags);
    }

    private Path mkdir(String sub) {
        return res.mkdir(sub);
    }

    @Override
    public Path dir() {
        return dir;
    }

    public Charon spoke() {
        return spoke;
    }

    public Charon hub() {
        return hub;
    }

    public Gobgpd gobgpd() {
        return gobgpd;
    }

    public Frr core() {
        return core;
    }

    /**
     * Adds FRR (zebra, staticd with {@code hubStaticConfig}, ospfd, ospf6d) to the hub and an
     * OSPF-only edge router behind it ({@link OspfEdge}); waits for both adjacencies.
     */
    public OspfEdge startOspfEdge(String hubStaticConfig) {
        ospfEdge = new OspfEdge(hubNs, res.netns("edge"), mkdir("hub/frr"), mkdir("edge/frr"), processes);
        ospfEdge.start(hubStaticConfig);
        return ospfEdge;
    }

    /**
     * FRR bfdd (with a zebra of its own) in the hub beside gobgpd, for the speaker's {@code rri bfd};
     * its vty socket dir is {@code hub/bfd}. Empty startup configuration.
     */
    public Bfdd startHubBfdd() {
        return Bfdd.startWithZebra(processes, hubNs, mkdir("hub/bfd"), "");
    }

    /**
     * bfdd in the core beside its zebra, with profile {@code profile} at {@code intervalMs} transmit
     * and receive interval, and {@code neighbor HUB bfd profile PROFILE} for both of gobgpd's
     * sessions: the core drops a session when its BFD session goes down.
     */
    public Bfdd startCoreBfd(String profile, int intervalMs) {
        Bfdd b = Bfdd.startBeside(processes, coreNs, core.dir(), Bfdd.profileConfig(profile, intervalMs));
        Bfdd.bgpNeighborBfd(core.dir(), Topology.AS, profile, List.of(Topology.HUB_CORE4, Topology.HUB_CORE6));
        return b;
    }

    public Path gobgpSocket() {
        return dir.resolve("gobgp.sock");
    }

    @Override
    public Path controlSocket() {
        return dir.resolve("control.sock");
    }

    /** Starts a process the lab tracks and stops with everything else (the speaker, watchers). */
    @Override
    public Daemon startProcess(String name, Path log, List<String> command) {
        return processes.start(name, log, Map.of(), command);
    }

    /**
     * A further namespace of this lab (e.g. a second headend), deleted with it, every process in it
     * killed. {@code role}: lower-case letters.
     */
    public Netns addNamespace(String role) {
        if (!role.matches("[a-z]+")) {
            throw new IllegalArgumentException("namespace role '" + role + "' (expected: lower-case letters)");
        }
        return res.netns(role);
    }

    /** The hub's namespace (charon and gobgpd's headend), for daemons that run beside them. */
    public Netns hubNamespace() {
        return hubNs;
    }

    /** PIDs of every process the lab started (for leak checks). */
    public List<Long> processPids() {
        return processes.all().stream().map(Daemon::pid).toList();
    }

    /** Writes the speaker config for this lab (the crypto map matches {@link Topology#HUB_CONNECTION}). */
    public Path writeSpeakerConfig() {
        return Template.write("speaker.conf.tmpl", Map.of("LAB", dir.toString()), dir.resolve("speaker.conf"));
    }

    // ------------------------------------------------------------------ tunnel operations

    /** Spoke initiates its CHILD_SA (and the IKE_SA); waits for the result. */
    public void initiate() {
        spoke.swanctl("--initiate", "--child", Topology.SPOKE_CHILD, "--timeout", "20").check();
    }

    /** Spoke terminates its IKE_SA (and with it the CHILD_SA). */
    public void terminate() {
        spoke.swanctl("--terminate", "--ike", Topology.SPOKE_CONNECTION, "--timeout", "20").check();
    }

    /** Spoke rekeys its CHILD_SA (the hub sees child-rekey, a new child uniqueid). */
    public void rekeyChild() {
        spoke.swanctl("--rekey", "--child", Topology.SPOKE_CHILD).check();
    }

    /** Spoke rekeys its IKE_SA (the hub sees ike-rekey). */
    public void rekeyIke() {
        spoke.swanctl("--rekey", "--ike", Topology.SPOKE_CONNECTION).check();
    }

    /** Spoke reauthenticates; make_before_break=yes in its strongswan.conf: new SAs up, then old down. */
    public void reauth() {
        spoke.swanctl("--rekey", "--ike", Topology.SPOKE_CONNECTION, "--reauth").check();
    }

    /** The hub's {@code swanctl --list-sas} text. */
    public String hubSas() {
        return hub.swanctl("--list-sas").check().stdout();
    }

    /** Number of CHILD_SAs the hub has INSTALLED. */
    public int hubInstalledChildren() {
        return countOccurrences(hubSas(), "INSTALLED");
    }

    private static int countOccurrences(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length())) {
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------------ diagnostics, cleanup

    /** Tails of every log the lab writes, for failure reports. */
    public String diagnostics() {
        StringBuilder sb = new StringBuilder("lab dir ").append(dir).append('\n');
        for (Daemon d : processes.all()) {
            sb.append("--- ").append(d).append(" ").append(d.log()).append('\n').append(d.logTail(30)).append('\n');
        }
        for (String f : List.of("hub/charon.log", "spoke/charon.log", "core/frr/bgpd.log")) {
            sb.append("--- ").append(f).append('\n').append(Daemon.tail(dir.resolve(f), 30)).append('\n');
        }
        if (ospfEdge != null) {
            sb.append(ospfEdge.diagnostics());
        }
        return sb.toString();
    }

    /** Stops every process by PID, deletes the namespaces and (unless rri.lab.keep) the dir. Idempotent. */
    @Override
    public void close() {
        res.close();
    }
}
