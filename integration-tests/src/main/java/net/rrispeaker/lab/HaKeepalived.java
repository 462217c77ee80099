package net.rrispeaker.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * keepalived of the redundant-headend lab (VRRP only) in a headend namespace, in the foreground, with its config, pid files and
 * a notify script in the headend's dir. The notify script writes each state keepalived enters
 * (MASTER, BACKUP, FAULT, STOP) to {@code vrrp.state}; {@link #state()} reads it, and says
 * {@code DOWN} when the daemon is not running (a SIGKILLed keepalived writes nothing).
 */
public final class HaKeepalived {
    /** The name of the VRRP instance in the lab's keepalived.conf. */
    public static final String INSTANCE = "RRI_OUTSIDE";

    private final String role;
    private final Netns ns;
    private final Path dir;
    private final Processes processes;
    private Daemon daemon;

    HaKeepalived(String role, Netns ns, Path dir, int priority, Processes processes) {
        this.role = role;
        this.ns = ns;
        this.dir = dir;
        this.processes = processes;
        Template.write("ha-keepalived.conf.tmpl", Map.of("ROLE", role, "DIR", dir.toString(),
                "PRIORITY", Integer.toString(priority), "VIP", HaTopology.VIP), conf());
        Path script = dir.resolve("vrrp-notify.sh");
        try {
            Files.writeString(script, "#!/bin/sh\n# keepalived notify: $1 INSTANCE|GROUP, $2 name, $3 state, $4 priority\n"
                    + "echo \"$3\" > " + dir.resolve("vrrp.state") + ".tmp && mv " + dir.resolve("vrrp.state") + ".tmp "
                    + dir.resolve("vrrp.state") + "\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path conf() {
        return dir.resolve("keepalived.conf");
    }

    /** Starts keepalived and waits until its notify script has reported a first state. */
    public void start() {
        if (alive()) {
            throw new IllegalStateException(role + " keepalived: running (expected: stopped)");
        }
        try {
            for (String f : List.of("keepalived.pid", "vrrp.pid", "checkers.pid", "bfd.pid", "vrrp.state")) {
                Files.deleteIfExists(dir.resolve(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon = processes.start("keepalived-" + role, dir.resolve("keepalived.log"), Map.of(), ns.wrap(List.of(
                "keepalived", "--dont-fork", "--log-console", "--log-detail", "--no-syslog", "--vrrp",
                "--use-file", conf().toString(), "--pid", dir.resolve("keepalived.pid").toString(),
                "--vrrp_pid", dir.resolve("vrrp.pid").toString(),
                "--checkers_pid", dir.resolve("checkers.pid").toString(),
                "--bfd_pid", dir.resolve("bfd.pid").toString())));
        Await.until(Duration.ofSeconds(15), role + " keepalived reporting a VRRP state", () -> {
            if (!daemon.alive()) {
                throw new IllegalStateException(role + " keepalived exited: " + daemon.logTail(10));
            }
            return Files.exists(dir.resolve("vrrp.state"));
        });
    }

    /** MASTER, BACKUP, FAULT, STOP as the notify script last wrote it, or DOWN when keepalived is not running. */
    public String state() {
        if (!alive()) {
            return "DOWN";
        }
        try {
            Path f = dir.resolve("vrrp.state");
            return Files.exists(f) ? Files.readString(f).strip() : "INIT";
        } catch (IOException e) {
            return "UNKNOWN";
        }
    }

    /** SIGTERM: a graceful stop (keepalived sends priority-0 adverts, the backup takes over at once). */
    public void stop() {
        if (daemon != null) {
            daemon.stop(Duration.ofSeconds(10));
        }
    }

    public boolean alive() {
        return daemon != null && daemon.alive();
    }

    public Daemon daemon() {
        return daemon;
    }
}
