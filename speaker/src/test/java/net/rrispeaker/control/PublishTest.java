package net.rrispeaker.control;

import static net.rrispeaker.control.InProcessSpeaker.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.control.api.CryptoRoute;
import net.rrispeaker.control.api.Keepalive;
import net.rrispeaker.control.api.PublishHello;
import net.rrispeaker.control.api.PublishReply;
import net.rrispeaker.control.api.PublishRequest;
import net.rrispeaker.control.api.PublishedIkeDown;
import net.rrispeaker.control.api.PublishedRekey;
import net.rrispeaker.control.api.PublishedSa;
import net.rrispeaker.control.api.RriControlGrpc;
import net.rrispeaker.control.api.SaEntry;
import net.rrispeaker.control.api.ShowCryptoRouteRequest;
import net.rrispeaker.control.api.ShowSaRequest;
import net.rrispeaker.control.api.SnapshotBegin;
import net.rrispeaker.control.api.SnapshotEnd;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generic event source: publishers on the control API's Publish stream, in-process against a
 * real core. Their SAs make the same routes as the same SAs from VICI, live apart from VICI's and
 * from each other's, pass the same checks and the prefix guard; only configured callers publish;
 * a live publisher that goes away is held, then kept or withdrawn.
 */
class PublishTest {
    private static final String PUBLISHERS = """
            rri control-api publisher uid 990
            rri control-api publisher uid 1000 name hook
            """;

    @TempDir
    Path dir;
    private final List<InProcessSpeaker> speakers = new ArrayList<>();

    @AfterEach
    void stop() {
        speakers.forEach(InProcessSpeaker::close);
    }

    private InProcessSpeaker start(String config) throws Exception {
        Path d = Files.createDirectory(dir.resolve("s" + speakers.size()));
        InProcessSpeaker s = new InProcessSpeaker(d, config);
        speakers.add(s);
        return s;
    }

    /** A publisher's view of one stream: what it sent, what came back, how it ended. */
    static final class Stream {
        final List<PublishReply> replies = new ArrayList<>();
        final CompletableFuture<Status> end = new CompletableFuture<>();
        final StreamObserver<PublishRequest> out;
        private final InProcessSpeaker speaker;

        Stream(InProcessSpeaker speaker) {
            this.speaker = speaker;
            out = RriControlGrpc.newStub(speaker.channel()).publish(new StreamObserver<>() {
                @Override
                public void onNext(PublishReply r) {
                    synchronized (replies) {
                        replies.add(r);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    end.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    end.complete(Status.OK);
                }
            });
        }

        Stream send(PublishRequest... msgs) throws Exception {
            for (PublishRequest m : msgs) {
                out.onNext(m);
            }
            speaker.settle();
            return this;
        }

        /** Ends the stream and waits for the speaker's end of it. */
        Status close() throws Exception {
            out.onCompleted();
            Status s = end.get(5, TimeUnit.SECONDS);
            speaker.settle();
            return s;
        }

        PublishReply reply(int seq) {
            synchronized (replies) {
                return replies.stream().filter(r -> r.getSeq() == seq).findFirst().orElseThrow(
                        () -> new AssertionError("no reply " + seq + " in " + replies));
            }
        }
    }

    private static PublishRequest hello(String name, int keepalive) {
        return PublishRequest.newBuilder().setHello(PublishHello.newBuilder().setPublisher(name)
                .setKeepaliveSeconds(keepalive)).build();
    }

    /** The message that gives {@code sa} (what a publisher would send for it). */
    static PublishedSa published(ChildSa sa) {
        PublishedSa.Builder b = PublishedSa.newBuilder().setConnection(sa.connection()).setIkeId(sa.ikeId())
                .setChild(sa.child()).setChildId(sa.childId()).setReqid(sa.reqid())
                .setLocalHost(Addresses.format(sa.localHost())).setRemoteHost(Addresses.format(sa.remoteHost()))
                .setRemoteId(sa.remoteId());
        sa.localTs().forEach(p -> b.addLocalTs(p.toString()));
        sa.remoteTs().forEach(p -> b.addRemoteTs(p.toString()));
        return b.build();
    }

    private static PublishRequest up(ChildSa sa) {
        return PublishRequest.newBuilder().setUp(published(sa)).build();
    }

    private static PublishRequest down(ChildSa sa) {
        return PublishRequest.newBuilder().setDown(published(sa)).build();
    }

    private static PublishRequest[] snapshot(ChildSa... sas) {
        List<PublishRequest> m = new ArrayList<>();
        m.add(PublishRequest.newBuilder().setSnapshotBegin(SnapshotBegin.getDefaultInstance()).build());
        for (ChildSa sa : sas) {
            m.add(PublishRequest.newBuilder().setSnapshotSa(published(sa)).build());
        }
        m.add(PublishRequest.newBuilder().setSnapshotEnd(SnapshotEnd.getDefaultInstance()).build());
        return m.toArray(PublishRequest[]::new);
    }

    private static List<String> routes(InProcessSpeaker s) {
        return RriControlGrpc.newBlockingStub(s.channel()).showCryptoRoute(ShowCryptoRouteRequest.getDefaultInstance())
                .getRoutesList().stream().map(PublishTest::describe).toList();
    }

    private static String describe(CryptoRoute r) {
        return (r.getVrf().isEmpty() ? "-" : r.getVrf()) + " " + r.getPrefix() + " via "
                + (r.getNextHop().isEmpty() ? r.getInterface() : r.getNextHop()) + " [" + r.getDistance() + "/"
                + r.getTag() + "] " + r.getKind() + " (" + r.getOrigin() + ")" + (r.getWithdrawing() ? " withdrawing" : "");
    }

    private static List<SaEntry> sas(InProcessSpeaker s) {
        return RriControlGrpc.newBlockingStub(s.channel()).showSa(ShowSaRequest.getDefaultInstance()).getSasList();
    }

    private static double count(InProcessSpeaker s, String meter, String... tags) {
        return s.registry().find(meter).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static final ChildSa SPOKE = sa("spokes", 2, "192.0.2.2", "10.81.2.0/29", "fd00:81:2::/64");
    private static final ChildSa RED = sa("red-1", 3, "198.51.100.3", "10.50.0.0/24");
    private static final ChildSa BRANCH = sa("branch-7", 4, "198.51.100.7", "10.5.0.0/16");

    @Test
    void aPublishersSnapshotAndEventsGiveTheSameRoutesAsTheSameSasFromVici() throws Exception {
        InProcessSpeaker vici = start(InProcessSpeaker.CONFIG);
        InProcessSpeaker pub = start(InProcessSpeaker.CONFIG + PUBLISHERS);

        vici.submit(new SaEvent.Snapshot(List.of(SPOKE, RED, BRANCH)));
        Stream s = new Stream(pub).send(hello("orchestrator", 0)).send(snapshot(SPOKE, RED, BRANCH));
        assertEquals(6, s.replies.size(), s.replies.toString());
        assertTrue(s.replies.stream().allMatch(r -> r.getAccepted() && r.getError().isEmpty()), s.replies.toString());
        assertEquals(routes(vici), routes(pub));
        assertEquals(5, routes(pub).size(), "two spoke routes, red, the VTI and the manual static");

        ChildSa rekeyed = sa("spokes", 5, "192.0.2.2", "10.81.2.0/29", "fd00:81:2::/64");
        vici.submit(new SaEvent.ChildRekeyed(SPOKE, rekeyed));
        vici.submit(new SaEvent.ChildDown(RED));
        vici.submit(new SaEvent.IkeDown("branch-7", 1));
        s.send(PublishRequest.newBuilder().setRekey(PublishedRekey.newBuilder().setOldChildId(2).setSa(published(rekeyed)))
                        .build(), down(RED),
                PublishRequest.newBuilder().setIkeDown(PublishedIkeDown.newBuilder().setConnection("branch-7").setIkeId(1))
                        .build());
        assertEquals(Status.OK, s.close());
        assertEquals(routes(vici), routes(pub));
        assertEquals(List.of("- 10.9.0.0/16 via Null0 [250/9] M (ip route (line 20))",
                "- 10.81.2.0/29 via 192.0.2.2 [20/5] RRI (dynamic-map DYN 10)",
                "- fd00:81:2::/64 via 192.0.2.2 [20/5] RRI (dynamic-map DYN 10)"), routes(pub));
        SaEntry e = sas(pub).get(0);
        assertEquals("orchestrator", e.getSource());
        assertEquals(5, e.getChildId());
    }

    @Test
    void sasAreNamespacedBySourceOneSourcesSnapshotNeverRemovesAnothersSas() throws Exception {
        InProcessSpeaker s = start(InProcessSpeaker.CONFIG + PUBLISHERS);
        s.submit(new SaEvent.ChildUp(SPOKE));
        // the same connection name and child id from a publisher: another SA, not a replacement
        ChildSa other = sa("spokes", 2, "192.0.2.9", "10.81.9.0/29");
        new Stream(s).send(hello("orchestrator", 0)).send(snapshot(other)).close();
        new Stream(s).send(hello("hook", 0), up(sa("spokes", 2, "192.0.2.10", "10.81.10.0/29"))).close();
        assertEquals(List.of("vici 10.81.2.0/29", "orchestrator 10.81.9.0/29", "hook 10.81.10.0/29"),
                sas(s).stream().map(e -> e.getSource() + " " + e.getRemoteTs(0)).toList());

        s.submit(new SaEvent.Snapshot(List.of())); // charon says: nothing of mine is up
        assertEquals(List.of("orchestrator", "hook"), sas(s).stream().map(SaEntry::getSource).toList());
        new Stream(s).send(hello("orchestrator", 0)).send(snapshot()).close();
        assertEquals(List.of("hook"), sas(s).stream().map(SaEntry::getSource).toList());
        assertTrue(routes(s).contains("- 10.81.10.0/29 via 192.0.2.10 [20/5] RRI (dynamic-map DYN 10)"), routes(s).toString());
    }

    @Test
    void onlyConfiguredCallersMayPublishAndUnderTheirNameAnyOtherIsRefusedAndCounted() throws Exception {
        InProcessSpeaker s = start(InProcessSpeaker.CONFIG + PUBLISHERS);
        s.caller(InProcessSpeaker.peer(1001, 1001));
        Stream stranger = new Stream(s).send(hello("hook", 0), up(SPOKE));
        Status refused = stranger.end.get(5, TimeUnit.SECONDS);
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getCode());
        assertEquals("uid 1001 gid 1001 pid 4242 may not publish SA events to this speaker (allowed: publisher uid 990, "
                + "publisher uid 1000 name hook)", refused.getDescription());
        assertEquals(1, count(s, Meters.CONTROL_DENIED, "access", "publish", "reason", "not-publisher"));

        s.caller(InProcessSpeaker.peer(0, 0)); // root may reload, but is no publisher unless a line says so
        assertEquals(Status.Code.PERMISSION_DENIED, new Stream(s).send(hello("x", 0)).end.get(5, TimeUnit.SECONDS).getCode());

        s.caller(InProcessSpeaker.peer(1000, 1000));
        Stream wrongName = new Stream(s).send(hello("orchestrator", 0), up(SPOKE));
        Status st = wrongName.end.get(5, TimeUnit.SECONDS);
        assertEquals(Status.Code.PERMISSION_DENIED, st.getCode());
        assertTrue(st.getDescription().contains("may not publish as 'orchestrator'"), st.getDescription());
        assertEquals(1, count(s, Meters.CONTROL_DENIED, "access", "publish", "reason", "publisher-name"));
        s.settle();
        s.caller(InProcessSpeaker.peer(InProcessSpeaker.OWNER_UID, 0)); // to read
        assertEquals(List.of(), sas(s), "nothing refused callers sent got in");

        s.caller(InProcessSpeaker.peer(1000, 1000));
        Stream hook = new Stream(s).send(hello("hook", 0), up(SPOKE));
        assertEquals(Status.OK, hook.close());
        s.caller(InProcessSpeaker.peer(InProcessSpeaker.OWNER_UID, 0));
        assertEquals(1, sas(s).size());
    }

    @Test
    void withoutPublisherLinesNobodyPublishesNotEvenTheSpeakersOwnUser() throws Exception {
        InProcessSpeaker s = start(InProcessSpeaker.CONFIG);
        Status st = new Stream(s).send(hello("x", 0)).end.get(5, TimeUnit.SECONDS);
        assertEquals(Status.Code.PERMISSION_DENIED, st.getCode());
        assertTrue(st.getDescription().endsWith("(allowed: nobody; add 'rri control-api publisher uid N' or "
                + "'publisher cn NAME')"), st.getDescription());
    }

    @Test
    void aPublishersSelectorsAreCheckedLikeCharonsAndPassThePrefixGuard() throws Exception {
        InProcessSpeaker s = start(InProcessSpeaker.CONFIG + PUBLISHERS);
        PublishRequest mixed = PublishRequest.newBuilder().setUp(PublishedSa.newBuilder().setConnection("spokes")
                .setChildId(2).setRemoteHost("192.0.2.2").addRemoteTs("10.81.2.0/33").addRemoteTs("10.81.2.0/29")
                .addRemoteTs("127.0.0.0/8")).build();
        PublishRequest noPeer = PublishRequest.newBuilder().setUp(PublishedSa.newBuilder().setConnection("spokes")
                .setChildId(3).setRemoteHost("192.0.2.02").addRemoteTs("10.81.3.0/29")).build();
        PublishRequest control = PublishRequest.newBuilder().setUp(PublishedSa.newBuilder().setConnection("spo\nkes")
                .setChildId(4).setRemoteHost("192.0.2.4").addRemoteTs("10.81.4.0/29")).build();
        Stream st = new Stream(s).send(hello("orchestrator", 0), mixed, noPeer, control, PublishRequest.getDefaultInstance());
        assertEquals(Status.OK, st.close());

        PublishReply r = st.reply(2);
        assertTrue(r.getAccepted());
        assertTrue(r.getError().startsWith("remote_ts '10.81.2.0/33' refused: prefix length 33"), r.getError());
        assertFalse(st.reply(3).getAccepted());
        assertTrue(st.reply(3).getError().startsWith("remote_host '192.0.2.02' is not an address"), st.reply(3).getError());
        assertEquals("connection has a control character (U+000A)", st.reply(4).getError());
        assertEquals("an empty message (no event set)", st.reply(5).getError());
        assertEquals(3, count(s, Meters.PUBLISH_MESSAGES, "result", "refused"));

        SaEntry e = sas(s).get(0);
        assertEquals(List.of("10.81.2.0/29", "127.0.0.0/8"), e.getRemoteTsList());
        assertEquals(List.of("10.81.2.0/29 via 192.0.2.2"), e.getRoutesList(), "the guard refused the loopback range");
        assertEquals(1, e.getRefusedCount());
        assertTrue(e.getRefused(0).startsWith("127.0.0.0/8"), e.getRefused(0));
    }

    @Test
    void aMessageBeforeTheHelloEndsTheSession() throws Exception {
        InProcessSpeaker s = start(InProcessSpeaker.CONFIG + PUBLISHERS);
        Status st = new Stream(s).send(up(SPOKE)).end.get(5, TimeUnit.SECONDS);
        assertEquals(Status.Code.FAILED_PRECONDITION, st.getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, new Stream(s).send(hello("vici", 0)).end.get(5, TimeUnit.SECONDS).getCode(),
                "the VICI source's name is not for publishers");
        assertEquals(List.of(), sas(s));
    }

    private static final String WITHDRAW = "rri source-hold-time 0\nrri source-failure withdraw\n";

    @Test
    void aLiveSessionThatEndsIsALostSourceItsSasGoUnderSourceFailureWithdraw() throws Exception {
        InProcessSpeaker s = start(WITHDRAW + InProcessSpeaker.CONFIG + PUBLISHERS);
        s.submit(new SaEvent.ChildUp(RED));
        Stream live = new Stream(s).send(hello("orchestrator", 30)).send(snapshot(SPOKE));
        assertEquals(0, live.reply(1).getHoldSeconds());
        assertFalse(live.reply(1).getKeepOnFailure());
        assertEquals(2, sas(s).size());
        live.close();
        s.settle();
        assertEquals(List.of("vici"), sas(s).stream().map(SaEntry::getSource).toList(), "VICI's SA is not touched");
    }

    @Test
    void aOneShotSessionThatEndsWithdrawsNothing() throws Exception {
        InProcessSpeaker s = start(WITHDRAW + InProcessSpeaker.CONFIG + PUBLISHERS);
        new Stream(s).send(hello("hook", 0), up(SPOKE)).close();
        s.settle();
        assertEquals(1, sas(s).size());
    }

    @Test
    void aLivePublisherThatStopsSendingKeepalivesIsEndedAndItsSasHeldThenWithdrawn() throws Exception {
        InProcessSpeaker s = start(WITHDRAW + InProcessSpeaker.CONFIG + PUBLISHERS);
        Stream live = new Stream(s).send(hello("orchestrator", 5)).send(snapshot(SPOKE));
        s.publisherSecondsPass(10);
        live.send(PublishRequest.newBuilder().setKeepalive(Keepalive.getDefaultInstance()).build());
        s.publisherSecondsPass(14);
        assertFalse(live.end.isDone(), "a keepalive came 14 s ago: within 3 x 5 s");
        assertEquals(1, sas(s).size());
        s.publisherSecondsPass(2);
        Status end = live.end.get(5, TimeUnit.SECONDS);
        assertEquals(Status.Code.DEADLINE_EXCEEDED, end.getCode());
        assertEquals("no message for 15 s (keepalive 5 s)", end.getDescription());
        s.settle();
        assertEquals(List.of(), sas(s));
        assertEquals(1, count(s, Meters.PUBLISH_SESSIONS_ENDED, "end", "keepalive-timeout"));
    }

    @Test
    void underSourceFailureKeepALostPublishersSasStay() throws Exception {
        InProcessSpeaker s = start("rri source-hold-time 0\n" + InProcessSpeaker.CONFIG + PUBLISHERS);
        Stream live = new Stream(s).send(hello("orchestrator", 30)).send(snapshot(SPOKE));
        assertTrue(live.reply(1).getKeepOnFailure());
        live.out.onError(Status.UNAVAILABLE.asRuntimeException()); // the publisher's connection breaks
        assertNotNull(live.end.get(5, TimeUnit.SECONDS));
        s.settle();
        assertEquals(1, sas(s).size());
        assertEquals(1, count(s, Meters.PUBLISH_SESSIONS_ENDED, "end", "broken"));
    }
}
