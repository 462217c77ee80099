package net.rrispeaker.core;

import static net.rrispeaker.core.SpeakerTest.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.SaEvent;
import net.rrispeaker.sink.RouteSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The core hands route sinks (FRR) the winning routes: once complete when in sync, then changes. */
class SpeakerRouteSinkTest {
    private static final String CONFIG = """
            rri withdraw-delay 0
            rri source-hold-time 3600
            crypto dynamic-map DYN 10
             match ipsec-connection spokes
             set reverse-route tag 5
             set reverse-route distance 20
             reverse-route
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            ip route 10.99.0.0 255.255.0.0 10.80.12.2 30 tag 7
            """;

    private final List<String> calls = new ArrayList<>();
    private final List<String> added = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();
    private Speaker speaker;

    private final RouteSink sink = new RouteSink() {
        @Override
        public synchronized void changed(List<Route> removed, List<Route> added) {
            calls.add("changed -" + show(removed) + " +" + show(added));
            removed.forEach(r -> SpeakerRouteSinkTest.this.removed.add(one(r)));
            added.forEach(r -> SpeakerRouteSinkTest.this.added.add(one(r)));
        }

        @Override
        public synchronized void resync(Collection<Route> all) {
            calls.add("resync " + show(all));
        }

        @Override
        public void close() {
        }
    };

    private static String show(Collection<Route> routes) {
        return routes.stream().map(SpeakerRouteSinkTest::one).sorted().toList().toString();
    }

    private static String one(Route r) {
        return r.prefix() + " via " + Addresses.format(r.nextHop()) + " tag " + r.tag() + " dist " + r.distance();
    }

    private void settle() throws Exception {
        speaker.read(v -> null).get(5, TimeUnit.SECONDS);
        speaker.read(v -> null).get(5, TimeUnit.SECONDS);
    }

    private synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    @AfterEach
    void stop() {
        if (speaker != null) {
            speaker.close();
        }
    }

    @Test
    void completeSetAfterTheSnapshotThenOnlyWhatChanged() throws Exception {
        speaker = new Speaker(ConfigParser.parse("rri.conf", CONFIG), new SimpleMeterRegistry(), List.of(),
                c -> c.crypto().vrfs());
        speaker.addRouteSink(sink);
        settle();
        assertEquals(List.of(), calls(), "before the source's snapshot the set is partial: nothing");
        speaker.submit(new SaEvent.Snapshot(List.of(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29"))));
        settle();
        assertEquals(List.of("resync [10.81.2.0/29 via 192.0.2.2 tag 5 dist 20, 10.99.0.0/16 via 10.80.12.2 tag 7 dist 30]"),
                calls());
        speaker.submit(new SaEvent.ChildRekeyed(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29"),
                sa("spokes", 3, "192.0.2.2", "10.81.2.0/29")));
        settle();
        assertEquals(1, calls().size(), "a rekey changes nothing");
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 4, "192.0.2.6", "10.81.6.0/29")));
        speaker.submit(new SaEvent.ChildDown(sa("spokes", 3, "192.0.2.2", "10.81.2.0/29")));
        settle();
        // one flush or two, depending on scheduling: the same changes in total, each said once
        assertEquals(List.of("+10.81.6.0/29 via 192.0.2.6 tag 5 dist 20", "-10.81.2.0/29 via 192.0.2.2 tag 5 dist 20"),
                changes());
    }

    private synchronized List<String> changes() {
        List<String> out = new ArrayList<>();
        added.forEach(r -> out.add("+" + r));
        removed.forEach(r -> out.add("-" + r));
        return out;
    }
}
