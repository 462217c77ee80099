package net.rrispeaker.core;

import static net.rrispeaker.core.SpeakerTest.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A first snapshot that arrives in parts, on a virtual clock: the core admits each part as it
 * comes and hands its paths to the sinks to preload (announce where nothing of ours is held), but
 * nothing is withdrawn or resynced before the snapshot is complete; then the complete set goes out
 * once, and a prefix two peers contend for goes to the older SA, as if the snapshot had come at once.
 */
class SpeakerSnapshotPartsTest {
    private static final String CONFIG = """
            rri withdraw-delay 0
            rri source-hold-time 10
            rri bgp next-hop route
            crypto dynamic-map DYN 10
             match ipsec-connection *
             reverse-route
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            router bgp 65000
             redistribute static
            """;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SpeakerTest.RecordingSink sink = new SpeakerTest.RecordingSink();
    private final ManualLoop loop = new ManualLoop();
    private Speaker speaker;

    private void start(String config) throws Exception {
        speaker = new Speaker(ConfigParser.parse("rri.conf", config), registry, List.of(sink),
                cfg -> cfg.crypto().vrfs(), loop, loop::nanoTime);
        loop.runReady();
    }

    private void submit(SaEvent e) {
        speaker.submit(e);
        loop.runReady();
    }

    private static BgpPath.Key key(String prefix) {
        return new BgpPath.Key("", Prefix.parse(prefix));
    }

    private <T> T read(java.util.function.Function<Speaker.View, T> r) throws Exception {
        var f = speaker.read(r);
        loop.runReady();
        return f.get(1, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        if (speaker != null) {
            speaker.close();
        }
    }

    @Test
    void partsArePreloadedAsTheyArriveAndOnlyTheCompleteSnapshotIsHandedOverAsTheDesiredSet() throws Exception {
        start(CONFIG);
        ChildSa a = sa("spokes", 2, "192.0.2.2", "10.81.2.0/29");
        ChildSa b = sa("spokes", 3, "192.0.2.3", "10.81.3.0/29");
        submit(new SaEvent.SnapshotStarted());
        submit(new SaEvent.SnapshotPart(List.of(a)));
        assertEquals(Set.of(key("10.81.2.0/29")), sink.preloaded.keySet(), "the first part, before the rest arrives");
        assertEquals(0, sink.count(), "no desired set and no change before the snapshot is complete");
        submit(new SaEvent.SnapshotPart(List.of(b)));
        assertEquals(Set.of(key("10.81.2.0/29"), key("10.81.3.0/29")), sink.preloaded.keySet());
        assertEquals(2, sink.preloads, "one hand-off per part");
        assertEquals(0, sink.count());

        submit(new SaEvent.Snapshot(List.of(a, b)));
        assertEquals(List.of(new SpeakerTest.RecordingSink.Call(true, 2, List.of())), sink.received(),
                "then the complete set, once");
        assertEquals(sink.preloaded, sink.last());
    }

    /**
     * The core is usually behind the source at start: parts queued behind each other are still
     * handed to the sinks one by one, not in one go once the last is in.
     */
    @Test
    void partsQueuedBehindEachOtherArePreloadedOneByOne() throws Exception {
        start(CONFIG);
        submit(new SaEvent.SnapshotStarted());
        speaker.submit(new SaEvent.SnapshotPart(List.of(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29"))));
        speaker.submit(new SaEvent.SnapshotPart(List.of(sa("spokes", 3, "192.0.2.3", "10.81.3.0/29"))));
        speaker.submit(new SaEvent.SnapshotPart(List.of(sa("spokes", 4, "192.0.2.4", "10.81.4.0/29"))));
        loop.runReady();
        assertEquals(3, sink.preloads);
        assertEquals(3, sink.preloaded.size());
    }

    /**
     * An SA listed in a part but gone from the snapshot's end (charon deleted it meanwhile; its
     * down event is queued behind the snapshot) is not in the complete set: what a part preloaded
     * is still decided by the snapshot, so a stale path never survives its end.
     */
    @Test
    void anSaInAPartButNotInTheCompleteSnapshotIsNotInTheDesiredSet() throws Exception {
        start(CONFIG);
        ChildSa a = sa("spokes", 2, "192.0.2.2", "10.81.2.0/29");
        ChildSa gone = sa("spokes", 3, "192.0.2.3", "10.81.3.0/29");
        submit(new SaEvent.SnapshotStarted());
        submit(new SaEvent.SnapshotPart(List.of(a, gone)));
        assertEquals(2, sink.preloaded.size());
        submit(new SaEvent.Snapshot(List.of(a)));
        assertEquals(Set.of(key("10.81.2.0/29")), sink.last().keySet());
        assertEquals(List.of(a), read(Speaker.View::sas));
    }

    /**
     * Two peers claim one prefix. After a restart the older SA's claim holds it, whatever order the
     * parts came in: the younger one, which arrived first, was preloaded, but the complete set the
     * sinks get has the older peer's path, and the younger waits.
     */
    @Test
    void aContendedPrefixGoesToTheOlderSaEvenWhenTheYoungerArrivedInAnEarlierPart() throws Exception {
        start(CONFIG);
        ChildSa younger = sa("branch-2", 7, 7, "192.0.2.3", "10.50.0.0/24");
        ChildSa older = sa("branch-1", 2, 2, "192.0.2.9", "10.50.0.0/24");
        submit(new SaEvent.SnapshotStarted());
        submit(new SaEvent.SnapshotPart(List.of(younger)));
        assertEquals(Addresses.parse("192.0.2.3"), sink.preloaded.get(key("10.50.0.0/24")).nextHop(),
                "while the snapshot arrives, the only claim known holds");
        submit(new SaEvent.SnapshotPart(List.of(older)));
        submit(new SaEvent.Snapshot(List.of(younger, older)));

        assertEquals(Addresses.parse("192.0.2.9"), sink.last().get(key("10.50.0.0/24")).nextHop(),
                "the older SA's claim, as after a snapshot in one piece");
        assertEquals(1, sink.count());
        List<String> refused = read(v -> v.refusalsOf(younger).stream().map(r -> r.summary()).toList());
        assertEquals(List.of("10.50.0.0/24 conflict (held by peer 192.0.2.9, which claimed it first; announced when "
                + "that claim goes)"), refused);
        assertEquals(List.of(), read(v -> v.refusalsOf(older)));

        // and the younger takes over when the older goes, as always
        submit(new SaEvent.ChildDown(older));
        assertEquals(Addresses.parse("192.0.2.3"), sink.last().get(key("10.50.0.0/24")).nextHop());
    }

    /** Without contention, the parts' order decides nothing: the same set as the snapshot in one piece. */
    @Test
    void theSameCompleteSetAsASnapshotInOnePiece() throws Exception {
        List<ChildSa> all = List.of(sa("spokes", 9, 9, "192.0.2.9", "10.81.9.0/29"),
                sa("spokes", 4, 4, "192.0.2.4", "10.81.4.0/29", "fd00:81:4::/64"),
                sa("spokes", 6, 6, "192.0.2.6", "10.81.6.0/29"));
        start(CONFIG);
        submit(new SaEvent.SnapshotStarted());
        submit(new SaEvent.Snapshot(all));
        Map<BgpPath.Key, BgpPath> whole = sink.last();
        speaker.close();

        SpeakerTest.RecordingSink parts = new SpeakerTest.RecordingSink();
        ManualLoop loop2 = new ManualLoop();
        speaker = new Speaker(ConfigParser.parse("rri.conf", CONFIG), registry, List.of(parts),
                cfg -> cfg.crypto().vrfs(), loop2, loop2::nanoTime);
        loop2.runReady();
        for (SaEvent e : List.of(new SaEvent.SnapshotStarted(), new SaEvent.SnapshotPart(all.subList(0, 1)),
                new SaEvent.SnapshotPart(all.subList(1, 3)), new SaEvent.Snapshot(all))) {
            speaker.submit(e);
            loop2.runReady();
        }
        assertEquals(whole, parts.last());
        assertEquals(1, parts.count());
        assertTrue(whole.size() == 3, "v4 and v6 of three SAs, as configured: " + whole.keySet());
    }

    /**
     * Once in sync, a new snapshot (charon reconnected) is decided in one step, as before: its parts
     * change nothing until it is complete, and then only what differs is handed over.
     */
    @Test
    void aResnapshotWhileInSyncIsDecidedWholeAtItsEnd() throws Exception {
        start(CONFIG);
        ChildSa a = sa("spokes", 2, "192.0.2.2", "10.81.2.0/29");
        ChildSa b = sa("spokes", 3, "192.0.2.3", "10.81.3.0/29");
        submit(new SaEvent.SnapshotStarted());
        submit(new SaEvent.Snapshot(List.of(a)));
        int before = sink.count();
        submit(new SaEvent.SourceLost("charon restarted"));
        submit(new SaEvent.SnapshotStarted());
        submit(new SaEvent.SnapshotPart(List.of(b)));
        assertEquals(before, sink.count(), "a part of a resync changes nothing by itself");
        assertEquals(0, sink.preloads, "nothing is preloaded once in sync");
        submit(new SaEvent.Snapshot(List.of(b)));
        assertEquals(Set.of(key("10.81.3.0/29")), sink.last().keySet());
    }
}
