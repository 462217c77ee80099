package net.rrispeaker.sink.frr;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import net.rrispeaker.config.FrrSettings;
import net.rrispeaker.model.Route;
import net.rrispeaker.sink.RouteSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the speaker's routes FRR static routes, as IOS RRI installs them: per destination the
 * winning route, {@code ip route PREFIX NEXTHOP [IF] tag T DISTANCE} (IPv6 {@code ipv6 route}), in
 * its VRF's {@code vrf NAME} block. FRR's own {@code redistribute static route-map X} then takes
 * them into OSPF, IS-IS, RIP or BGP with the operator's route-maps ({@code match tag},
 * {@code set metric}, {@code set metric-type}).
 *
 * <p>{@link #changed} and {@link #resync} only queue and wake the worker thread ({@code frr-sink}),
 * which batches what arrives within the batch window into one {@code vtysh -f} transaction. See
 * {@link FrrWorker} for when it reads staticd back, {@link StaticSync} for which routes are the
 * speaker's and what it never touches, {@link StateFile} for how it remembers them.
 */
public final class FrrSink implements RouteSink {
    private static final Logger log = LoggerFactory.getLogger(FrrSink.class);

    private final FrrSettings settings;
    private final FrrWorker worker;
    private final Thread thread;

    public FrrSink(FrrSettings settings, MeterRegistry registry) {
        this(settings, new ProcessVtysh(settings), registry);
    }

    FrrSink(FrrSettings settings, Vtysh vtysh, MeterRegistry registry) {
        this.settings = settings;
        this.worker = new FrrWorker(vtysh, new StateFile(Path.of(settings.stateFile())), settings.batchWindow(),
                settings.resyncInterval(), registry, System::nanoTime);
        this.thread = new Thread(worker::run, "frr-sink");
        this.thread.setDaemon(true);
    }

    public void start() {
        log.info("sink=frr vtysh={} vty-socket={} state-file={} batch-window-ms={} op=start", settings.vtysh(),
                settings.effectiveVtySocketDir(), settings.stateFile(), settings.batchWindow().toMillis());
        thread.start();
    }

    @Override
    public void changed(List<Route> removed, List<Route> added) {
        worker.offer(List.copyOf(removed), List.copyOf(added), false);
    }

    @Override
    public void resync(Collection<Route> all) {
        worker.offer(List.of(), List.copyOf(all), true);
    }

    public FrrStatus status() {
        return worker.status();
    }

    /** Waits until everything handed over so far is in staticd; false on timeout. */
    public boolean awaitInSync(Duration timeout) throws InterruptedException {
        return worker.awaitInSync(timeout);
    }

    /** Stops the worker after the vtysh call under way (if any). The routes stay in FRR. */
    @Override
    public void close() {
        worker.stop();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
