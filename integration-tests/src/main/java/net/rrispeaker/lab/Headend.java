package net.rrispeaker.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.rrispeaker.lab.HaTopology.HeadendAddrs;

/**
 * One headend of the redundant-headend lab ({@link HaLab}) in its own namespace: charon
 * (responder), gobgpd (iBGP to the core), keepalived (VRRP on the outside segment), zebra and
 * bfdd (for BFD toward the core), and the speaker (a separate JVM watching this charon and
 * driving this gobgpd). Everything it starts is tracked by the lab's {@link Processes}.
 *
 * <p>Faults act on the whole box: {@link #crash()} SIGKILLs every process of its namespace and
 * its speaker at once (a power cut), {@link #freeze()}/{@link #thaw()} SIGSTOP/SIGCONT them (a
 * hung box), {@link #blackhole(boolean)} keeps everything running with links up but drops every
 * packet it sends (a power-loss stand-in the peers can only notice by silence).
 */
public final class Headend implements SpeakerHost {
    private final HeadendAddrs addrs;
    private final Netns ns;
    private final Path dir;
    private final Processes processes;
    private final Charon charon;
    private final Gobgpd gobgpd;
    private final HaKeepalived keepalived;
    private final Path speakerConfig;
    private final List<String> extraGlobal = new ArrayList<>();
    private final List<String> extraMap = new ArrayList<>();
    private final List<Daemon> frr = new ArrayList<>();
    private SpeakerProcess speaker;
    private volatile java.util.Set<String> suppressed = java.util.Set.of();
    private volatile boolean frozen;
    private volatile boolean blackholed;

    Headend(HeadendAddrs addrs, Netns ns, Path dir, Processes processes) {
        this.addrs = addrs;
        this.ns = ns;
        this.dir = dir;
        this.processes = processes;
        this.charon = new Charon(addrs.role(), ns, dir, false, "ha-headend-swanctl.conf.tmpl",
                Map.of("HEAD_WAN", addrs.wan(), "HEAD_ID", addrs.id()), processes);
        this.gobgpd = new Gobgpd(ns, dir, dir.resolve("gobgp.sock"), processes, "ha-gobgpd.toml.tmpl",
                Map.of("HEAD_LO", addrs.lo(), "HEAD_CORE", addrs.core(), "CORE_ADDR", addrs.coreSide()));
        this.keepalived = new HaKeepalived(addrs.role(), ns, dir, addrs.priority(), processes);
        this.speakerConfig = dir.resolve("speaker.conf");
        writeSpeakerConfig();
        Path frrDir = dir.resolve("frr");
        try {
            Files.createDirectories(frrDir);
            Files.writeString(frrDir.resolve("zebra.conf"), "hostname " + addrs.role() + "\nlog timestamp precision 3\n");
            Files.writeString(frrDir.resolve("bfdd.conf"), "hostname " + addrs.role() + "\nlog timestamp precision 3\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Exec.run("chown", "-R", "frr:frr", frrDir.toString()).check();
    }

    public HeadendAddrs addrs() {
        return addrs;
    }

    public String role() {
        return addrs.role();
    }

    public Netns netns() {
        return ns;
    }

    public Charon charon() {
        return charon;
    }

    public Gobgpd gobgpd() {
        return gobgpd;
    }

    public HaKeepalived keepalived() {
        return keepalived;
    }

    public SpeakerProcess speaker() {
        return speaker;
    }

    /** This headend's FRR vty socket dir (zebra, bfdd): {@code vtysh --vty_socket DIR}. */
    public Path frrDir() {
        return dir.resolve("frr");
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public Path controlSocket() {
        return dir.resolve("control.sock");
    }

    @Override
    public Daemon startProcess(String name, Path log, List<String> command) {
        return processes.start(name + "-" + addrs.role(), log, Map.of(), command);
    }

    /**
     * Adds speaker configuration: {@code global} lines after the {@code rri} lines, {@code map}
     * lines after the crypto map (e.g. {@code crypto map VPN redundancy GROUP}). Takes effect at
     * the next speaker start, or now with {@link SpeakerProcess#hangUp()}.
     */
    public void addSpeakerConfig(List<String> global, List<String> map) {
        extraGlobal.addAll(global);
        extraMap.addAll(map);
        writeSpeakerConfig();
    }

    /** Drops what {@link #addSpeakerConfig} added (effective at the next start or reload). */
    public void resetSpeakerConfig() {
        extraGlobal.clear();
        extraMap.clear();
        writeSpeakerConfig();
    }

    /**
     * Prefixes this headend's speaker must not announce although their SAs are up (a dampened
     * peer's, as the scenario's configuration dictates); the truth leaves them out.
     */
    public void suppressed(java.util.Set<String> prefixes) {
        suppressed = java.util.Set.copyOf(prefixes);
    }

    public java.util.Set<String> suppressed() {
        return suppressed;
    }

    public Path speakerConfig() {
        return speakerConfig;
    }

    private void writeSpeakerConfig() {
        Template.write("ha-speaker.conf.tmpl", Map.of("ROLE", addrs.role(), "DIR", dir.toString(),
                "DISTANCE", Integer.toString(addrs.distance()), "EXTRA_GLOBAL", String.join("\n", extraGlobal),
                "EXTRA_MAP", String.join("\n", extraMap)), speakerConfig);
    }

    /** Starts whatever of zebra, bfdd, gobgpd, charon, keepalived and the speaker is not running. */
    void startMissing(Path speakerJar) {
        if (frr.isEmpty() || frr.stream().anyMatch(d -> !d.alive())) {
            frr.forEach(d -> d.stop(Duration.ofSeconds(5)));
            frr.clear();
            for (String name : List.of("zebra", "bfdd")) {
                try {
                    Files.deleteIfExists(frrDir().resolve(name + ".vty"));
                    Files.deleteIfExists(frrDir().resolve("zserv.api"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            frr.add(Frr.startDaemon(processes, ns, frrDir(), "zebra"));
            Await.until(Duration.ofSeconds(10), role() + " zebra API socket", () -> Files.exists(frrDir().resolve("zserv.api")));
            frr.add(Frr.startDaemon(processes, ns, frrDir(), "bfdd"));
        }
        if (!gobgpd.alive()) {
            gobgpd.start();
        }
        if (!charon.alive()) {
            charon.start();
        }
        if (!keepalived.alive()) {
            keepalived.start();
        }
        if (speaker == null) {
            speaker = new SpeakerProcess(this, speakerJar, speakerConfig);
        }
        if (!speaker.alive()) {
            speaker.start();
        }
    }

    /** True when every process of this headend is running. */
    public boolean allAlive() {
        return charon.alive() && gobgpd.alive() && keepalived.alive() && speaker != null && speaker.alive()
                && !frr.isEmpty() && frr.stream().allMatch(Daemon::alive);
    }

    /** PIDs of every process of the box: all processes in its namespace and its speaker. */
    private List<Long> boxPids() {
        List<Long> pids = new ArrayList<>(ns.pids());
        if (speaker != null && speaker.alive()) {
            pids.add(speaker.pid());
        }
        return pids;
    }

    private void signalAll(String signal) {
        List<Long> pids = boxPids();
        if (pids.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        Exec.run(Duration.ofSeconds(10), Map.of(), cmd);
    }

    /** A power cut: SIGKILL to every process of the box in one {@code kill}; waits until they are gone. */
    public void crash() {
        signalAll("KILL");
        Await.until(Duration.ofSeconds(15), role() + " processes gone after SIGKILL",
                () -> ns.pids().isEmpty() && (speaker == null || !speaker.alive()));
        // reap the tracked ones (Process handles) so that alive() is false everywhere
        charon.kill();
        gobgpd.kill();
        if (keepalived.daemon() != null) {
            keepalived.daemon().kill();
        }
        frr.forEach(Daemon::kill);
        if (speaker != null) {
            speaker.kill();
        }
    }

    /** A hung box: SIGSTOP to every process of it (sockets stay open, nothing is sent). */
    public void freeze() {
        frozen = true;
        signalAll("STOP");
    }

    /** SIGCONT to every process of the box. */
    public void thaw() {
        signalAll("CONT");
        frozen = false;
    }

    /** True while the box is frozen or blackholed: it runs but reaches nobody. */
    public boolean impaired() {
        return frozen || blackholed;
    }

    /**
     * With {@code on}, every packet the box sends on its outside and core links is dropped (a
     * {@code blackhole} root qdisc): links stay up, processes run, peers see silence. Without, the
     * qdiscs are removed. Idempotent.
     */
    public void blackhole(boolean on) {
        if (on == blackholed) {
            return;
        }
        blackholed = on;
        for (String dev : List.of("wan0", "core0")) {
            if (on) {
                ns.exec("tc", "qdisc", "add", "dev", dev, "root", "blackhole").check();
            } else {
                ns.exec("tc", "qdisc", "del", "dev", dev, "root").check();
            }
        }
    }

    /** Names of the CHILD_SAs of the connection {@code spokes} this charon has INSTALLED, with their remote selectors. */
    public List<String> installedRemoteSelectors() {
        return CharonSas.installedRemoteSelectors(charon.swanctl("--list-sas").check().stdout());
    }

    public String diagnostics() {
        StringBuilder sb = new StringBuilder("=== headend ").append(role()).append(" (").append(dir).append(")\n");
        for (String f : List.of("charon.log", "gobgpd.log", "keepalived.log", "speaker.log", "frr/bfdd.log")) {
            sb.append("--- ").append(f).append('\n').append(Daemon.tail(dir.resolve(f), 25)).append('\n');
        }
        return sb.toString();
    }
}
