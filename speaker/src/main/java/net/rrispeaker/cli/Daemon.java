package net.rrispeaker.cli;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.Config;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.ios.ConfigProblem;
import net.rrispeaker.ios.ConfigText;
import net.rrispeaker.config.MapEntry;
import net.rrispeaker.config.RriSettings;
import net.rrispeaker.model.VrfDefinition;
import net.rrispeaker.control.ComponentHealth;
import net.rrispeaker.control.ControlAddress;
import net.rrispeaker.control.ControlServer;
import net.rrispeaker.control.api.ReloadResponse;
import net.rrispeaker.core.Speaker;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.metrics.MetricsServer;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.sink.PathSink;
import net.rrispeaker.sink.gobgp.GobgpSink;
import net.rrispeaker.sink.gobgp.SinkStatus;
import net.rrispeaker.model.SaEvent;
import net.rrispeaker.source.vici.ViciSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** The running speaker: wires source, core, sink, control API and metrics; reloads on SIGHUP. */
final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Path file;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closeInOrder = new ArrayList<>();
    private final Counter loadsOk = Counter.builder(Meters.CONFIG_LOADS).tag("result", "ok").register(registry);
    private final Counter loadsFailed = Counter.builder(Meters.CONFIG_LOADS).tag("result", "error").register(registry);
    private Speaker speaker;
    private GobgpSink gobgp;
    private ViciSource vici;
    private volatile Config running;
    private volatile String viciState = "connecting";

    /** How often {@code set peer HOST dynamic} names are resolved again. */
    static final Duration PEER_RESOLVE_INTERVAL = Duration.ofSeconds(30);

    private volatile String runningText;
    private ScheduledExecutorService resolver;

    private Daemon(Path file, String text, Config config) {
        this.file = file;
        this.runningText = text;
        this.running = config;
    }

    static Daemon start(Path file, String text, Config config) throws IOException {
        Daemon d = new Daemon(file, text, config);
        d.startAll();
        return d;
    }

    private void startAll() throws IOException {
        RriSettings rri = running.rri();
        for (ConfigProblem p : running.notes()) {
            log.info("config {}", p);
        }
        loadsOk.increment();
        if (rri.metricsListen() != null) {
            closeInOrder.add(new MetricsServer(rri.metricsListen(), registry));
        }
        gobgp = new GobgpSink(rri.gobgpApi(), rri.pathIdentifier(), registry);
        gobgp.start();
        PathSink sink = new PathSink() {
            @Override
            public void reconcile(Map<BgpPath.Key, BgpPath> desired, Map<String, VrfDefinition> vrfs) {
                gobgp.reconcile(desired, vrfs);
            }

            @Override
            public void close() {
                gobgp.close();
            }
        };
        speaker = new Speaker(running, registry, List.of(sink), Daemon::vrfs);
        vici = new ViciSource(rri.viciSocket(), event -> {
            // The source says when it is in sync (a snapshot) and when it lost charon.
            if (event instanceof SaEvent.Snapshot) {
                viciState = "connected to " + rri.viciSocket();
            } else if (event instanceof SaEvent.SourceLost lost) {
                viciState = "DOWN: " + lost.reason();
            }
            speaker.submit(event);
        }, registry);
        vici.start();
        closeInOrder.add(0, new ControlServer(new ControlAddress(rri.controlApi()), speaker, this::reload, this::health));
        closeInOrder.add(vici::close);
        closeInOrder.add(speaker);
        closeInOrder.add(sink);
        Signal.handle(new Signal("HUP"), sig -> new Thread(this::reload, "rri-reload").start());
        resolver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rri-peer-resolve");
            t.setDaemon(true);
            return t;
        });
        resolver.scheduleWithFixedDelay(this::resolvePeersAgain, PEER_RESOLVE_INTERVAL.toSeconds(),
                PEER_RESOLVE_INTERVAL.toSeconds(), TimeUnit.SECONDS);
        closeInOrder.add(0, resolver::shutdownNow);
        log.info("rri-speaker started: config={} vici={} gobgp={} control={}", file, rri.viciSocket(), rri.gobgpApi(),
                rri.controlApi());
    }

    static Map<String, VrfDefinition> vrfs(Config c) {
        return c.crypto().vrfs();
    }

    /** Re-reads the file; applies it only when valid. Returns what happened, for the control API. */
    synchronized ReloadResponse reload() {
        ReloadResponse.Builder out = ReloadResponse.newBuilder();
        Config next;
        String text;
        try {
            text = ConfigText.read(file);
            next = ConfigParser.parse(file.toString(), text);
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
        for (String w : restartOnly(running.rri(), next.rri())) {
            out.addProblems(file + ": warning: " + w);
            log.warn("reload: {}", w);
        }
        try {
            speaker.reload(next).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            loadsFailed.increment();
            log.error("reload failed while applying", e);
            return out.setApplied(false).addProblems("internal error: " + e).build();
        }
        running = next;
        runningText = text;
        loadsOk.increment();
        next.notes().forEach(p -> out.addProblems(p.toString()));
        log.info("reload applied from {}", file);
        return out.setApplied(true).build();
    }

    /**
     * {@code set peer HOST dynamic}: the same configuration text is parsed again (so the names are
     * resolved again); if any address moved, the core applies the difference like a reload.
     */
    private synchronized void resolvePeersAgain() {
        if (!hasDynamicPeerNames(running)) {
            return;
        }
        try {
            Config again = ConfigParser.parse(file.toString(), runningText);
            if (!dynamicPeerAddresses(again).equals(dynamicPeerAddresses(running))) {
                speaker.reload(again).get(30, TimeUnit.SECONDS);
                running = again;
                log.info("set peer ... dynamic: a peer name resolved to a new address; routes follow");
            }
        } catch (Exception e) {
            log.warn("re-resolving dynamic peers failed, keeping the current addresses: {}", e.toString());
        }
    }

    static boolean hasDynamicPeerNames(Config c) {
        return !dynamicPeerAddresses(c).isEmpty();
    }

    /** "entry host=address" for every {@code set peer NAME dynamic}, in config order. */
    static List<String> dynamicPeerAddresses(Config c) {
        List<MapEntry> entries = new ArrayList<>(c.crypto().cryptoMaps());
        c.crypto().dynamicMaps().values().forEach(entries::addAll);
        List<String> out = new ArrayList<>();
        for (MapEntry e : entries) {
            for (var p : e.peers()) {
                if (p.dynamic() && p.isHostName()) {
                    out.add(e.owner() + " " + p.host() + "=" + p.address());
                }
            }
        }
        return out;
    }

    private static List<String> restartOnly(RriSettings a, RriSettings b) {
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

    private List<ComponentHealth> health() {
        String v = viciState;
        SinkStatus g = gobgp.status();
        return List.of(health("vici", v.startsWith("connected"), v),
                health("gobgp", g.connected(), describe(g)));
    }

    private String describe(SinkStatus g) {
        String where = running.rri().gobgpApi();
        String state = g.connected()
                ? "connected to " + where + ", " + g.announced() + " paths announced, " + (g.inSync() ? "in sync" : "syncing")
                : "DOWN (" + where + ")";
        if (!g.lastError().isEmpty()) {
            state += "; last error " + g.lastError() + (g.lastErrorAt() == null ? "" : " at " + g.lastErrorAt());
        }
        return state + "; resyncs " + g.resyncs();
    }

    private static ComponentHealth health(String name, boolean up, String detail) {
        return new ComponentHealth() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean connected() {
                return up;
            }

            @Override
            public String detail() {
                return detail;
            }
        };
    }

    @Override
    public void close() {
        log.info("rri-speaker stopping; paths stay in gobgpd so a restart does not flap them");
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
