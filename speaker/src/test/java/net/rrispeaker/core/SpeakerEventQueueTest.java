package net.rrispeaker.core;

import static net.rrispeaker.core.SpeakerTest.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events wait in one queue and the core takes many per task (on a virtual loop): in order, a
 * burst larger than one task's share lets the flush run in between, and a read or a reload
 * queued after an event sees it applied.
 */
class SpeakerEventQueueTest {
    private static final String CONFIG = """
            rri withdraw-delay 0
            crypto dynamic-map DYN 10
             match ipsec-connection spokes
             reverse-route
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            router bgp 65000
             redistribute static
            """;

    private final SpeakerTest.RecordingSink sink = new SpeakerTest.RecordingSink();
    private final ManualLoop loop = new ManualLoop();
    private Speaker speaker;

    @AfterEach
    void close() {
        if (speaker != null) {
            speaker.close();
        }
    }

    private void start() throws Exception {
        speaker = new Speaker(ConfigParser.parse("rri.conf", CONFIG), new SimpleMeterRegistry(), List.of(sink),
                cfg -> cfg.crypto().vrfs(), loop, loop::nanoTime);
        speaker.submit(new SaEvent.Snapshot(List.of()));
        loop.runReady();
    }

    @Test
    void aBurstIsAppliedInOrderAcrossTasksWithFlushesBetween() throws Exception {
        start();
        int before = sink.count();
        ChildSa a = sa("spokes", 2, "192.0.2.2", "10.81.2.0/29");
        for (int i = 0; i < 1_000; i++) {
            speaker.submit(new SaEvent.ChildUp(a));
        }
        for (int i = 0; i < 1_000; i++) {
            speaker.submit(new SaEvent.ChildDown(a));
        }
        speaker.submit(new SaEvent.ChildUp(a));
        loop.runReady();
        assertEquals(Set.of(new BgpPath.Key("", Prefix.parse("10.81.2.0/29"))), sink.last().keySet(),
                "in order: the last event (up) wins");
        assertEquals(List.of(1, 1, 1), sink.received().subList(sink.received().size() - 3, sink.received().size())
                .stream().map(SpeakerTest.RecordingSink.Call::size).toList());
        assertEquals(3, sink.count() - before,
                "three tasks of at most 1,000 events, a flush after each: announced, withdrawn, announced");
    }

    @Test
    void aReadOrReloadQueuedAfterEventsSeesThemApplied() throws Exception {
        start();
        ChildSa a = sa("spokes", 2, "192.0.2.2", "10.81.2.0/29");
        for (int i = 0; i < 1_500; i++) {
            speaker.submit(new SaEvent.ChildUp(sa("spokes", 10 + i, "192.0.2.2", "10.81.2.0/29")));
        }
        speaker.submit(new SaEvent.ChildUp(a));
        CompletableFuture<Integer> read = speaker.read(v -> v.sas().size());
        loop.runReady();
        assertEquals(1_501, read.get(1, TimeUnit.SECONDS));

        speaker.submit(new SaEvent.ChildDown(a));
        CompletableFuture<Void> reload = speaker.reload(ConfigParser.parse("rri.conf", CONFIG));
        CompletableFuture<Integer> after = speaker.read(v -> v.sas().size());
        loop.runReady();
        reload.get(1, TimeUnit.SECONDS);
        assertEquals(1_500, after.get(1, TimeUnit.SECONDS));
    }
}
