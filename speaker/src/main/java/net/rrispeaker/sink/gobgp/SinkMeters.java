package net.rrispeaker.sink.gobgp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicInteger;
import net.rrispeaker.metrics.Meters;

/** The sink's meters, all tagged {@code sink=gobgp}. */
final class SinkMeters {
    private static final String SINK = "gobgp";

    private final MeterRegistry registry;
    final Counter announce;
    final Counter withdraw;
    final Counter resyncs;
    final Timer reconcile;
    final AtomicInteger announced = new AtomicInteger();

    SinkMeters(MeterRegistry registry) {
        this.registry = registry;
        this.announce = Counter.builder(Meters.SINK_CHANGES).tag("sink", SINK).tag("op", "announce").register(registry);
        this.withdraw = Counter.builder(Meters.SINK_CHANGES).tag("sink", SINK).tag("op", "withdraw").register(registry);
        this.resyncs = Counter.builder(Meters.SINK_RESYNCS).tag("sink", SINK).register(registry);
        this.reconcile = Timer.builder(Meters.SINK_RECONCILE).tag("sink", SINK).register(registry);
        Gauge.builder(Meters.SINK_ANNOUNCED, announced, AtomicInteger::get).tag("sink", SINK).register(registry);
    }

    /** Counts a failure; {@code reason}: connect, list, vrf, stream, path, invalid. */
    void error(String reason) {
        Counter.builder(Meters.SINK_ERRORS).tag("sink", SINK).tag("reason", reason).register(registry).increment();
    }
}
