package net.rrispeaker.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.bfd.BfdManager;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.RriSettings;
import net.rrispeaker.control.ControlServer;
import net.rrispeaker.core.Speaker;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.metrics.MetricsServer;
import net.rrispeaker.redundancy.NotifyFifoReader;
import net.rrispeaker.redundancy.VrrpNotice;
import net.rrispeaker.sink.PathSink;
import net.rrispeaker.sink.frr.FrrSink;
import net.rrispeaker.sink.gobgp.GobgpSink;
import net.rrispeaker.source.vici.ViciSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The running speaker: only wires the parts together. Source, core, sink, control API and metrics;
 * {@link ConfigReloader} loads and reloads the configuration (SIGHUP, control API) and applies peer
 * address changes that {@link PeerResolver} finds on its schedule; {@link HealthReport} answers
 * {@code show status}.
 */
final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    /** keepalived reopens its FIFO within this when it reloads; a FIFO closed for longer means keepalived is gone. */
    static final java.time.Duration NOTIFY_FIFO_CLOSE_GRACE = java.time.Duration.ofSeconds(2);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closeInOrder = new ArrayList<>();
    /** What SIGTERM does to the paths: withdrawn unless {@code rri shutdown keep-paths}. */
    private Runnable withdrawOnStop = () -> { };
    private boolean keepPaths;

    private Daemon() {
    }

    /** Starts the speaker with {@code config}, which is {@code file} as parsed and validated. */
    static Daemon start(Path file, Config config) throws Exception {
        Daemon d = new Daemon();
        try {
            d.wire(file, config);
        } catch (Exception e) {
            d.close(); // what started so far, e.g. the control socket: a failed start leaves nothing behind
            throw e;
        }
        return d;
    }

    private void wire(Path file, Config config) throws Exception {
        RriSettings rri = config.rri();
        // First the control API's address: a second speaker stops here, before it talks to charon or gobgpd.
        ControlServer control = ControlServer.listen(rri.controlApi(), registry);
        closeInOrder.add(control);
        if (rri.metricsListen() != null) {
            closeInOrder.add(new MetricsServer(rri.metricsListen(), registry));
        }
        GobgpSink gobgp = new GobgpSink(rri.gobgpApi(), rri.pathIdentifier(), registry);
        gobgp.start();
        PathSink sink = gobgp;
        Speaker speaker = new Speaker(config, registry, List.of(sink), c -> c.crypto().vrfs());
        ConfigReloader reloader = new ConfigReloader(file, config,
                new PeerResolver(PeerResolver.Lookup.system(), registry), speaker::reload, registry);
        reloader.start();
        HealthReport health = new HealthReport(rri.viciSocket(), rri.gobgpApi(),
                config.frr() == null ? "" : config.frr().effectiveVtySocketDir());
        ViciSource vici = new ViciSource(rri.viciSocket(), event -> {
            health.sourceEvent(event);
            speaker.submit(event);
        }, registry);
        vici.start();
        closeInOrder.add(vici::close);
        NotifyFifoReader vrrp = vrrpFifo(config, speaker);
        if (vrrp != null) {
            closeInOrder.add(vrrp);
        }
        keepPaths = config.redundancy().keepPathsOnShutdown();
        withdrawOnStop = () -> withdraw(speaker, gobgp);
        closeInOrder.add(speaker);
        closeInOrder.add(sink);
        FrrSink frr = null;
        if (config.frr() != null) { // rri frr ...: the routes also become FRR static routes
            frr = new FrrSink(config.frr(), registry);
            frr.start();
            speaker.addRouteSink(frr);
            closeInOrder.add(frr);
        }
        BfdManager bfd = null;
        if (config.bfd() != null) { // rri bfd ...: a bfdd peer per gobgpd neighbour
            bfd = BfdManager.create(config.bfd(), rri.gobgpApi(), registry);
            bfd.start();
            closeInOrder.add(bfd);
        }
        FrrSink frrSink = frr;
        BfdManager bfdManager = bfd;
        control.serve(speaker, reloader::reload, () -> health.components(gobgp.status(),
                        frrSink == null ? null : frrSink.status(), bfdManager == null ? null : bfdManager.status()),
                () -> bfdManager == null ? null : bfdManager.status());
        Signal.handle(new Signal("HUP"), sig -> new Thread(reloader::reload, "rri-reload").start());
        ScheduledExecutorService peerTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rri-peer-resolve");
            t.setDaemon(true);
            return t;
        });
        long every = PeerResolver.INTERVAL.toSeconds();
        peerTimer.scheduleWithFixedDelay(reloader::refreshPeers, every, every, TimeUnit.SECONDS);
        closeInOrder.add(0, peerTimer::shutdownNow);
        log.info("rri-speaker started: config={} vici={} gobgp={} control={}", file, rri.viciSocket(), rri.gobgpApi(),
                rri.controlApi());
    }

    /** {@code rri redundancy notify-fifo PATH}: keepalived's states into the core. */
    private NotifyFifoReader vrrpFifo(Config config, Speaker speaker) {
        String path = config.redundancy().notifyFifo();
        if (path == null) {
            return null;
        }
        NotifyFifoReader r = new NotifyFifoReader(Path.of(path), new NotifyFifoReader.Listener() {
            @Override
            public void notice(VrrpNotice notice) {
                speaker.vrrpNotice(notice);
            }

            @Override
            public void malformed(String reason, String line) {
                String tag = reason.equals("not-a-fifo") ? "not-a-fifo" : "malformed";
                registry.counter(Meters.REDUNDANCY_NOTIFY_ERRORS, "reason", tag).increment();
                log.warn("keepalived notify FIFO {}: {}: \"{}\" (ignored)", path, reason, line);
            }

            @Override
            public void closed(String why) {
                registry.counter(Meters.REDUNDANCY_NOTIFY_ERRORS, "reason", "closed").increment();
                log.warn("{}: redundancy groups are standby until keepalived reports their state again", why);
                speaker.vrrpLost(why);
            }
        }, java.time.Duration.ofSeconds(1), NOTIFY_FIFO_CLOSE_GRACE);
        r.start();
        return r;
    }

    /** Hands gobgpd an empty set and waits (bounded) until it has withdrawn our paths. */
    private static void withdraw(Speaker speaker, GobgpSink gobgp) {
        try {
            speaker.withdrawAll().get(5, TimeUnit.SECONDS);
            if (!gobgp.awaitInSync(java.time.Duration.ofSeconds(5))) {
                log.warn("gobgpd did not confirm the withdrawal of the speaker's paths within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("while withdrawing the paths: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (keepPaths) {
            log.info("rri-speaker stopping; paths stay in gobgpd (rri shutdown keep-paths) so a restart does not flap them");
        } else {
            log.info("rri-speaker stopping; withdrawing its paths from gobgpd (rri shutdown withdraw-paths)");
            withdrawOnStop.run();
        }
        for (AutoCloseable c : closeInOrder) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("while stopping: {}", e.toString());
            }
        }
        registry.close();
    }
}
