package net.rrispeaker.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * FRR beside gobgpd in the hub (zebra, staticd, ospfd, ospf6d: the FRR the speaker's FRR sink
 * drives) and an OSPF-only edge router behind it (zebra, ospfd, ospf6d) in namespace
 * {@code rri-<pid>-<n>-edge}:
 *
 * <pre>
 *  ns hub                                   ns edge
 *  staticd zebra ospfd ospf6d  edge0 ====== hub0   zebra ospfd ospf6d
 *                   10.80.13.1/30, fd00:80:13::1   10.80.13.2/30, fd00:80:13::2
 *  OSPF area 0 and OSPFv3 area 0, point-to-point, hello 1 s, dead 4 s
 * </pre>
 *
 * The hub's ospfd and ospf6d have {@code redistribute static route-map RRI-TO-OSPF} (match tag 5,
 * set metric 50, set metric-type type-1). Vty sockets: {@code hub/frr/} and {@code edge/frr/} in
 * the lab dir.
 *
 * <p>{@link #startAlone} builds the two routers without the rest of the lab (no charon, no
 * gobgpd), for the FRR sink benchmark: the hub then also has {@code v0} with
 * {@link FrrRouter#LINK_ADDR}/24 so static routes via {@code 10.255.0.2..254} resolve, and
 * {@link #close()} stops every daemon by PID and deletes both namespaces and the dir. An
 * OspfEdge made by {@link Lab} is cleaned up by the lab; {@code close()} does nothing there.
 */
public final class OspfEdge implements AutoCloseable {
    private static final Path TMP = Path.of(System.getProperty("rri.lab.tmp", "/tmp"));
    public static final String EDGE_NET4 = "10.80.13.0/30";
    public static final String HUB_EDGE4 = "10.80.13.1";
    public static final String EDGE_HUB4 = "10.80.13.2";
    public static final String HUB_EDGE6 = "fd00:80:13::1";
    public static final String EDGE_HUB6 = "fd00:80:13::2";
    public static final String EDGE_LO = "10.80.255.3";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Netns hubNs;
    private final Netns edgeNs;
    private final Path hubDir;
    private final Path edgeDir;
    private final Processes processes;
    private Daemon hubZebra;
    private Daemon hubStaticd;
    private Daemon hubOspfd;
    private Daemon hubOspf6d;
    /** Set only by {@link #startAlone}: what {@link #close()} removes. */
    private Path ownDir;
    private Thread hook;
    private boolean closed;

    OspfEdge(Netns hubNs, Netns edgeNs, Path hubDir, Path edgeDir, Processes processes) {
        this.hubNs = hubNs;
        this.edgeNs = edgeNs;
        this.hubDir = hubDir;
        this.edgeDir = edgeDir;
        this.processes = processes;
    }

    /** Links, configs, daemons; waits for the OSPF and OSPFv3 adjacencies. */
    void start(String hubStaticConfig) {
        Exec.run("ip", "-n", hubNs.name(), "link", "add", "edge0", "type", "veth", "peer", "name", "hub0", "netns",
                edgeNs.name()).check();
        hubNs.exec("ip", "addr", "add", HUB_EDGE4 + "/30", "dev", "edge0").check();
        hubNs.exec("ip", "addr", "add", HUB_EDGE6 + "/64", "dev", "edge0", "nodad").check();
        edgeNs.exec("ip", "addr", "add", EDGE_HUB4 + "/30", "dev", "hub0").check();
        edgeNs.exec("ip", "addr", "add", EDGE_HUB6 + "/64", "dev", "hub0", "nodad").check();
        edgeNs.exec("ip", "addr", "add", EDGE_LO + "/32", "dev", "lo").check();
        hubNs.exec("ip", "link", "set", "edge0", "up").check();
        edgeNs.exec("ip", "link", "set", "hub0", "up").check();
        edgeNs.exec("ip", "link", "set", "lo", "up").check();
        Map<String, String> vars = Map.of("EDGE_NET4", EDGE_NET4, "EDGE_LO", EDGE_LO);
        write(hubDir.resolve("zebra.conf"), "hostname hub\n");
        write(hubDir.resolve("staticd.conf"), hubStaticConfig);
        Template.write("hub-ospfd.conf.tmpl", vars, hubDir.resolve("ospfd.conf"));
        Template.write("hub-ospf6d.conf.tmpl", vars, hubDir.resolve("ospf6d.conf"));
        write(edgeDir.resolve("zebra.conf"), "hostname edge\n");
        Template.write("edge-ospfd.conf.tmpl", vars, edgeDir.resolve("ospfd.conf"));
        Template.write("edge-ospf6d.conf.tmpl", vars, edgeDir.resolve("ospf6d.conf"));
        Exec.run("chown", "-R", "frr:frr", hubDir.toString(), edgeDir.toString()).check();
        startHub();
        Frr.startDaemon(processes, edgeNs, edgeDir, "zebra");
        Await.until(Duration.ofSeconds(10), "edge zebra API socket", () -> Files.exists(edgeDir.resolve("zserv.api")));
        Frr.startDaemon(processes, edgeNs, edgeDir, "ospfd");
        Frr.startDaemon(processes, edgeNs, edgeDir, "ospf6d");
        Await.until(Duration.ofSeconds(30), "OSPF adjacency edge-hub Full", () ->
                vtysh(edgeDir, "show ip ospf neighbor").contains("Full"));
        Await.until(Duration.ofSeconds(30), "OSPFv3 adjacency edge-hub Full", () ->
                vtysh(edgeDir, "show ipv6 ospf6 neighbor").contains("Full"));
    }

    /**
     * The hub (zebra, staticd with {@code hubStaticConfig}, ospfd, ospf6d) and the edge in two
     * namespaces {@code rri-<pid>-<n>-hub|edge} of their own, adjacencies Full. Close it.
     */
    public static OspfEdge startAlone(String hubStaticConfig) {
        Netns.sweep(TMP);
        Path dir;
        try {
            dir = Files.createTempDirectory(TMP, "rri-lab-" + ProcessHandle.current().pid() + "-ospf",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create lab dir in " + TMP, e);
        }
        String stem = Netns.nextStem();
        Processes processes = new Processes();
        Netns hub = null;
        Netns edge = null;
        OspfEdge e = null;
        try {
            hub = Netns.create(stem + "-hub");
            edge = Netns.create(stem + "-edge");
            e = new OspfEdge(hub, edge, mkdirs(dir.resolve("hub/frr")), mkdirs(dir.resolve("edge/frr")), processes);
            e.ownDir = dir;
            e.hook = new Thread(e::close, "ospf-edge-cleanup");
            Runtime.getRuntime().addShutdownHook(e.hook);
            hub.exec("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1").check();
            hub.exec("ip", "addr", "add", FrrRouter.LINK_ADDR + "/24", "dev", "v0").check();
            hub.exec("ip", "link", "set", "v0", "up").check();
            hub.exec("ip", "link", "set", "v1", "up").check();
            e.start(hubStaticConfig);
            return e;
        } catch (RuntimeException | Error x) {
            if (e != null) {
                System.err.println(e.diagnostics());
                e.close();
            } else {
                processes.stopAll(Duration.ofSeconds(5));
                if (edge != null) {
                    edge.delete();
                }
                if (hub != null) {
                    hub.delete();
                }
                Netns.deleteTree(dir);
            }
            throw x;
        }
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** The edge FRR's vty socket directory. */
    public Path edgeDir() {
        return edgeDir;
    }

    /** A vtysh command against the edge's FRR, checked. */
    public String edge(String command) {
        return vtysh(edgeDir, command);
    }

    /**
     * Only for an OspfEdge of {@link #startAlone}: stops every daemon by PID, deletes both
     * namespaces and (unless {@code rri.lab.keep}) the dir. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (ownDir == null || closed) {
            return;
        }
        closed = true;
        processes.stopAll(Duration.ofSeconds(5));
        edgeNs.delete();
        hubNs.delete();
        if (!Boolean.getBoolean("rri.lab.keep")) {
            Netns.deleteTree(ownDir);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ex) {
            // the JVM is already shutting down: this is the hook
        }
    }

    private void startHub() {
        hubZebra = Frr.startDaemon(processes, hubNs, hubDir, "zebra");
        Await.until(Duration.ofSeconds(10), "hub zebra API socket", () -> Files.exists(hubDir.resolve("zserv.api")));
        hubStaticd = Frr.startDaemon(processes, hubNs, hubDir, "staticd");
        hubOspfd = Frr.startDaemon(processes, hubNs, hubDir, "ospfd");
        hubOspf6d = Frr.startDaemon(processes, hubNs, hubDir, "ospf6d");
    }

    /** Stops the hub's staticd (TERM) and starts it again: it comes back with its file (the operator's routes). */
    public void restartHubStaticd() {
        hubStaticd.stop(Duration.ofSeconds(5));
        deleteSockets("staticd.vty");
        hubStaticd = Frr.startDaemon(processes, hubNs, hubDir, "staticd");
    }

    /**
     * Restarts the hub's whole FRR (zebra, staticd, ospfd, ospf6d), as watchfrr does when zebra
     * dies: every daemon comes back with its file, so staticd holds the operator's routes only.
     */
    public void restartHubFrr() {
        for (Daemon d : List.of(hubOspf6d, hubOspfd, hubStaticd, hubZebra)) {
            d.stop(Duration.ofSeconds(5));
        }
        deleteSockets("ospf6d.vty", "ospfd.vty", "staticd.vty", "zebra.vty", "zserv.api");
        startHub();
    }

    private void deleteSockets(String... names) {
        for (String f : names) {
            try {
                Files.deleteIfExists(hubDir.resolve(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The hub FRR's vty socket directory (what {@code rri frr vty-socket} names). */
    public Path hubDir() {
        return hubDir;
    }

    /** A vtysh command against the hub's FRR, checked. */
    public String hub(String command) {
        return vtysh(hubDir, command);
    }

    /** staticd's running configuration in the hub. */
    public String hubStatics() {
        return Exec.run(Duration.ofSeconds(15), Map.of(), List.of("vtysh", "--vty_socket", hubDir.toString(), "-d",
                "staticd", "-c", "show running-config")).check().stdout();
    }

    /** A vtysh command ending in {@code json} against the edge router, parsed. */
    public JsonNode edgeJson(String command) {
        try {
            return JSON.readTree(vtysh(edgeDir, command));
        } catch (IOException e) {
            throw new UncheckedIOException(command + ": not JSON", e);
        }
    }

    /** The edge's OSPF route for an IPv4 prefix ({@code show ip ospf route json}), or a missing node. */
    public JsonNode edgeOspfRoute(String prefix) {
        return edgeJson("show ip ospf route json").path(prefix);
    }

    /** The external LSA the hub originated for an IPv4 network, as the edge holds it, or a missing node. */
    public JsonNode edgeExternalLsa(String network) {
        for (JsonNode lsa : edgeJson("show ip ospf database external " + network + " json").path("asExternalLinkStates")) {
            if (lsa.path("advertisingRouter").asText().equals(Topology.HUB_LO)) {
                return lsa;
            }
        }
        return JSON.missingNode();
    }

    /** The edge RIB's entry for a prefix ({@code show ip|ipv6 route PREFIX json}), or a missing node. */
    public JsonNode edgeRib(String prefix) {
        String afi = prefix.contains(":") ? "ipv6" : "ip";
        return edgeJson("show " + afi + " route " + prefix + " json").path(prefix).path(0);
    }

    private static String vtysh(Path dir, String command) {
        return Exec.run(Duration.ofSeconds(15), Map.of(), List.of("vtysh", "--vty_socket", dir.toString(), "-c", command))
                .check().stdout();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Log tails of every FRR daemon of the hub and the edge. */
    String diagnostics() {
        StringBuilder b = new StringBuilder();
        for (Path dir : List.of(hubDir, edgeDir)) {
            for (String d : List.of("zebra", "staticd", "ospfd", "ospf6d")) {
                Path log = dir.resolve(d + ".log");
                if (Files.exists(log)) {
                    b.append("--- ").append(log).append('\n').append(Daemon.tail(log, 20)).append('\n');
                }
            }
        }
        return b.toString();
    }
}
