package net.rrispeaker.source.vici;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.SaEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's single exit: converts event packets, counts what passes and what fails, and hands
 * SaEvents to the sink. Shared by every connection of one source; runs on its event loop. Nothing
 * thrown by a bad event or by the sink leaves this class, so the event loop never stops.
 */
final class ViciDelivery {
    private static final Logger log = LoggerFactory.getLogger(ViciDelivery.class);

    private final Consumer<SaEvent> sink;
    private final MeterRegistry registry;
    /** The SA event counters by type, looked up once each (a registry lookup builds an id and tags every time). */
    private final Map<String, Counter> saEvents = new ConcurrentHashMap<>();
    private final ViciEvents.SelectorRefusals refusals = this::refused;
    /** Reused for every event and record: everything here runs on the source's one event loop thread. */
    private final ViciEvents.Converter converter = new ViciEvents.Converter();
    private final Consumer<ViciEventException> problems = this::error;
    private volatile boolean stopped;

    ViciDelivery(Consumer<SaEvent> sink, MeterRegistry registry) {
        this.sink = sink;
        this.registry = registry;
    }

    void connected() {
        registry.counter(Meters.SOURCE_CONNECTS, "source", "vici").increment();
    }

    /** A broadcast event: converted, or logged and counted when it cannot be (and then skipped whole). */
    void event(ViciPacket packet) {
        List<SaEvent> events;
        try {
            events = converter.convert(packet.name(), packet.message(), refusals);
        } catch (ViciEventException e) {
            error(e);
            return;
        } catch (RuntimeException e) {
            error(ViciEventException.BUG, LogText.safe(packet.name()) + ": " + e);
            return;
        }
        for (SaEvent e : events) {
            deliver(e);
        }
    }

    /**
     * The children of one list-sa event; what cannot be read is counted and left out, and its
     * IKE_SA is marked unreadable so the snapshot keeps what was known of it. Never throws.
     */
    ViciEvents.ListSa listSa(ViciPacket packet) {
        try {
            return converter.listSa(packet.message(), problems, refusals);
        } catch (RuntimeException e) {
            error(ViciEventException.BUG, "list-sa: " + e);
            return new ViciEvents.ListSa(List.of(), ViciEvents.unreadableFrom(packet.message()));
        }
    }

    /**
     * A segment with intact framing but malformed content: logged, counted ({@code malformed-message})
     * and skipped. What it means for the conversation is the session's decision.
     */
    void malformed(ViciMalformed m) {
        log.warn("vici malformed message skipped type={} name={} problem=\"{}\"", m.type(),
                m.name() != null ? LogText.safe(m.name()) : m.type().named() ? "(unreadable)" : "-", LogText.safe(m.problem()));
        registry.counter(Meters.SOURCE_ERRORS, "reason", "malformed-message").increment();
    }

    /** A traffic selector the source will not route: one line with the SA and the raw text, one count. */
    void refused(String peer, String side, TrafficSelectors.Rejected r) {
        log.warn("vici selector refused reason={} {} {}=\"{}\" detail=\"{}\"", r.why().reason().tag, peer, side,
                LogText.safe(r.raw()), LogText.safe(r.why().detail()));
        registry.counter(Meters.SELECTORS_REFUSED, "reason", r.why().reason().tag).increment();
    }

    void snapshot(List<ChildSa> sas, List<SaEvent.UnreadableIkeSa> unreadable) {
        if (!unreadable.isEmpty()) {
            log.warn("vici snapshot keeps the known state of unreadable IKE_SAs: {}", unreadable);
        }
        deliver(new SaEvent.Snapshot(sas, unreadable));
    }

    /** SAs of a snapshot still arriving (see {@link SaEvent.SnapshotPart}). */
    void snapshotPart(List<ChildSa> sas) {
        deliver(new SaEvent.SnapshotPart(sas));
    }

    void lost(String reason, boolean daemonAlive) {
        deliver(new SaEvent.SourceLost(reason, daemonAlive));
    }

    /** Connected: a snapshot is on its way (the core's timers wait for it). */
    void snapshotStarted() {
        deliver(new SaEvent.SnapshotStarted());
    }

    void error(String reason, String message) {
        log.warn("vici error reason={} error={}", reason, message);
        registry.counter(Meters.SOURCE_ERRORS, "reason", reason).increment();
    }

    /** An event or record that could not be converted, with the SA it was about. */
    void error(ViciEventException e) {
        if (e.peer() == null) {
            error(e.reason(), e.getMessage());
            return;
        }
        log.warn("vici error reason={} {} error={}", e.reason(), e.peer(), e.getMessage());
        registry.counter(Meters.SOURCE_ERRORS, "reason", e.reason()).increment();
    }

    /** After this, nothing more reaches the sink (the source was closed on purpose). */
    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    private void deliver(SaEvent event) {
        if (stopped) {
            return;
        }
        String type = type(event);
        saEvents.computeIfAbsent(type, t -> registry.counter(Meters.SA_EVENTS, "type", t)).increment();
        log.debug("vici sa event type={} event={}", type, event);
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            log.error("vici sink failed type={} error={}", type, e.toString(), e);
            registry.counter(Meters.SOURCE_ERRORS, "reason", "sink").increment();
        }
    }

    static String type(SaEvent e) {
        if (e instanceof SaEvent.ChildUp) {
            return "child-up";
        } else if (e instanceof SaEvent.ChildDown) {
            return "child-down";
        } else if (e instanceof SaEvent.ChildRekeyed) {
            return "child-rekey";
        } else if (e instanceof SaEvent.IkeRekeyed) {
            return "ike-rekey";
        } else if (e instanceof SaEvent.IkeAddressChanged) {
            return "ike-address";
        } else if (e instanceof SaEvent.IkeDown) {
            return "ike-down";
        } else if (e instanceof SaEvent.Snapshot) {
            return "snapshot";
        } else if (e instanceof SaEvent.SnapshotPart) {
            return "snapshot-part";
        } else if (e instanceof SaEvent.SnapshotStarted) {
            return "snapshot-started";
        }
        return "source-lost";
    }
}
