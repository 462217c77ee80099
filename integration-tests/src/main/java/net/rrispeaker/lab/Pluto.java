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

/**
 * Real libreswan pluto (Debian's 4.10, unpacked, not installed: {@code rri.libreswan.root}, by
 * default where {@code .ci/debian-packages.sh} puts it) in a network namespace of its own. pluto
 * hard-codes {@code /usr/libexec/ipsec} and wants {@code /etc/ipsec.d} and {@code /run/pluto}, so
 * it runs in a private mount namespace ({@code unshare -m}) where a tmpfs over {@code /usr/libexec}
 * holds a copy of the unpacked tree, {@code /etc/ipsec.d} is a directory of this instance (a fresh
 * NSS database) and {@code /run} a tmpfs. Every process is the {@code exec} of the one before, so
 * the {@link Daemon}'s PID is pluto's; {@code whack} and {@code addconn} run inside its namespaces
 * ({@code nsenter -t PID -m -n}). {@link #close()} stops it and deletes its namespace.
 */
public final class Pluto implements AutoCloseable {
    public static final Path ROOT = Path.of(System.getProperty("rri.libreswan.root", "/opt/rri-libreswan"));

    private final Netns ns;
    private final Path dir;
    private final Daemon daemon;

    private Pluto(Netns ns, Path dir, Daemon daemon) {
        this.ns = ns;
        this.dir = dir;
        this.daemon = daemon;
    }

    /** Whether the unpacked libreswan is there. */
    public static boolean available() {
        return Files.isExecutable(ROOT.resolve("usr/libexec/ipsec/pluto"));
    }

    /** A namespace named {@code rri-<pid>-<n>-<name>} (swept if this JVM dies), its loopback up. */
    public static Netns namespace(String name) {
        return Netns.create(Netns.nextStem() + "-" + name);
    }

    /**
     * Starts pluto in {@code ns} with {@code ipsec.conf} and {@code ipsec.secrets} of {@code dir}
     * (which also gets its log and NSS database); {@code env} reaches pluto and so its updown calls.
     */
    public static Pluto start(Netns ns, Path dir, Map<String, String> env) {
        try {
            Path side = dir.resolve("run-pluto.sh");
            Files.writeString(side, """
                    #!/bin/sh
                    set -e
                    mount -t tmpfs tmpfs /usr/libexec
                    mkdir -p /usr/libexec/ipsec
                    cp -a "$2/usr/libexec/ipsec/." /usr/libexec/ipsec/
                    mkdir -p "$1/nss" /etc/ipsec.d
                    mount --bind "$1/nss" /etc/ipsec.d
                    mount -t tmpfs tmpfs /run
                    mkdir -p /run/pluto
                    certutil -N -d sql:/etc/ipsec.d --empty-password
                    exec /usr/libexec/ipsec/pluto --nofork --config "$1/ipsec.conf" --secretsfile "$1/ipsec.secrets" \\
                        --ipsecdir /etc/ipsec.d --nssdir /etc/ipsec.d --rundir /run/pluto --logfile "$1/pluto.log" --stderrlog
                    """);
            Files.setPosixFilePermissions(side, PosixFilePermissions.fromString("rwxr-xr-x"));
            Daemon d = Daemon.start("pluto-" + ns.name(), dir.resolve("pluto.out"), env, ns.wrap(List.of("unshare", "-m",
                    "--propagation", "private", side.toString(), dir.toString(), ROOT.toString())));
            Pluto pluto = new Pluto(ns, dir, d);
            Await.until(Duration.ofSeconds(20), "pluto in " + ns + " listens on its control socket",
                    () -> !d.alive() || pluto.whack("--status").ok());
            if (!d.alive()) {
                throw new IllegalStateException("pluto in " + ns + " exited: " + d.logTail(20));
            }
            return pluto;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public long pid() {
        return daemon.pid();
    }

    /** The command prefix that runs a libreswan program inside pluto's namespaces. */
    public List<String> inside(String program) {
        return List.of("nsenter", "-t", Long.toString(daemon.pid()), "-m", "-n",
                ROOT.resolve("usr/libexec/ipsec").resolve(program).toString());
    }

    /** {@code whack --ctlsocket /run/pluto/pluto.ctl ARGS} inside pluto's namespaces. */
    public Exec.Result whack(String... args) {
        List<String> cmd = new ArrayList<>(inside("whack"));
        cmd.addAll(List.of("--ctlsocket", "/run/pluto/pluto.ctl"));
        cmd.addAll(List.of(args));
        return Exec.run(Duration.ofSeconds(30), Map.of(), cmd);
    }

    /** Loads the connections of its ipsec.conf as {@code ipsec start} does ({@code auto=} honoured). */
    public Exec.Result addAll() {
        List<String> cmd = new ArrayList<>(inside("addconn"));
        cmd.addAll(List.of("--config", dir.resolve("ipsec.conf").toString(), "--ctlsocket", "/run/pluto/pluto.ctl",
                "--autoall"));
        return Exec.run(Duration.ofSeconds(30), Map.of(), cmd);
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("pluto.log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        daemon.stop(Duration.ofSeconds(5));
        Netns.killAll(ns.name()); // an updown call still running, by PID
        Exec.run("ip", "netns", "del", ns.name());
    }
}
