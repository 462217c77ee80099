package net.rrispeaker.core;

import static net.rrispeaker.core.SpeakerTest.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the core does when its IPsec source is slow, lost or failing, on a virtual clock: a
 * snapshot that is still arriving is never mistaken for a missing source, a daemon that is gone
 * takes its SAs with it after the hold time, and a daemon that is there but cannot deliver keeps
 * the last good state unless the operator chose {@code rri source-failure withdraw}.
 */
class SpeakerSourceFaultTest {
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
    private static final BgpPath.Key SPOKE = new BgpPath.Key("", Prefix.parse("10.81.2.0/29"));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SpeakerTest.RecordingSink sink = new SpeakerTest.RecordingSink();
    private final ManualLoop loop = new ManualLoop();
    private Speaker speaker;

    private void start(String extra) throws Exception {
        speaker = new Speaker(ConfigParser.parse("rri.conf", extra + CONFIG), registry, List.of(sink),
                cfg -> cfg.crypto().vrfs(), loop, loop::nanoTime);
        loop.runReady();
    }

    private void submit(SaEvent e) {
        speaker.submit(e);
        loop.runReady();
    }

    private void seconds(long s) {
        loop.advance(s, TimeUnit.SECONDS);
    }

    private double decisions(String decision) {
        var c = registry.find(Meters.SOURCE_HOLD_DECISIONS).tag("decision", decision).counter();
        return c == null ? 0 : c.count();
    }

    /** Up and announced: the state every scenario below starts from. */
    private void announced() throws Exception {
        start("");
        submit(new SaEvent.SnapshotStarted());
        submit(new SaEvent.Snapshot(List.of(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29"))));
        assertEquals(Map.of(SPOKE, sink.last().get(SPOKE)), sink.last());
    }

    private boolean everyHandOverHolds(BgpPath.Key key) {
        synchronized (sink) {
            return sink.calls.stream().allMatch(m -> m.containsKey(key));
        }
    }

    @AfterEach
    void close() {
        if (speaker != null) {
            speaker.close();
        }
    }

    @Test
    void aFirstSnapshotStillArrivingPastTheHoldTimeIsWaitedForAndTheSinksKeepWhatTheyHold() throws Exception {
        start("");
        submit(new SaEvent.SnapshotStarted());
        seconds(35);
        assertEquals(0, sink.count(), "nothing is handed to the sinks before the truth is known");
        assertEquals(0, decisions("start-without-source"));

        submit(new SaEvent.Snapshot(List.of(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29"))));
        assertEquals(1, sink.count());
        assertTrue(sink.last().containsKey(SPOKE));
    }

    @Test
    void withNoDaemonAtAllWhatTheConfigurationJustifiesIsAnnouncedAfterTheHoldTime() throws Exception {
        start("");
        seconds(9);
        assertEquals(0, sink.count());
        seconds(2);
        assertEquals(1, sink.count(), "the sinks are told the truth: no SA, so no RRI path");
        assertEquals(Map.of(), sink.last());
        assertEquals(1, decisions("start-without-source"));
    }

    @Test
    void aLostSourceWhoseNewSnapshotIsStillArrivingKeepsItsRoutesPastTheHoldTime() throws Exception {
        announced();
        submit(new SaEvent.SourceLost("connection closed by charon"));
        submit(new SaEvent.SnapshotStarted());
        seconds(45);
        submit(new SaEvent.Snapshot(List.of(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29"))));
        seconds(1);
        assertTrue(everyHandOverHolds(SPOKE), "never withdrawn while the snapshot streamed in");
        assertEquals(0, decisions("withdraw"));
    }

    @Test
    void aDaemonThatIsGoneTakesItsRoutesWithItAfterTheHoldTime() throws Exception {
        announced();
        submit(new SaEvent.SourceLost("connection closed by charon", false));
        seconds(9);
        assertTrue(sink.last().containsKey(SPOKE), "kept during the hold time");
        seconds(2);
        assertEquals(Map.of(), sink.last(), "charon is gone, and its tunnels with it");
        assertEquals(1, decisions("withdraw"));
    }

    @Test
    void aDaemonThatIsThereButCannotDeliverKeepsTheLastGoodStateByDefault() throws Exception {
        announced();
        for (int i = 0; i < 6; i++) { // reconnects, each failing on unreadable framing
            submit(new SaEvent.SnapshotStarted());
            submit(new SaEvent.SourceLost("frame length 4294967295 above the maximum", true));
            seconds(10);
        }
        assertTrue(everyHandOverHolds(SPOKE), "a protocol fault is not a mass withdrawal");
        assertTrue(decisions("keep") >= 1);

        submit(new SaEvent.SnapshotStarted());
        submit(new SaEvent.Snapshot(List.of()));
        assertEquals(Map.of(), sink.last(), "a snapshot that finally arrives is the truth again");
    }

    @Test
    void withSourceFailureWithdrawADaemonThatCannotDeliverLosesItsRoutesAfterTheHoldTime() throws Exception {
        start("rri source-failure withdraw\n");
        submit(new SaEvent.Snapshot(List.of(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29"))));
        assertTrue(sink.last().containsKey(SPOKE));
        submit(new SaEvent.SourceLost("no reply to list-sas within 30000 ms", true));
        seconds(11);
        assertEquals(Map.of(), sink.last());
        assertEquals(1, decisions("withdraw"));
    }

    @Test
    void aReloadedWithdrawDelayAppliesToRoutesWithdrawnAfterIt() throws Exception {
        announced(); // rri withdraw-delay 0
        speaker.reload(ConfigParser.parse("rri.conf", CONFIG.replace("rri withdraw-delay 0", "rri withdraw-delay 1000")));
        loop.runReady();
        submit(new SaEvent.ChildDown(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29")));
        loop.advance(900, TimeUnit.MILLISECONDS);
        assertTrue(sink.last().containsKey(SPOKE), "still waiting out the new 1 s delay");
        loop.advance(200, TimeUnit.MILLISECONDS);
        assertEquals(Map.of(), sink.last(), "withdrawn once the new delay has passed");
    }

    @Test
    void atStartADaemonThatIsThereButCannotDeliverLeavesTheSinksAsTheyAre() throws Exception {
        start("");
        submit(new SaEvent.SnapshotStarted());
        submit(new SaEvent.SourceLost("frame length 4294967295 above the maximum", true));
        seconds(35);
        assertEquals(0, sink.count(), "paths announced before the restart stay in gobgpd");
        assertTrue(decisions("keep-at-start") >= 1);
    }
}
