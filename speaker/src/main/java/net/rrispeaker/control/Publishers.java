package net.rrispeaker.control;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import net.rrispeaker.config.Config;
import net.rrispeaker.control.api.PublishReply;
import net.rrispeaker.control.api.PublishRequest;
import net.rrispeaker.control.api.PublishedSa;
import net.rrispeaker.core.Speaker;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.SaEvent;
import net.rrispeaker.source.vici.TrafficSelectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generic event source: publishers on the control API's {@code Publish} stream. Each stream
 * is a session: a hello names the publisher (its SAs' source), then snapshots, ups, downs,
 * rekeys and keepalives follow, each answered with one {@link PublishReply}. The events go to the
 * core under the publisher's name, so its snapshot replaces only its own SAs, and its SAs' routes
 * pass the prefix guard like any.
 *
 * <p>A <em>live</em> session ({@code keepalive_seconds > 0}) is the publisher's presence: when its
 * stream ends or breaks, or nothing arrives for {@link #MISSED_KEEPALIVES} keepalive intervals,
 * the core is told the source is lost ({@link SaEvent.SourceLost}, "there but failing"): its SAs
 * are held for {@code rri source-hold-time}, then kept or withdrawn per {@code rri source-failure}.
 * A new live session of the same name replaces the old one. A <em>one-shot</em> session
 * ({@code keepalive_seconds = 0}, a hook run once per event) says nothing by ending.
 *
 * <p>Thread-safety: gRPC calls one session's observer serially; {@link #checkKeepalives} runs on
 * the health thread, so session state is guarded by the session's lock.
 */
final class Publishers {
    private static final Logger log = LoggerFactory.getLogger(Publishers.class);
    /** Keepalive intervals without any message after which a live session counts as gone. */
    static final int MISSED_KEEPALIVES = 3;
    /** Longest keepalive interval a publisher may ask for. */
    static final int MAX_KEEPALIVE_SECONDS = 3600;
    /** Most SAs one snapshot may list. */
    static final int MAX_SNAPSHOT = 1_000_000;

    private final Speaker speaker;
    private final MeterRegistry registry;
    private final LongSupplier nanoTime;
    /** The live session of each publisher name. */
    private final Map<String, Session> live = new ConcurrentHashMap<>();

    Publishers(Speaker speaker, MeterRegistry registry, LongSupplier nanoTime) {
        this.speaker = speaker;
        this.registry = registry;
        this.nanoTime = nanoTime;
    }

    /** A new stream from a caller {@link ControlAccess} admitted under {@code who}'s rules. */
    StreamObserver<PublishRequest> open(ControlAccess.Publishing who, StreamObserver<PublishReply> replies) {
        return new Session(who, replies);
    }

    /** Ends the live sessions that have been silent too long; called every second. */
    void checkKeepalives() {
        long now = nanoTime.getAsLong();
        for (Session s : List.copyOf(live.values())) {
            s.expireIfSilent(now);
        }
    }

    private void count(String result, String reason) {
        registry.counter(Meters.PUBLISH_MESSAGES, "result", result, "reason", reason).increment();
    }

    private final class Session implements StreamObserver<PublishRequest> {
        private final ControlAccess.Publishing who;
        private final StreamObserver<PublishReply> replies;
        private long seq;
        private String name;
        private int keepaliveSeconds;
        private long lastSeen;
        private List<ChildSa> snapshot;
        private boolean ended;

        Session(ControlAccess.Publishing who, StreamObserver<PublishReply> replies) {
            this.who = who;
            this.replies = replies;
            this.lastSeen = nanoTime.getAsLong();
            if (replies instanceof ServerCallStreamObserver<PublishReply> call) {
                call.setOnCancelHandler(() -> lost("the publisher's stream was cancelled", "broken"));
            }
        }

        @Override
        public synchronized void onNext(PublishRequest req) {
            if (ended) {
                return;
            }
            seq++;
            lastSeen = nanoTime.getAsLong();
            if (name == null) {
                hello(req);
                return;
            }
            try {
                String warning = handle(req);
                count("accepted", "ok");
                reply(PublishReply.newBuilder().setSeq(seq).setAccepted(true).setError(warning).build());
            } catch (Refused e) {
                count("refused", e.reason);
                log.warn("publisher {}: message {} ({}) refused: {}", name, seq, req.getEventCase(), e.getMessage());
                reply(PublishReply.newBuilder().setSeq(seq).setAccepted(false).setError(e.getMessage()).build());
            }
        }

        private void hello(PublishRequest req) {
            if (!req.hasHello()) {
                refuseSession(Status.FAILED_PRECONDITION, "protocol",
                        "the first message must be a hello naming the publisher (got " + req.getEventCase() + ")");
                return;
            }
            String n = req.getHello().getPublisher();
            if (!n.matches(net.rrispeaker.config.ControlApiSettings.PUBLISHER_NAME) || n.equals(ChildSa.VICI)) {
                refuseSession(Status.INVALID_ARGUMENT, "bad-name", "publisher name '" + shown(n) + "' (expected: letters, "
                        + "digits, '.', '_' and '-', at most 64, starting with a letter or digit; not 'vici')");
                return;
            }
            if (!who.allows(n)) {
                registry.counter(Meters.CONTROL_DENIED, "access", "publish", "reason", "publisher-name").increment();
                refuseSession(Status.PERMISSION_DENIED, "publisher-name", who.caller() + " may not publish as '" + n
                        + "' (allowed: " + who.rules() + ")");
                return;
            }
            int keepalive = req.getHello().getKeepaliveSeconds();
            if (keepalive < 0 || keepalive > MAX_KEEPALIVE_SECONDS) {
                refuseSession(Status.INVALID_ARGUMENT, "protocol", "keepalive_seconds " + Integer.toUnsignedString(keepalive)
                        + " (expected: 0 for a one-shot session, or 1.." + MAX_KEEPALIVE_SECONDS + ")");
                return;
            }
            name = n;
            keepaliveSeconds = keepalive;
            if (keepalive > 0) {
                Session old = live.put(n, this);
                if (old != null) {
                    old.replaced();
                }
            }
            count("accepted", "ok");
            Config cfg = config();
            log.info("publisher {} connected ({}; {})", n, who.caller(),
                    keepalive > 0 ? "live, keepalive " + keepalive + " s" : "one-shot");
            reply(PublishReply.newBuilder().setSeq(seq).setAccepted(true)
                    .setHoldSeconds((int) cfg.rri().sourceHoldTime().toSeconds())
                    .setKeepOnFailure(cfg.rri().keepOnSourceFailure()).build());
        }

        private Config config() {
            try {
                return speaker.read(Speaker.View::config).get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw Status.UNAVAILABLE.withDescription("the speaker is stopping").asRuntimeException();
            }
        }

        /** Applies one event; returns a warning (refused selectors) or "". */
        private String handle(PublishRequest req) throws Refused {
            try {
                switch (req.getEventCase()) {
                    case HELLO -> throw new Refused("protocol", "hello may come only first");
                    case SNAPSHOT_BEGIN -> {
                        String w = snapshot != null ? "a snapshot was begun and not ended; it is discarded" : "";
                        snapshot = new ArrayList<>();
                        if (keepaliveSeconds > 0) {
                            speaker.submit(name, new SaEvent.SnapshotStarted());
                        }
                        return w;
                    }
                    case SNAPSHOT_SA -> {
                        if (snapshot == null) {
                            throw new Refused("protocol", "snapshot_sa outside a snapshot (send snapshot_begin first)");
                        }
                        if (snapshot.size() >= MAX_SNAPSHOT) {
                            throw new Refused("too-many", "a snapshot lists at most " + MAX_SNAPSHOT + " SAs");
                        }
                        PublishedSas.Converted c = convert(req.getSnapshotSa());
                        snapshot.add(c.sa());
                        return c.warnings();
                    }
                    case SNAPSHOT_END -> {
                        if (snapshot == null) {
                            throw new Refused("protocol", "snapshot_end without snapshot_begin");
                        }
                        List<ChildSa> sas = snapshot;
                        snapshot = null;
                        speaker.submit(name, new SaEvent.Snapshot(sas));
                        log.info("publisher {}: snapshot of {} SAs", name, sas.size());
                        return "";
                    }
                    case UP -> {
                        PublishedSas.Converted c = convert(req.getUp());
                        speaker.submit(name, new SaEvent.ChildUp(c.sa()));
                        return c.warnings();
                    }
                    case DOWN -> {
                        speaker.submit(name, new SaEvent.ChildDown(PublishedSas.down(name, req.getDown())));
                        return "";
                    }
                    case REKEY -> {
                        PublishedSas.Converted c = convert(req.getRekey().getSa());
                        ChildSa old = PublishedSas.idOnly(name, c.sa().connection(), req.getRekey().getOldChildId());
                        speaker.submit(name, new SaEvent.ChildRekeyed(old, c.sa()));
                        return c.warnings();
                    }
                    case IKE_DOWN -> {
                        speaker.submit(name, new SaEvent.IkeDown(PublishedSas.connection(req.getIkeDown().getConnection()),
                                req.getIkeDown().getIkeId()));
                        return "";
                    }
                    case KEEPALIVE -> {
                        return "";
                    }
                    default -> throw new Refused("protocol", "an empty message (no event set)");
                }
            } catch (PublishedSas.BadSa e) {
                throw new Refused("bad-sa", e.getMessage());
            }
        }

        private PublishedSas.Converted convert(PublishedSa p) throws PublishedSas.BadSa {
            PublishedSas.Converted c = PublishedSas.up(name, p);
            for (TrafficSelectors.Rejected r : c.refusedLocal()) {
                selectorRefused(c.sa(), "local-ts", r);
            }
            for (TrafficSelectors.Rejected r : c.refusedRemote()) {
                selectorRefused(c.sa(), "remote-ts", r);
            }
            return c;
        }

        private void selectorRefused(ChildSa sa, String side, TrafficSelectors.Rejected r) {
            registry.counter(Meters.SELECTORS_REFUSED, "reason", r.why().reason().tag()).increment();
            log.warn("publisher {} selector refused reason={} sa={} {}=\"{}\" detail=\"{}\"", name, r.why().reason().tag(),
                    sa.id(), side, shown(r.raw()), r.why().detail());
        }

        private void reply(PublishReply r) {
            try {
                replies.onNext(r);
            } catch (RuntimeException e) {
                // the stream is gone (cancelled): onError or the cancel handler follows
                log.debug("publisher {}: reply not sent: {}", name, e.toString());
            }
        }

        private void refuseSession(Status status, String reason, String why) {
            count("refused", reason);
            log.warn("publisher session refused ({}): {}", who.caller(), why);
            ended = true;
            try {
                replies.onError(status.withDescription(why).asRuntimeException());
            } catch (RuntimeException e) {
                log.debug("publisher session: {}", e.toString());
            }
        }

        @Override
        public void onError(Throwable t) {
            lost("the publisher's stream broke: " + Status.fromThrowable(t), "broken");
        }

        @Override
        public synchronized void onCompleted() {
            if (ended) {
                return;
            }
            if (snapshot != null) {
                log.warn("publisher {}: stream ended inside a snapshot of {} SAs; the snapshot is discarded", name,
                        snapshot.size());
            }
            lost("the publisher ended its stream", "completed");
            try {
                replies.onCompleted();
            } catch (RuntimeException e) {
                log.debug("publisher {}: {}", name, e.toString());
            }
        }

        /** The session is over; a live one's end tells the core its source is lost. */
        private synchronized void lost(String reason, String end) {
            if (ended) {
                return;
            }
            ended = true;
            snapshot = null;
            if (name != null && keepaliveSeconds > 0 && live.remove(name, this)) {
                registry.counter(Meters.PUBLISH_SESSIONS_ENDED, "end", end).increment();
                log.warn("publisher {}: {}", name, reason);
                speaker.submit(name, new SaEvent.SourceLost(reason, true));
            }
        }

        synchronized void expireIfSilent(long now) {
            if (ended || keepaliveSeconds == 0) {
                return;
            }
            long limit = MISSED_KEEPALIVES * (long) keepaliveSeconds * 1_000_000_000L;
            if (now - lastSeen > limit) {
                String why = "no message for " + (MISSED_KEEPALIVES * keepaliveSeconds) + " s (keepalive "
                        + keepaliveSeconds + " s)";
                lost(why, "keepalive-timeout");
                try {
                    replies.onError(Status.DEADLINE_EXCEEDED.withDescription(why).asRuntimeException());
                } catch (RuntimeException e) {
                    log.debug("publisher {}: {}", name, e.toString());
                }
            }
        }

        /** A new live session of the same name took over: this one ends without a loss. */
        synchronized void replaced() {
            if (ended) {
                return;
            }
            ended = true;
            registry.counter(Meters.PUBLISH_SESSIONS_ENDED, "end", "replaced").increment();
            log.info("publisher {}: a new session replaces this one", name);
            try {
                replies.onError(Status.ABORTED.withDescription("replaced by a new session of publisher " + name)
                        .asRuntimeException());
            } catch (RuntimeException e) {
                log.debug("publisher {}: {}", name, e.toString());
            }
        }
    }

    /** A message refused: {@code reason} is the counter tag. */
    private static final class Refused extends Exception {
        final String reason;

        Refused(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    private static String shown(String text) {
        String t = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        StringBuilder b = new StringBuilder();
        t.codePoints().forEach(c -> b.append(Character.isISOControl(c) ? '?' : (char) c));
        return b.toString();
    }
}
