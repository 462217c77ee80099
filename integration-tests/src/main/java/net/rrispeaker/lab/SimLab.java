package net.rrispeaker.lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lab around the VICI simulator instead of real charon: the {@link ViciServer} in this JVM (root
 * namespace, socket {@code charon.vici} in the lab dir), gobgpd in a {@code hub} namespace and an
 * upstream FRR router in a {@code core} namespace, eBGP between them over IPv4 and IPv6; the
 * speaker (a {@link SpeakerProcess} on this host, started in the hub namespace) reaches all of
 * them through path-based unix sockets in the lab dir ({@code charon.vici}, {@code gobgp.sock},
 * its own {@code control.sock}).
 *
 * <pre>
 *  root ns: test JVM (ViciServer)               ns hub                   ns core
 *  LAB/charon.vici                              gobgpd AS 65000          FRR zebra + bgpd AS 65010
 *                                               speaker (jar)
 *                                               core0 10.80.12.1/30 ==== hub0 10.80.12.2/30
 *                                                     fd00:80:12::1/64        fd00:80:12::2/64
 *                                               eBGP 65000 - 65010, IPv4 and IPv6 sessions
 * </pre>
 *
 * <p>Clean-up as in {@link Lab}: {@link #close()} stops the simulator and every process it
 * started by PID, deletes its namespaces and (unless {@code rri.lab.keep}) its dir
 * {@code rri-lab-<pid>-*}; a shutdown hook does the same; {@link #start()} first sweeps what labs
 * of dead JVMs left behind.
 */
public final class SimLab implements SpeakerHost, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimLab.class);
    private static final Path TMP = Path.of(System.getProperty("rri.lab.tmp", "/tmp"));
    /** The upstream router's AS (eBGP peer of gobgpd's {@link Topology#AS}). */
    public static final int UPSTREAM_AS = 65010;

    private final Path dir;
    private final Processes processes = new Processes();
    private final List<Netns> namespaces = new ArrayList<>();
    private final Thread hook;
    private Netns hubNs;
    private Gobgpd gobgpd;
    private Frr upstream;
    private ViciServer vici;
    private boolean closed;

    /** The upstream's view of one BGP session (FRR {@code show bgp neighbors ADDRESS json}). */
    public record Session(String neighbor, String state, long established, long dropped, long upMillis) {
        public boolean isEstablished() {
            return "Established".equals(state);
        }
    }

    private SimLab() throws IOException {
        dir = Files.createTempDirectory(TMP, "rri-lab-" + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        hook = new Thread(this::close, "simlab-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Builds the lab and waits until both eBGP sessions are Established; the simulator has no SAs. */
    public static SimLab start() {
        Netns.sweep(TMP);
        SimLab lab;
        try {
            lab = new SimLab();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create lab dir in " + TMP, e);
        }
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
        String stem = Netns.nextStem();
        hubNs = netns(stem + "-hub");
        Netns coreNs = netns(stem + "-core");
        run("ip", "-n", hubNs.name(), "link", "add", "core0", "type", "veth", "peer", "name", "hub0", "netns", coreNs.name());
        addr(hubNs, Topology.HUB_CORE4 + "/30", "core0");
        addr(hubNs, Topology.HUB_CORE6 + "/64", "core0", "nodad");
        addr(hubNs, Topology.HUB_LO + "/32", "lo");
        addr(coreNs, Topology.CORE_HUB4 + "/30", "hub0");
        addr(coreNs, Topology.CORE_HUB6 + "/64", "hub0", "nodad");
        addr(coreNs, Topology.CORE_LO + "/32", "lo");
        run("ip", "-n", hubNs.name(), "link", "set", "core0", "up");
        run("ip", "-n", coreNs.name(), "link", "set", "hub0", "up");

        Map<String, String> vars = Map.of("UPSTREAM_AS", Integer.toString(UPSTREAM_AS));
        upstream = new Frr(coreNs, mkdir("core/frr"), processes, "upstream-bgpd.conf.tmpl", vars);
        gobgpd = new Gobgpd(hubNs, mkdir("hub"), gobgpSocket(), processes, "ebgp-gobgpd.toml.tmpl", vars);
        vici = ViciServer.start(viciSocket());
        upstream.start();
        gobgpd.start();
        awaitBgp(Duration.ofSeconds(30));
        log.info("lab={} event=up millis={}", dir, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Waits until the upstream sees both sessions from gobgpd Established. */
    public void awaitBgp(Duration timeout) {
        for (String n : List.of(Topology.HUB_CORE4, Topology.HUB_CORE6)) {
            Await.until(timeout, "eBGP session gobgpd-upstream " + n + " Established", () -> session(n).isEstablished());
        }
    }

    /** The upstream's view of its session with gobgpd's address {@code neighbor}. */
    public Session session(String neighbor) {
        JsonNode n = upstream.json("show bgp neighbors " + neighbor + " json").path(neighbor);
        return new Session(neighbor, n.path("bgpState").asText(""), n.path("connectionsEstablished").asLong(-1),
                n.path("connectionsDropped").asLong(-1), n.path("bgpTimerUpMsec").asLong(-1));
    }

    /** Both sessions (IPv4, IPv6) as the upstream sees them. */
    public List<Session> sessions() {
        return List.of(session(Topology.HUB_CORE4), session(Topology.HUB_CORE6));
    }

    /** Every prefix in the upstream's BGP table (IPv4 and IPv6 unicast). */
    public Set<String> upstreamPrefixes() {
        Set<String> out = new TreeSet<>();
        for (String afi : List.of("ipv4", "ipv6")) {
            Iterator<String> it = upstream.json("show bgp " + afi + " unicast json").path("routes").fieldNames();
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private Netns netns(String name) {
        Netns ns = Netns.create(name);
        namespaces.add(ns);
        return ns;
    }

    private static void run(String... cmd) {
        Exec.run(Duration.ofSeconds(15), Map.of(), List.of(cmd)).check();
    }

    private static void addr(Netns ns, String cidr, String dev, String... flags) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns.name(), "addr", "add", cidr, "dev", dev));
        cmd.addAll(List.of(flags));
        Exec.run(Duration.ofSeconds(15), Map.of(), cmd).check();
    }

    private Path mkdir(String sub) {
        try {
            return Files.createDirectories(dir.resolve(sub));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public Path controlSocket() {
        return dir.resolve("control.sock");
    }

    /**
     * Starts a process in the hub namespace (where the speaker would run on a real hub; every API
     * it uses is a path-based unix socket, which ignores namespaces), tracked by the lab. Being in
     * the namespace, it is also ended by {@link Netns#sweep} if this JVM dies without cleaning up.
     */
    @Override
    public Daemon startProcess(String name, Path log, List<String> command) {
        return processes.start(name, log, Map.of(), hubNs.wrap(command));
    }

    public Path gobgpSocket() {
        return dir.resolve("gobgp.sock");
    }

    /** Where the simulator listens ({@code rri vici-socket}). */
    public Path viciSocket() {
        return dir.resolve("charon.vici");
    }

    public ViciServer vici() {
        return vici;
    }

    public Gobgpd gobgpd() {
        return gobgpd;
    }

    public Frr upstream() {
        return upstream;
    }

    /**
     * Renders a speaker config template (a resource in this package) with {@code @LAB@} = the lab
     * dir, the topology's values and {@code extra}, to {@code speaker.conf} in the lab dir.
     */
    public Path writeSpeakerConfig(String template, Map<String, String> extra) {
        Map<String, String> vars = new HashMap<>(extra);
        vars.put("LAB", dir.toString());
        vars.put("UPSTREAM_AS", Integer.toString(UPSTREAM_AS));
        return Template.write(template, vars, dir.resolve("speaker.conf"));
    }

    /** PIDs of every process the lab started (for leak checks). */
    public List<Long> processPids() {
        return processes.all().stream().map(Daemon::pid).toList();
    }

    /** The simulator's counters and the tails of every daemon log, for failure reports. */
    public String diagnostics() {
        StringBuilder sb = new StringBuilder("lab dir ").append(dir).append('\n');
        if (vici != null) {
            sb.append(vici.stats()).append('\n');
        }
        for (Daemon d : processes.all()) {
            if (!d.name().equals("speaker")) {
                sb.append("--- ").append(d).append(" ").append(d.log()).append('\n').append(d.logTail(30)).append('\n');
            }
        }
        sb.append("--- core/frr/bgpd.log\n").append(Daemon.tail(dir.resolve("core/frr/bgpd.log"), 30)).append('\n');
        return sb.toString();
    }

    /** Stops the simulator and every process by PID, deletes the namespaces and (unless rri.lab.keep) the dir. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (vici != null) {
            vici.stop();
        }
        processes.stopAll(Duration.ofSeconds(5));
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            namespaces.get(i).delete();
        }
        if (!Boolean.getBoolean("rri.lab.keep")) {
            Netns.deleteTree(dir);
        } else {
            log.info("lab={} event=kept", dir);
        }
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook runs close() again and returns at once
            }
        }
    }
}
