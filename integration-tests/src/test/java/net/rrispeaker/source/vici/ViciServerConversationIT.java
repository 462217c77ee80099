package net.rrispeaker.source.vici;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.SimChildSa;
import net.rrispeaker.lab.SimIkeSa;
import net.rrispeaker.lab.ViciServer;
import net.rrispeaker.lab.ViciWriter;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator on a real unix socket, talking to the speaker's own VICI client
 * ({@link ViciSource}: registrations, streamed {@code list-sas}, event conversion) and to a bare
 * client that checks charon's replies packet by packet. No root needed.
 */
class ViciServerConversationIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> HUB_TS = List.of("10.80.0.0/16");

    @TempDir
    Path dir;
    private ViciServer server;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void startServer() {
        server = ViciServer.start(dir.resolve("charon.vici"));
        server.add(SimIkeSa.of("spokes", 1, "198.51.100.10",
                SimChildSa.of("spoke-lan", 11, HUB_TS, List.of("10.81.1.0/24", "fd00:81:1::/64"))));
        server.add(SimIkeSa.of("spokes", 2, "198.51.100.20", SimChildSa.of("spoke-lan", 21, HUB_TS, List.of("10.81.2.0/24"))));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        server.close();
    }

    @Test
    void speakerClientGetsTheSnapshotThenEveryKindOfEvent() {
        Recorder r = source();
        Snapshot first = r.awaitSnapshot(0);
        assertEquals(List.of(11L, 21L), first.childIds(), "snapshot children");
        ChildSa a = first.sas().get(0);
        assertEquals(List.of(Prefix.parse("10.81.1.0/24"), Prefix.parse("fd00:81:1::/64")), a.remoteTs(), "remote-ts of 11");
        assertEquals(ip("198.51.100.10"), a.remoteHost(), "remote-host of 11");

        int mark = r.size();
        assertEquals(1, server.ikeUp(SimIkeSa.of("spokes", 3, "198.51.100.30",
                SimChildSa.of("spoke-lan", 31, HUB_TS, List.of("10.81.3.0/24")))), "clients reached");
        SaEvent.ChildUp up = r.await(SaEvent.ChildUp.class, mark, e -> true);
        assertEquals(31, up.sa().childId());
        assertEquals(List.of(Prefix.parse("10.81.3.0/24")), up.sa().remoteTs());

        server.childRekey(3, 31, 32);
        SaEvent.ChildRekeyed rekeyed = r.await(SaEvent.ChildRekeyed.class, mark, e -> true);
        assertEquals(31, rekeyed.old().childId());
        assertEquals(32, rekeyed.replacement().childId());
        assertEquals(rekeyed.old().reqid(), rekeyed.replacement().reqid(), "reqid kept across the rekey");

        server.ikeRekey(3, 4);
        assertEquals(new SaEvent.IkeRekeyed("spokes", 3, 4), r.await(SaEvent.IkeRekeyed.class, mark, e -> true));

        server.ikeUpdate(4, "198.51.100.99", 4500);
        assertEquals(new SaEvent.IkeAddressChanged("spokes", 4, ip("198.51.100.99")),
                r.await(SaEvent.IkeAddressChanged.class, mark, e -> true));

        server.childDown(1, 11);
        r.await(SaEvent.ChildDown.class, mark, e -> e.sa().childId() == 11);

        server.ikeDown(4);
        assertEquals(new SaEvent.IkeDown("spokes", 4), r.await(SaEvent.IkeDown.class, mark, e -> true));
        SaEvent.ChildDown down = r.await(SaEvent.ChildDown.class, mark, e -> e.sa().childId() == 32);
        assertEquals(ip("198.51.100.99"), down.sa().remoteHost(), "the moved peer's address");

        // a new connection lists what is left: only IKE_SA 2's child (IKE_SA 1 has no child any more)
        server.dropConnections();
        r.await(SaEvent.SourceLost.class, mark, e -> true);
        assertEquals(List.of(21L), r.awaitSnapshot(1).childIds(), "snapshot after reconnect");
        assertEquals(2, server.listSasCompleted());
    }

    @Test
    void severalClientsEachGetTheBroadcastsAndTheirOwnSnapshot() {
        Recorder one = source();
        Recorder two = source();
        one.awaitSnapshot(0);
        two.awaitSnapshot(0);
        assertEquals(2, server.connectedClients());
        assertEquals(2, server.registered("child-updown"));
        assertEquals(2, server.listSasCompleted());
        int m1 = one.size();
        int m2 = two.size();
        assertEquals(2, server.ikeUp(SimIkeSa.of("spokes", 5, "198.51.100.50",
                SimChildSa.of("spoke-lan", 51, HUB_TS, List.of("10.81.5.0/24")))));
        one.await(SaEvent.ChildUp.class, m1, e -> e.sa().childId() == 51);
        two.await(SaEvent.ChildUp.class, m2, e -> e.sa().childId() == 51);
    }

    @Test
    void bareClientSeesCharonsRepliesAndAPausedStream() throws IOException {
        try (RawClient c = new RawClient(server.socket())) {
            c.send(ViciWriter.CMD_REQUEST, "version");
            ViciPacket v = c.next();
            assertEquals(ViciPacketType.CMD_RESPONSE, v.type());
            assertEquals("charon", v.message().get("daemon"));
            assertEquals("5.9.8", v.message().get("version"));

            c.send(ViciWriter.EVENT_REGISTER, "alert");
            assertEquals(ViciPacketType.EVENT_UNKNOWN, c.next().type(), "alert is a 6.0.3 event");
            c.send(ViciWriter.CMD_REQUEST, "frobnicate");
            assertEquals(ViciPacketType.CMD_UNKNOWN, c.next().type());

            // not registered for list-sa: the stream is empty, only the response comes
            c.send(ViciWriter.CMD_REQUEST, "list-sas");
            assertEquals(ViciPacketType.CMD_RESPONSE, c.next().type());

            c.send(ViciWriter.EVENT_REGISTER, "list-sa");
            assertEquals(ViciPacketType.EVENT_CONFIRM, c.next().type());
            c.send(ViciWriter.EVENT_REGISTER, "child-updown");
            assertEquals(ViciPacketType.EVENT_CONFIRM, c.next().type());

            server.pauseListing(1);
            c.send(ViciWriter.CMD_REQUEST, "list-sas");
            ViciPacket first = c.next();
            assertEquals("list-sa", first.name());
            assertEquals("1", first.message().get("spokes", "uniqueid"));
            Await.until(WAIT, "list-sas stream paused", () -> server.pausedStreams() == 1);
            // a broadcast while the stream is paused arrives between the records
            assertEquals(1, server.ikeUp(SimIkeSa.of("spokes", 6, "198.51.100.60",
                    SimChildSa.of("spoke-lan", 61, HUB_TS, List.of("10.81.6.0/24")))));
            ViciPacket during = c.next();
            assertEquals("child-updown", during.name());
            assertEquals("yes", during.message().get("up"));
            server.resumeListing();
            ViciPacket second = c.next();
            assertEquals("list-sa", second.name());
            assertEquals("2", second.message().get("spokes", "uniqueid"), "the stream lists the table as it was asked");
            assertEquals(ViciPacketType.CMD_RESPONSE, c.next().type());

            // filter by IKE_SA unique id
            c.send(ViciWriter.CMD_REQUEST, "list-sas", new ViciWriter().kv("ike-id", "6").toBytes());
            ViciPacket only = c.next();
            assertEquals("6", only.message().get("spokes", "uniqueid"));
            assertEquals("10.81.6.0/24", only.message().section("spokes", "child-sas", "spoke-lan-61").list("remote-ts").get(0));
            assertEquals(ViciPacketType.CMD_RESPONSE, c.next().type());
        }
    }

    @Test
    void brokenFramingMakesTheSpeakerClientResyncAndAnUnparsableSegmentIsSkipped() {
        Recorder r = source();
        r.awaitSnapshot(0);
        int mark = r.size();
        assertEquals(1, server.injectRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
        assertTrue(r.await(SaEvent.SourceLost.class, mark, e -> true).reason().contains("frame length"), "lost reason");
        r.awaitSnapshot(1);

        mark = r.size();
        Await.until(WAIT, "speaker registered again", () -> server.registered("child-updown") == 1);
        // intact segment, element stream broken (a LIST_ITEM outside any list): only that segment is
        // skipped; the connection and the events after it go on
        assertEquals(1, server.emit("child-updown", new byte[] {5, 0, 1, 'x'}));
        assertEquals(1, server.ikeUp(SimIkeSa.of("spokes", 9, "198.51.100.90",
                SimChildSa.of("spoke-lan", 91, HUB_TS, List.of("10.81.9.0/24")))));
        r.await(SaEvent.ChildUp.class, mark, e -> e.sa().childId() == 91);
        assertTrue(r.since(mark).stream().noneMatch(e -> e instanceof SaEvent.SourceLost),
                "a malformed segment with intact framing does not cost the connection: " + r.since(mark));

        mark = r.size();
        server.restart();
        r.await(SaEvent.SourceLost.class, mark, e -> true);
        r.awaitSnapshot(2);
    }

    @Test
    void malformedRecordInAnIntactEventIsSkippedAndTheConnectionStays() {
        Recorder r = source();
        r.awaitSnapshot(0);
        int mark = r.size();
        SimChildSa bad = SimChildSa.of("spoke-lan", 71, HUB_TS, List.of("10.81.7.0/24")).withRaw("uniqueid", "seventy-one");
        server.ikeUp(SimIkeSa.of("spokes", 7, "198.51.100.70", bad));
        server.ikeUp(SimIkeSa.of("spokes", 8, "198.51.100.80", SimChildSa.of("spoke-lan", 81, HUB_TS, List.of("10.81.8.0/24"))));
        r.await(SaEvent.ChildUp.class, mark, e -> e.sa().childId() == 81);
        List<SaEvent> since = r.since(mark);
        assertTrue(since.stream().noneMatch(e -> e instanceof SaEvent.SourceLost), "connection kept: " + since);
        assertTrue(since.stream().noneMatch(e -> e instanceof SaEvent.ChildUp u && u.sa().childId() == 71), "bad child: " + since);
    }

    @Test
    void aHundredThousandIkeSasStreamToTheSpeakerClient() {
        List<SimIkeSa> many = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            String host = "198.18." + (i >> 8 & 255) + "." + (i & 255);
            String lan = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + "/32";
            many.add(SimIkeSa.of("spokes", 1000 + i, host, SimChildSa.of("spoke-lan", 1_000_000 + i, HUB_TS, List.of(lan))));
        }
        server.clear();
        server.addAll(many);
        Recorder r = source();
        Snapshot s = r.awaitSnapshot(0, Duration.ofSeconds(180));
        assertEquals(100_000, s.sas().size());
        assertEquals(100_000, server.listSaRecordsSent());
        assertEquals(Prefix.parse("10.1.134.159/32"), s.sas().get(99_999).remoteTs().get(0));
    }

    // ------------------------------------------------------------------ helpers

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private Recorder source() {
        Recorder r = new Recorder();
        ViciSource s = new ViciSource(server.socket().toString(), r, new SimpleMeterRegistry());
        closing.add(s);
        s.start();
        return r;
    }

    record Snapshot(List<ChildSa> sas) {
        List<Long> childIds() {
            return sas.stream().map(ChildSa::childId).sorted().toList();
        }
    }

    /** Every SaEvent the speaker's client delivered, in order. */
    static final class Recorder implements Consumer<SaEvent> {
        private final List<SaEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void accept(SaEvent e) {
            events.add(e);
        }

        int size() {
            return events.size();
        }

        List<SaEvent> since(int mark) {
            List<SaEvent> all = List.copyOf(events);
            return all.subList(Math.min(mark, all.size()), all.size());
        }

        <T extends SaEvent> T await(Class<T> type, int mark, Predicate<T> p) {
            return Await.until(WAIT, type.getSimpleName() + " after event #" + mark + " (got " + since(mark) + ")",
                    () -> since(mark).stream().filter(type::isInstance).map(type::cast).filter(p).findFirst());
        }

        /** The {@code n}th snapshot (0 = first). */
        Snapshot awaitSnapshot(int n) {
            return awaitSnapshot(n, WAIT);
        }

        Snapshot awaitSnapshot(int n, Duration timeout) {
            return Await.until(timeout, "snapshot #" + n, () -> events.stream().filter(e -> e instanceof SaEvent.Snapshot)
                    .skip(n).findFirst().map(e -> new Snapshot(((SaEvent.Snapshot) e).sas())));
        }
    }

    /** A bare VICI client: sends segments, decodes what comes back with the speaker's decoder. */
    static final class RawClient implements AutoCloseable {
        private final SocketChannel ch;
        private final EmbeddedChannel decoder = new EmbeddedChannel(new ViciDecoder());

        RawClient(Path socket) throws IOException {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
        }

        void send(int type, String name) {
            send(type, name, new byte[0]);
        }

        void send(int type, String name, byte[] body) {
            ByteBuffer b = ByteBuffer.wrap(ViciWriter.frame(type, name, body));
            try {
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        ViciPacket next() {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            return Await.until(WAIT, "a packet from the server", () -> {
                ViciPacket p = decoder.readInbound();
                if (p != null) {
                    return java.util.Optional.of(p);
                }
                try {
                    b.clear();
                    int n = ch.read(b);
                    if (n < 0) {
                        throw new IllegalStateException("server closed the connection");
                    }
                    if (n > 0) {
                        b.flip();
                        decoder.writeInbound(Unpooled.copiedBuffer(b));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return java.util.Optional.ofNullable((ViciPacket) decoder.readInbound());
            });
        }

        @Override
        public void close() throws IOException {
            decoder.finishAndReleaseAll();
            ch.close();
        }
    }
}
