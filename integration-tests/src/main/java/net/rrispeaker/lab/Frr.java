package net.rrispeaker.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * FRR zebra and bgpd in the lab's {@code core} namespace: the upstream router that receives what
 * gobgpd announces. Each daemon runs in the foreground with explicit per-lab paths (config, pid
 * file, zebra API socket, vty socket dir owned by user frr); vtysh reaches it from any namespace
 * through {@code --vty_socket}.
 */
public final class Frr {
    private static final String BIN = "/usr/lib/frr/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Netns ns;
    private final Path dir;
    private final Processes processes;
    private final List<String> names = new java.util.ArrayList<>(List.of("zebra", "bgpd"));
    private final List<Daemon> running = new java.util.ArrayList<>();

    Frr(Netns ns, Path dir, Processes processes) {
        this(ns, dir, processes, "bgpd.conf.tmpl", Map.of());
    }

    /** With bgpd's config rendered from another template (e.g. an eBGP upstream), {@code vars} added. */
    Frr(Netns ns, Path dir, Processes processes, String bgpdTemplate, Map<String, String> vars) {
        this.ns = ns;
        this.dir = dir;
        this.processes = processes;
        Template.write("zebra.conf.tmpl", Map.of(), dir.resolve("zebra.conf"));
        Template.write(bgpdTemplate, vars, dir.resolve("bgpd.conf"));
        Exec.run("chown", "-R", "frr:frr", dir.toString()).check();
    }

    /**
     * Also runs bfdd (empty config: sessions come from bgpd's {@code neighbor X bfd} or from
     * vtysh) from the next {@link #start()} on.
     */
    void withBfdd() {
        try {
            Files.writeString(dir.resolve("bfdd.conf"), "hostname core\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Exec.run("chown", "frr:frr", dir.resolve("bfdd.conf").toString()).check();
        names.add("bfdd");
    }

    /** Starts zebra, then bgpd (and bfdd if asked for), each awaited on its vty socket. */
    void start() {
        running.clear();
        for (String name : names) {
            running.add(startDaemon(processes, ns, dir, name));
            if (name.equals("zebra")) {
                Await.until(Duration.ofSeconds(10), "zebra API socket", () -> Files.exists(dir.resolve("zserv.api")));
            }
        }
    }

    /** SIGTERM to every daemon (the last started first), bounded wait, then SIGKILL. */
    public void stop() {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).stop(Duration.ofSeconds(10));
        }
        for (String name : names) {
            try {
                Files.deleteIfExists(dir.resolve(name + ".vty"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Stops and starts every daemon (a router reboot: its BGP table starts empty). */
    public void restart() {
        stop();
        start();
    }

    /** The running daemons (for signals). */
    public List<Daemon> daemons() {
        return List.copyOf(running);
    }

    /**
     * Starts one FRR daemon in {@code ns} with every path under {@code dir} (config, pid file, zebra
     * API socket, vty socket) and waits for its vty socket; fails with its log tail if it exits.
     */
    static Daemon startDaemon(Processes processes, Netns ns, Path dir, String name) {
        Daemon d = processes.start("frr-" + name, dir.resolve(name + ".stdout"), Map.of(), ns.wrap(List.of(
                BIN + name, "-f", dir.resolve(name + ".conf").toString(), "-i", dir.resolve(name + ".pid").toString(),
                "-z", dir.resolve("zserv.api").toString(), "--vty_socket", dir.toString(), "-P", "0",
                "--log", "file:" + dir.resolve(name + ".log"), "--log-level", "info")));
        Await.until(Duration.ofSeconds(10), name + " vty socket", () -> {
            if (!d.alive()) {
                throw new IllegalStateException(name + " exited: " + d.logTail(5));
            }
            return Files.exists(dir.resolve(name + ".vty"));
        });
        return d;
    }

    public Path dir() {
        return dir;
    }

    /** {@code vtysh --vty_socket DIR -c COMMAND}, checked. */
    public String vtysh(String command) {
        return Exec.run(Duration.ofSeconds(15), Map.of(), List.of("vtysh", "--vty_socket", dir.toString(), "-c", command))
                .check().stdout();
    }

    /** {@code vtysh -c "configure terminal" -c LINE...}: configuration applied at run time, checked. */
    public void configure(List<String> lines) {
        List<String> cmd = new java.util.ArrayList<>(List.of("vtysh", "--vty_socket", dir.toString(), "-c", "configure terminal"));
        for (String l : lines) {
            cmd.add("-c");
            cmd.add(l);
        }
        Exec.run(Duration.ofSeconds(15), Map.of(), cmd).check();
    }

    /** A vtysh command ending in {@code json}, parsed. */
    public JsonNode json(String command) {
        try {
            return JSON.readTree(vtysh(command));
        } catch (IOException e) {
            throw new UncheckedIOException(command + ": not JSON", e);
        }
    }

    /** True when the BGP session to {@code neighbor} (gobgpd's address) is Established. */
    public boolean established(String neighbor) {
        JsonNode n = json("show bgp neighbors " + neighbor + " json").path(neighbor);
        return "Established".equals(n.path("bgpState").asText());
    }

    /**
     * The best path for {@code prefix} in core's BGP table ({@code show bgp ipv4|ipv6 unicast
     * PREFIX json}), or a missing node when core has none.
     */
    public JsonNode bgpRoute(String prefix) {
        String afi = prefix.contains(":") ? "ipv6" : "ipv4";
        JsonNode paths = json("show bgp " + afi + " unicast " + prefix + " json").path("paths");
        for (JsonNode p : paths) {
            if (p.path("bestpath").path("overall").asBoolean(false)) {
                return p;
            }
        }
        return paths.path(0);
    }
}
