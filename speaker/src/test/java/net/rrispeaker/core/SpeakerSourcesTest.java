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
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several event sources at once (VICI and publishers), on a virtual clock: each source's
 * snapshot, loss and hold time concern only its own SAs; a lost publisher's SAs are held, then
 * kept or withdrawn per {@code rri source-failure}; only VICI's first snapshot puts the core in sync.
 */
class SpeakerSourcesTest {
    private static final String CONFIG = """
            rri withdraw-delay 0
            rri source-hold-time 10
            crypto dynamic-map DYN 10
             match ipsec-connection spokes
             reverse-route
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            router bgp 65000
             redistribute static
            """;
    private static final BgpPath.Key VICI_SPOKE = new BgpPath.Key("", Prefix.parse("10.81.2.0/29"));
    private static final BgpPath.Key PUB_SPOKE = new BgpPath.Key("", Prefix.parse("10.81.9.0/29"));
    private static final ChildSa FROM_VICI = sa("spokes", 2, "192.0.2.2", "10.81.2.0/29");
    /** The same connection and ids from a publisher: another SA. */
    private static final ChildSa FROM_PUB = sa("spokes", 2, "192.0.2.9", "10.81.9.0/29").fromSource("orchestrator");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SpeakerTest.RecordingSink sink = new SpeakerTest.RecordingSink();
    private final ManualLoop loop = new ManualLoop();
    private Speaker speaker;

    private void start(String extra) throws Exception {
        speaker = new Speaker(ConfigParser.parse("rri.conf", extra + CONFIG), registry, List.of(sink),
                cfg -> cfg.crypto().vrfs(), loop, loop::nanoTime);
        loop.runReady();
    }

    private void submit(String source, SaEvent e) {
        speaker.submit(source, e);
        loop.runReady();
    }

    private void seconds(long s) {
        loop.advance(s, TimeUnit.SECONDS);
    }

    private double decisions(String source, String decision) {
        var c = registry.find(Meters.SOURCE_HOLD_DECISIONS).tag("source", source).tag("decision", decision).counter();
        return c == null ? 0 : c.count();
    }

    private Set<BgpPath.Key> announced() {
        return sink.last().keySet();
    }

    @AfterEach
    void close() {
        if (speaker != null) {
            speaker.close();
        }
    }

    /** VICI and a publisher both up, both announced. */
    private void bothUp(String extra) throws Exception {
        start(extra);
        submit(ChildSa.VICI, new SaEvent.Snapshot(List.of(FROM_VICI)));
        submit("orchestrator", new SaEvent.Snapshot(List.of(FROM_PUB)));
        assertEquals(Set.of(VICI_SPOKE, PUB_SPOKE), announced());
    }

    @Test
    void aPublishersSnapshotAndViciSnapshotEachReplaceOnlyTheirOwnSas() throws Exception {
        bothUp("");
        submit("orchestrator", new SaEvent.Snapshot(List.of()));
        assertEquals(Set.of(VICI_SPOKE), announced());
        submit("orchestrator", new SaEvent.ChildUp(FROM_PUB));
        submit(ChildSa.VICI, new SaEvent.Snapshot(List.of()));
        assertEquals(Set.of(PUB_SPOKE), announced());
    }

    @Test
    void aLostPublishersSasAreHeldForTheHoldTimeThenWithdrawnUnderSourceFailureWithdraw() throws Exception {
        bothUp("rri source-failure withdraw\n");
        submit("orchestrator", new SaEvent.SourceLost("stream ended", true));
        seconds(9);
        assertEquals(Set.of(VICI_SPOKE, PUB_SPOKE), announced(), "held for the hold time");
        seconds(2);
        assertEquals(Set.of(VICI_SPOKE), announced(), "then withdrawn; VICI's untouched");
        assertEquals(1, decisions("orchestrator", "withdraw"));
        assertEquals(0, decisions(ChildSa.VICI, "withdraw"));
    }

    @Test
    void aLostPublishersSasAreKeptUnderSourceFailureKeep() throws Exception {
        bothUp("");
        submit("orchestrator", new SaEvent.SourceLost("no keepalive", true));
        seconds(60);
        assertEquals(Set.of(VICI_SPOKE, PUB_SPOKE), announced());
        assertEquals(1, decisions("orchestrator", "keep"));
    }

    @Test
    void aPublisherBackWithASnapshotWithinTheHoldTimeKeepsItsRoutesWithoutAGap() throws Exception {
        bothUp("rri source-failure withdraw\n");
        int from = sink.count();
        submit("orchestrator", new SaEvent.SourceLost("stream broke", true));
        seconds(5);
        submit("orchestrator", new SaEvent.Snapshot(List.of(FROM_PUB)));
        seconds(30);
        synchronized (sink) {
            assertTrue(sink.calls.subList(from, sink.calls.size()).stream().allMatch(m -> m.containsKey(PUB_SPOKE)),
                    "never withdrawn");
        }
        assertEquals(0, decisions("orchestrator", "withdraw"));
    }

    @Test
    void losingViciHoldsOnlyViciSas() throws Exception {
        bothUp("");
        submit(ChildSa.VICI, new SaEvent.SourceLost("connection closed by charon"));
        seconds(11);
        assertEquals(Set.of(PUB_SPOKE), announced(), "charon gone: its SAs go, the publisher's stay");
    }

    @Test
    void onlyViciFirstSnapshotPutsTheCoreInSyncAPublishersAloneIsNotTheWholeTruth() throws Exception {
        start("");
        submit("orchestrator", new SaEvent.Snapshot(List.of(FROM_PUB)));
        assertEquals(0, sink.count(), "the sinks keep what they hold until charon has told its truth");
        submit(ChildSa.VICI, new SaEvent.Snapshot(List.of(FROM_VICI)));
        assertEquals(Map.of(VICI_SPOKE, sink.last().get(VICI_SPOKE), PUB_SPOKE, sink.last().get(PUB_SPOKE)), sink.last());
    }

    @Test
    void anEventWhoseSaNamesAnotherSourceChangesNothing() throws Exception {
        bothUp("");
        submit("orchestrator", new SaEvent.ChildDown(FROM_VICI)); // a bug in a caller, not input: refused whole
        assertEquals(Set.of(VICI_SPOKE, PUB_SPOKE), announced());
    }
}
