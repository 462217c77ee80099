package net.rrispeaker.cli;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.config.PeerAddresses;
import net.rrispeaker.config.RriSettings;
import net.rrispeaker.control.api.ReloadResponse;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.ios.ConfigProblem;
import net.rrispeaker.ios.ConfigText;
import net.rrispeaker.metrics.Meters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's configuration lifecycle: the first load, reloads (SIGHUP, {@code rri-speaker
 * reload}) and new peer addresses. Each hands the core a configuration with the addresses its peer
 * host names resolve to ({@link PeerResolver}). A reload re-reads the file and applies it only when
 * it is valid; a peer address change re-applies the running configuration as parsed at its load
 * (the file is not read again). One at a time: reload and peer refresh never interleave.
 */
final class ConfigReloader {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);
    /** How long applying a configuration in the core may take before it counts as failed. */
    static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);

    /** The core: takes a validated configuration with its peer addresses. */
    @FunctionalInterface
    interface Core {
        CompletableFuture<Void> apply(Config config, PeerAddresses peers);
    }

    private final Path file;
    private final PeerResolver peers;
    private final Core core;
    private final Counter loadsOk;
    private final Counter loadsFailed;
    private Config running; // guarded by this

    /** {@code initial} is {@code file} as parsed at start. */
    ConfigReloader(Path file, Config initial, PeerResolver peers, Core core, MeterRegistry registry) {
        this.file = file;
        this.running = initial;
        this.peers = peers;
        this.core = core;
        this.loadsOk = Counter.builder(Meters.CONFIG_LOADS).tag("result", "ok").register(registry);
        this.loadsFailed = Counter.builder(Meters.CONFIG_LOADS).tag("result", "error").register(registry);
    }

    /** The first load: resolves every peer name of the initial configuration and hands both to the core. */
    synchronized void start() throws Exception {
        for (ConfigProblem p : running.notes()) {
            if (p.severity() == ConfigProblem.Severity.WARNING) {
                log.warn("config {}", p);
            } else {
                log.info("config {}", p);
            }
        }
        core.apply(running, peers.resolveAll(running)).get(APPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        loadsOk.increment();
    }

    /** The configuration the core runs. */
    synchronized Config running() {
        return running;
    }

    /** Re-reads the file; applies it only when valid. Returns what happened, for the control API. */
    synchronized ReloadResponse reload() {
        ReloadResponse.Builder out = ReloadResponse.newBuilder();
        Config next;
        try {
            next = ConfigParser.parse(file.toString(), ConfigText.read(file)); // UTF-8, size-bounded
        } catch (ConfigException e) {
            loadsFailed.increment();
            e.problems().forEach(p -> out.addProblems(p.toString()));
            log.error("reload refused, {} error(s); the previous configuration keeps running:\n{}",
                    e.problems().stream().filter(p -> p.severity() == ConfigProblem.Severity.ERROR).count(), e.getMessage());
            return out.setApplied(false).build();
        } catch (IOException e) {
            loadsFailed.increment();
            log.error("reload refused: cannot read {}: {}", file, e.getMessage());
            return out.setApplied(false).addProblems(file + ": " + e.getMessage()).build();
        }
        List<String> restart = new ArrayList<>(restartOnly(running.rri(), next.rri()));
        if (!Objects.equals(running.frr(), next.frr())) {
            restart.add("rri frr changed; takes effect after a restart");
        }
        if (!Objects.equals(running.bfd(), next.bfd())) {
            restart.add("rri bfd changed; takes effect after a restart");
        }
        if (!Objects.equals(running.redundancy().notifyFifo(), next.redundancy().notifyFifo())
                || running.redundancy().keepPathsOnShutdown() != next.redundancy().keepPathsOnShutdown()) {
            restart.add("rri redundancy notify-fifo / rri shutdown changed; takes effect after a restart");
        }
        for (String w : restart) {
            out.addProblems(file + ": warning: " + w);
            log.warn("reload: {}", w);
        }
        try {
            core.apply(next, peers.resolveAll(next)).get(APPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            loadsFailed.increment();
            log.error("reload failed while applying", e);
            return out.setApplied(false).addProblems("internal error: " + e).build();
        }
        running = next;
        loadsOk.increment();
        next.notes().forEach(p -> out.addProblems(p.toString()));
        log.info("reload applied from {}", file);
        return out.setApplied(true).build();
    }

    /**
     * The periodic peer pass ({@link PeerResolver#refresh}): if an address changed, the running
     * configuration is applied again with the new addresses and the routes via that peer move.
     * Never throws (it runs on a schedule that an exception would end).
     */
    synchronized void refreshPeers() {
        try {
            Optional<PeerAddresses> changed = peers.refresh();
            if (changed.isPresent()) {
                core.apply(running, changed.get()).get(APPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                log.info("peer addresses changed; routes via those peers follow");
            }
        } catch (Exception e) {
            log.error("applying new peer addresses failed; they are applied with the next address change or reload", e);
        }
    }

    /** Warnings for settings a reload cannot change: they take effect after a restart. */
    static List<String> restartOnly(RriSettings a, RriSettings b) {
        List<String> w = new ArrayList<>();
        if (!a.viciSocket().equals(b.viciSocket())) {
            w.add("rri vici-socket changed; takes effect after a restart");
        }
        if (!a.gobgpApi().equals(b.gobgpApi()) || a.pathIdentifier() != b.pathIdentifier()) {
            w.add("rri gobgp-api / path-identifier changed; takes effect after a restart");
        }
        if (!a.controlApi().equals(b.controlApi()) || !Objects.equals(a.metricsListen(), b.metricsListen())) {
            w.add("rri control-api / metrics-listen changed; takes effect after a restart");
        }
        return w;
    }
}
