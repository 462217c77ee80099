package net.rrispeaker.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real keepalived (VRRP only) in one of the lab's namespaces: one {@code vrrp_instance} on one
 * interface, VRRPv3 with sub-second adverts, optionally writing its notifications to a FIFO
 * ({@code vrrp_notify_fifo}). Started in the foreground ({@code -n}) and tracked by the lab, so
 * the lab's close stops it by PID; its VRRP child lives in the same namespace and goes with it.
 */
public final class Keepalived {
    /** Advert interval: 5 per second, so a failover takes well under a second. */
    public static final String ADVERT_INTERVAL = "0.2";

    private final SpeakerHost lab;
    private final Netns ns;
    private final String name;
    private final Path dir;
    private Daemon daemon;

    /**
     * @param instance  the vrrp_instance name
     * @param iface     the interface in {@code ns} the adverts go over
     * @param priority  1..254; the higher one is MASTER (preempting)
     * @param vip       the virtual address, CIDR
     * @param fifo      where keepalived writes its notifications, or {@code null}
     */
    public Keepalived(SpeakerHost lab, Netns ns, String name, String instance, String iface, int priority, String vip,
                      Path fifo) {
        this.lab = lab;
        this.ns = ns;
        this.name = name;
        this.dir = lab.dir().resolve("keepalived-" + name);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("keepalived.conf"), """
                    global_defs {
                      router_id %s
                    %s}
                    vrrp_instance %s {
                      state BACKUP
                      interface %s
                      virtual_router_id 51
                      version 3
                      priority %d
                      advert_int %s
                      virtual_ipaddress {
                        %s
                      }
                    }
                    """.formatted(name, fifo == null ? "" : "  vrrp_notify_fifo " + fifo + "\n", instance, iface,
                    priority, ADVERT_INTERVAL, vip));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void start() {
        if (daemon != null && daemon.alive()) {
            throw new IllegalStateException(name + ": running (expected: stopped)");
        }
        daemon = lab.startProcess("keepalived-" + name, dir.resolve("keepalived.log"), ns.wrap(List.of(
                "keepalived", "-n", "-l", "-D", "--vrrp", "-f", dir.resolve("keepalived.conf").toString(),
                "-p", dir.resolve("keepalived.pid").toString(), "-r", dir.resolve("vrrp.pid").toString(),
                "-c", dir.resolve("checkers.pid").toString())));
    }

    /** SIGTERM (keepalived sends priority 0, so the peer takes over at once, and writes STOP), bounded wait. */
    public void stop() {
        if (daemon != null) {
            daemon.stop(Duration.ofSeconds(10));
        }
    }

    /** SIGHUP: keepalived reloads its configuration (and closes and reopens its notify FIFO). */
    public void reload() {
        Exec.run(Duration.ofSeconds(10), java.util.Map.of(), List.of("kill", "-HUP", Long.toString(daemon.pid())))
                .check();
    }

    public boolean alive() {
        return daemon != null && daemon.alive();
    }

    /** The last state keepalived logged for its instance: MASTER, BACKUP, FAULT, or "" if none yet. */
    public String state() {
        String log = daemon == null ? "" : daemon.logTail(200);
        int m = log.lastIndexOf("Entering MASTER STATE");
        int b = log.lastIndexOf("Entering BACKUP STATE");
        int f = log.lastIndexOf("Entering FAULT STATE");
        int max = Math.max(m, Math.max(b, f));
        return max < 0 ? "" : max == m ? "MASTER" : max == b ? "BACKUP" : "FAULT";
    }

    public String logTail(int lines) {
        return daemon == null ? "(not started)" : daemon.logTail(lines);
    }
}
