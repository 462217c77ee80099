package net.rrispeaker.source.vici;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.SaEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VICI connection's conversation. On connect it registers for the broadcast events, then runs
 * a streamed {@code list-sas} (register {@code list-sa}, request, collect events until the
 * response, unregister) and delivers the result as one snapshot. While the records arrive, every
 * {@link #PART_SIZE} SAs read go ahead as a {@link SaEvent.SnapshotPart}, so the core admits them
 * while the rest is still being read; the snapshot at the end still lists every SA, and only it
 * removes what is gone.
 *
 * <p>Commands go out strictly one at a time: VICI has no request ids, so the next is sent only
 * after the reply to the previous one. Events may arrive at any point, also between a request and
 * its reply; every broadcast event that arrives before the snapshot is delivered is queued and
 * applied after it, so no change falls into the gap. (Replaying an event the snapshot already
 * reflects is harmless: the events are idempotent state changes and arrive in order.)
 *
 * <p>Any protocol surprise (a reply nobody asked for, {@code CMD_UNKNOWN} for {@code list-sas},
 * a framing error, no reply within the timeout) closes the connection; the source reconnects and
 * resyncs. The close reason is delivered as {@code SourceLost}. A bad record does not: an event
 * that cannot be converted, or a segment with intact framing but malformed content
 * ({@link ViciMalformed}), is skipped and counted, and a bad {@code list-sa} record leaves its
 * IKE_SA marked unreadable in the snapshot rather than stopping the snapshot.
 */
final class ViciSession extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ViciSession.class);

    private enum Kind { REGISTER, REGISTER_REQUIRED, LIST_SAS, UNREGISTER }

    /**
     * SAs per {@link SaEvent.SnapshotPart}: the core admits a part while the next ones are read
     * (at 100,000 SAs a part every few tens of milliseconds), and each part costs the core one
     * hand-off to the sinks.
     */
    static final int PART_SIZE = 1_000;

    private record Step(Kind kind, ViciPacket packet) {
    }

    private final ViciDelivery delivery;
    private final Runnable onSnapshot;
    private final long replyTimeoutMillis;
    private final Deque<Step> steps = new ArrayDeque<>();
    private final List<ViciPacket> queued = new ArrayList<>();
    private final List<ChildSa> snapshot = new ArrayList<>();
    /** How many of {@link #snapshot} went to the core as {@link SaEvent.SnapshotPart}s already. */
    private int partsDelivered;
    private final List<SaEvent.UnreadableIkeSa> unreadable = new ArrayList<>();
    private Step current;
    private boolean snapshotDone;
    private ScheduledFuture<?> timeout;
    private String closeReason = "connection closed by charon";
    /** True once this side closed the connection because the conversation failed (charon was there). */
    private boolean closedByUs;

    ViciSession(ViciDelivery delivery, Runnable onSnapshot, long replyTimeoutMillis) {
        this.delivery = delivery;
        this.onSnapshot = onSnapshot;
        this.replyTimeoutMillis = replyTimeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        delivery.connected();
        log.info("vici connected channel={}", ctx.channel());
        for (String event : ViciEvents.SUBSCRIBED) {
            steps.add(new Step(Kind.REGISTER, ViciPacket.register(event)));
        }
        steps.add(new Step(Kind.REGISTER_REQUIRED, ViciPacket.register(ViciEvents.LIST_SA)));
        // no "noblock": it would skip busy IKE_SAs, and a snapshot missing them withdraws their routes
        steps.add(new Step(Kind.LIST_SAS, ViciPacket.request("list-sas", ViciMessage.EMPTY)));
        steps.add(new Step(Kind.UNREGISTER, ViciPacket.unregister(ViciEvents.LIST_SA)));
        delivery.snapshotStarted();
        sendNext(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ViciMalformed m) {
            if (ctx.channel().isOpen()) {
                onMalformed(ctx, m);
            }
            return;
        }
        if (!(msg instanceof ViciPacket p)) {
            ReferenceCountUtil.release(msg);
            fail(ctx, "protocol", "unexpected object " + msg.getClass().getSimpleName());
            return;
        }
        if (!ctx.channel().isOpen()) {
            return;   // closing after an error; ignore what was already decoded
        }
        switch (p.type()) {
            case EVENT -> onEvent(ctx, p);
            case EVENT_CONFIRM, EVENT_UNKNOWN -> onEventReply(ctx, p);
            case CMD_RESPONSE, CMD_UNKNOWN -> onCommandReply(ctx, p);
            default -> fail(ctx, "protocol", "daemon sent " + p.type() + " (expected: a reply or an event)");
        }
    }

    /**
     * A segment whose content was malformed but whose framing held: it is skipped and counted, and
     * the conversation goes on. A malformed {@code list-sa} during {@code list-sas} (or an event
     * whose very name was unreadable, which may have been one) marks the IKE_SAs it was about as
     * unreadable, as far as the partial message tells, so the snapshot keeps their known state. A
     * malformed reply still counts as that reply (its content is not used).
     */
    private void onMalformed(ChannelHandlerContext ctx, ViciMalformed m) {
        delivery.malformed(m);
        switch (m.type()) {
            case EVENT -> {
                boolean listing = current != null && current.kind() == Kind.LIST_SAS;
                if (listing && (m.name() == null || ViciEvents.LIST_SA.equals(m.name()))) {
                    unreadable.addAll(ViciEvents.unreadableFrom(m.partial()));
                    armTimeout(ctx);
                }
            }
            case EVENT_CONFIRM, EVENT_UNKNOWN, CMD_UNKNOWN -> channelRead(ctx, ViciPacket.of(m.type()));
            case CMD_RESPONSE -> channelRead(ctx, ViciPacket.response(ViciMessage.EMPTY));
            default -> fail(ctx, "protocol", "daemon sent " + m.type() + " (expected: a reply or an event)");
        }
    }

    private void onEvent(ChannelHandlerContext ctx, ViciPacket p) {
        if (ViciEvents.LIST_SA.equals(p.name())) {
            if (current != null && current.kind() == Kind.LIST_SAS) {
                ViciEvents.ListSa l = delivery.listSa(p);
                snapshot.addAll(l.installed());
                if (snapshot.size() - partsDelivered >= PART_SIZE) {
                    deliverPart();
                }
                unreadable.addAll(l.unreadable());
                armTimeout(ctx);   // progress: a large list-sas may take a while
            } else {
                log.debug("vici list-sa outside list-sas ignored");
            }
        } else if (snapshotDone) {
            delivery.event(p);
        } else {
            queued.add(p);
        }
    }

    private void onEventReply(ChannelHandlerContext ctx, ViciPacket p) {
        if (current == null || current.kind() == Kind.LIST_SAS) {
            fail(ctx, "protocol", p.type() + " while " + pending() + " (expected: CMD_RESPONSE)");
            return;
        }
        String event = current.packet().name();
        if (p.type() == ViciPacketType.EVENT_UNKNOWN) {
            if (current.kind() == Kind.REGISTER_REQUIRED) {
                fail(ctx, "event-unknown", "charon does not know event '" + event + "' needed for list-sas");
                return;
            }
            delivery.error("event-unknown", current.packet().type() + " " + event + ": EVENT_UNKNOWN (expected: EVENT_CONFIRM)");
        } else {
            log.debug("vici {} {} confirmed", current.packet().type(), event);
        }
        sendNext(ctx);
    }

    private void onCommandReply(ChannelHandlerContext ctx, ViciPacket p) {
        if (current == null || current.kind() != Kind.LIST_SAS) {
            fail(ctx, "protocol", p.type() + " while " + pending() + " (expected: EVENT_CONFIRM or EVENT_UNKNOWN)");
            return;
        }
        if (p.type() == ViciPacketType.CMD_UNKNOWN) {
            fail(ctx, "command-unknown", "charon does not know command 'list-sas'");
            return;
        }
        snapshotDone = true;
        deliverPart();
        log.info("vici snapshot sas={} unreadable_ike_sas={} queued_events={}", snapshot.size(), unreadable.size(),
                queued.size());
        delivery.snapshot(snapshot, unreadable);
        snapshot.clear();
        partsDelivered = 0;
        unreadable.clear();
        for (ViciPacket q : queued) {
            delivery.event(q);
        }
        queued.clear();
        onSnapshot.run();
        sendNext(ctx);
    }

    /** Hands the core the SAs read since the last part, so that it works while the rest arrives. */
    private void deliverPart() {
        if (snapshot.size() > partsDelivered) {
            delivery.snapshotPart(snapshot.subList(partsDelivered, snapshot.size()));
            partsDelivered = snapshot.size();
        }
    }

    private void sendNext(ChannelHandlerContext ctx) {
        cancelTimeout();
        current = steps.poll();
        if (current != null) {
            ctx.writeAndFlush(current.packet()).addListener(f -> {
                if (!f.isSuccess()) {
                    fail(ctx, "io", "write " + current + ": " + f.cause());
                }
            });
            armTimeout(ctx);
        }
    }

    private void armTimeout(ChannelHandlerContext ctx) {
        cancelTimeout();
        Step waitingFor = current;
        timeout = ctx.executor().schedule(() -> {
            if (current == waitingFor) {
                fail(ctx, "timeout", "no reply to " + waitingFor.packet().type() + " " + waitingFor.packet().name()
                        + " within " + replyTimeoutMillis + " ms");
            }
        }, replyTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private String pending() {
        return current == null ? "no command pending" : "waiting for the reply to " + current.packet().type() + " "
                + current.packet().name();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ViciCodecException) {
            fail(ctx, "codec", "codec error: " + cause.getMessage());
        } else if (cause.getCause() instanceof ViciCodecException c) {
            fail(ctx, "codec", "codec error: " + c.getMessage());
        } else {
            fail(ctx, "io", cause.toString());
        }
    }

    private void fail(ChannelHandlerContext ctx, String reason, String message) {
        if (!ctx.channel().isOpen()) {
            return;
        }
        closeReason = message;
        closedByUs = true;
        delivery.error(reason, message);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        steps.clear();
        current = null;
        if (delivery.stopped()) {
            log.info("vici connection closed channel={} reason=source closed", ctx.channel());
            ctx.fireChannelInactive();
            return;
        }
        log.info("vici connection lost channel={} reason={}", ctx.channel(), closeReason);
        delivery.lost(closeReason, closedByUs);
        ctx.fireChannelInactive();
    }
}
