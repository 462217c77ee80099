package net.rrispeaker.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * strongSwan's charon in one lab namespace, with its own strongswan.conf (STRONGSWAN_CONF), its
 * own {@code /run} (the pid file path is compiled in: a private dir is bind-mounted over /run in
 * the {@code ip netns exec} mount namespace) and its VICI socket in the lab dir.
 */
public final class Charon {
    private static final String CHARON = "/usr/lib/ipsec/charon";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final String role;
    private final Netns ns;
    private final Path dir;
    private final Processes processes;
    private Daemon daemon;

    Charon(String role, Netns ns, Path dir, boolean makeBeforeBreak, String swanctlTemplate, Processes processes) {
        this.role = role;
        this.ns = ns;
        this.dir = dir;
        this.processes = processes;
        try {
            Files.createDirectories(dir.resolve("run"));
            for (String sub : List.of("x509", "x509ca", "x509ocsp", "x509aa", "x509ac", "x509crl", "pubkey",
                    "private", "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12")) {
                Files.createDirectories(dir.resolve("swanctl").resolve(sub));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Template.write("strongswan.conf.tmpl", Map.of("ROLE", role, "DIR", dir.toString(),
                "MAKE_BEFORE_BREAK", makeBeforeBreak ? "yes" : "no"), strongswanConf());
        Template.write(swanctlTemplate, Map.of(), dir.resolve("swanctl/swanctl.conf"));
    }

    public Path vici() {
        return dir.resolve("charon.vici");
    }

    public Path log() {
        return dir.resolve("charon.log");
    }

    public Netns netns() {
        return ns;
    }

    private Path strongswanConf() {
        return dir.resolve("strongswan.conf");
    }

    /** Starts charon, waits until VICI answers, loads connections and secrets. */
    public void start() {
        if (daemon != null && daemon.alive()) {
            throw new IllegalStateException(role + " charon: running (expected: stopped)");
        }
        try {
            Files.deleteIfExists(dir.resolve("run/charon.pid"));
            Files.deleteIfExists(vici());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon = processes.start("charon-" + role, dir.resolve("charon.stdout"), Map.of(), ns.wrap(List.of(
                "sh", "-c", "mount --bind \"$1\" /run && exec env STRONGSWAN_CONF=\"$2\" \"$3\"",
                "charon", dir.resolve("run").toString(), strongswanConf().toString(), CHARON)));
        Await.until(START_TIMEOUT, role + " charon answering on " + vici(), () -> {
            if (!daemon.alive()) {
                throw new IllegalStateException(role + " charon exited: " + daemon.logTail(5));
            }
            return Files.exists(vici()) && swanctl("--stats").ok();
        });
        swanctl("--load-all", "--file", dir.resolve("swanctl/swanctl.conf").toString()).check();
    }

    /** SIGTERM (charon says goodbye to its peers and subscribers), bounded wait, then SIGKILL. */
    public void stop() {
        if (daemon != null) {
            daemon.stop(Duration.ofSeconds(10));
        }
    }

    /** SIGKILL: a dead peer that sends nothing more, for DPD. */
    public void kill() {
        if (daemon != null) {
            daemon.kill();
        }
    }

    public void restart() {
        stop();
        start();
    }

    public boolean alive() {
        return daemon != null && daemon.alive();
    }

    /** {@code swanctl ARGS... --uri unix://VICI} against this charon, 30 s deadline, unchecked. */
    public Exec.Result swanctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("swanctl"));
        cmd.addAll(Arrays.asList(args));
        cmd.add("--uri");
        cmd.add("unix://" + vici());
        return Exec.run(Duration.ofSeconds(30), Map.of("STRONGSWAN_CONF", strongswanConf().toString()), ns.wrap(cmd));
    }

    @Override
    public String toString() {
        return role + " charon " + daemon;
    }
}
