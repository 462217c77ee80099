package net.rrispeaker.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * A lone FRR router (zebra, staticd, bgpd) in a network namespace of its own, for tests that use
 * FRR as a reference implementation rather than as a BGP peer: the route-map differential test
 * configures static routes and route-maps in it and reads its BGP table.
 *
 * <p>The namespace ({@code rri-<pid>-<n>-frr}) has a veth pair {@code v0}/{@code v1} kept inside
 * it with {@code 10.255.0.1/24} on {@code v0}, so static routes via {@code 10.255.0.2..254} resolve.
 * Every daemon runs in the foreground with explicit config, pid file, zebra API socket and vty
 * socket dir (owned by user frr) in a temp dir {@code rri-lab-<pid>-frr*}. {@link #close()} stops
 * the daemons by PID, deletes the namespace and the dir; a shutdown hook does the same if the JVM
 * is interrupted, and {@link #start} first sweeps what dead JVMs left behind ({@link Netns#sweep}).
 */
public final class FrrRouter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FrrRouter.class);
    private static final Path TMP = Path.of(System.getProperty("rri.lab.tmp", "/tmp"));
    /** The connected subnet static next hops live in. */
    public static final String LINK_NET = "10.255.0.0/24";
    /** The router's own address on that subnet. */
    public static final String LINK_ADDR = "10.255.0.1";

    private final Path dir;
    private final Processes processes = new Processes();
    private final Thread hook;
    private Netns ns;
    private boolean closed;

    private FrrRouter(Path dir) {
        this.dir = dir;
        this.hook = new Thread(this::close, "frr-router-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts zebra, staticd (with {@code staticConfig} as its configuration, e.g. {@code ip route}
     * lines) and bgpd (with {@code bgpConfig}), each awaited on its vty socket.
     */
    public static FrrRouter start(String staticConfig, String bgpConfig) {
        Netns.sweep(TMP);
        FrrRouter r;
        try {
            r = new FrrRouter(Files.createTempDirectory(TMP, "rri-lab-" + ProcessHandle.current().pid() + "-frr",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create FRR dir in " + TMP, e);
        }
        try {
            r.build(staticConfig, bgpConfig);
            return r;
        } catch (RuntimeException | Error e) {
            log.error("frr={} reason=start-failed\n{}", r.dir, r.logs());
            r.close();
            throw e;
        }
    }

    private void build(String staticConfig, String bgpConfig) {
        ns = Netns.create(Netns.nextStem() + "-frr");
        ns.exec("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1").check();
        ns.exec("ip", "addr", "add", LINK_ADDR + "/24", "dev", "v0").check();
        ns.exec("ip", "-6", "addr", "add", "fd00:255::1/64", "dev", "v0", "nodad").check();
        ns.exec("ip", "link", "set", "v0", "up").check();
        ns.exec("ip", "link", "set", "v1", "up").check();
        write("zebra.conf", "hostname frr-diff\n");
        write("staticd.conf", staticConfig);
        write("bgpd.conf", bgpConfig);
        Exec.run("chown", "-R", "frr:frr", dir.toString()).check();
        startDaemon("zebra");
        Await.until(Duration.ofSeconds(10), "zebra API socket", () -> Files.exists(dir.resolve("zserv.api")));
        startDaemon("staticd");
        startDaemon("bgpd");
    }

    private void write(String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }

    private void startDaemon(String name) {
        Frr.startDaemon(processes, ns, dir, name);
    }

    public Path dir() {
        return dir;
    }

    /** The namespace's name. */
    public String namespace() {
        return ns.name();
    }

    /**
     * One vtysh invocation with one {@code -c} per command, in order; not checked (vtysh stops at the
     * first command that fails and exits non-zero).
     */
    public Exec.Result vtysh(List<String> commands) {
        return vtysh(null, commands);
    }

    /** As {@link #vtysh(List)}, talking to one daemon only ({@code vtysh -d bgpd}), or all when {@code null}. */
    public Exec.Result vtysh(String daemon, List<String> commands) {
        List<String> cmd = new ArrayList<>(List.of("vtysh", "--vty_socket", dir.toString()));
        if (daemon != null) {
            cmd.add("-d");
            cmd.add(daemon);
        }
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        return Exec.run(Duration.ofSeconds(30), Map.of(), cmd);
    }

    /** The tail of each daemon's log, for failure reports. */
    public String logs() {
        StringBuilder b = new StringBuilder();
        for (String d : List.of("zebra", "staticd", "bgpd")) {
            b.append("--- ").append(d).append(".log\n").append(Daemon.tail(dir.resolve(d + ".log"), 20)).append('\n');
        }
        return b.toString();
    }

    /** Stops every daemon by PID, deletes the namespace and (unless {@code rri.lab.keep}) the dir. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        processes.stopAll(Duration.ofSeconds(5));
        if (ns != null) {
            ns.delete();
        }
        if (!Boolean.getBoolean("rri.lab.keep")) {
            Netns.deleteTree(dir);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: this is the hook
        }
    }
}
