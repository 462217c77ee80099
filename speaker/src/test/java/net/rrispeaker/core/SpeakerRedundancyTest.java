package net.rrispeaker.core;

import static net.rrispeaker.core.SpeakerTest.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import net.rrispeaker.redundancy.VrrpNotice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redundancy groups in the core, on a virtual clock: only while the group's VRRP instance is
 * MASTER are its maps' paths announced; standby (unknown at start, BACKUP, FAULT, STOP, keepalived
 * gone) withdraws them, or announces them with worse attributes; SAs and routes stay in the tables
 * all along; maps outside the group are not affected.
 */
class SpeakerRedundancyTest {
    private static final String CONFIG = """
            rri withdraw-delay 200
            rri redundancy HA vrrp-instance RRI
            rri redundancy notify-fifo /run/keepalived/rri.fifo
            %s
            crypto dynamic-map DYN 10
             match ipsec-connection spokes
             reverse-route
            crypto dynamic-map OTHER 10
             match ipsec-connection others
             reverse-route
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            crypto map LAB 10 ipsec-isakmp dynamic OTHER
            crypto map STAT 10 ipsec-isakmp
             set peer 192.0.2.9
             match address 101
             reverse-route static
            access-list 101 permit ip 10.80.0.0 0.0.255.255 10.99.0.0 0.0.255.255
            interface eth0
             ip address 192.0.2.1 255.255.255.0
             crypto map VPN redundancy HA
            interface eth1
             ip address 198.51.100.1 255.255.255.0
             crypto map LAB
            interface eth2
             ip address 203.0.113.1 255.255.255.0
             crypto map STAT redundancy HA
            router bgp 65000
             redistribute static
            """;
    private static final BgpPath.Key SPOKE = new BgpPath.Key("", Prefix.parse("10.81.2.0/29"));
    private static final BgpPath.Key OTHER = new BgpPath.Key("", Prefix.parse("10.82.0.0/24"));
    private static final BgpPath.Key STATIC = new BgpPath.Key("", Prefix.parse("10.99.0.0/16"));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SpeakerTest.RecordingSink sink = new SpeakerTest.RecordingSink();
    private final ManualLoop loop = new ManualLoop();
    private Speaker speaker;

    private void start(String standby) throws Exception {
        speaker = new Speaker(ConfigParser.parse("rri.conf", CONFIG.formatted(standby)), registry, List.of(sink),
                cfg -> cfg.crypto().vrfs(), loop, loop::nanoTime);
        loop.runReady();
        submit(new SaEvent.SnapshotStarted());
        submit(new SaEvent.Snapshot(List.of(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29"),
                sa("others", 2, 3, "198.51.100.7", "10.82.0.0/24"))));
    }

    private void submit(SaEvent e) {
        speaker.submit(e);
        loop.runReady();
    }

    private List<String> vrrp(String line) throws Exception {
        var f = speaker.vrrpNotice(VrrpNotice.parseFifoLine(line));
        loop.runReady();
        return f.get(1, TimeUnit.SECONDS);
    }

    private double transitions(String to) {
        var c = registry.find(Meters.REDUNDANCY_TRANSITIONS).tags("group", "HA", "to", to).counter();
        return c == null ? 0 : c.count();
    }

    private double gauge(String name) {
        return registry.find(name).tag("group", "HA").gauge().value();
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
    void unknownAtStartIsStandbyAndOnlyMapsOutsideTheGroupAreAnnounced() throws Exception {
        start("");
        assertEquals(Map.of(OTHER, sink.last().get(OTHER)), sink.last());
        assertEquals(Integer.valueOf(3), read(v -> v.routes().size()), "SA and static routes of the standby group stay in the table");
        assertEquals(0, gauge(Meters.REDUNDANCY_ACTIVE));
        assertEquals(0, gauge(Meters.REDUNDANCY_STATE), "unknown");
        assertEquals("HA STANDBY", read(v -> v.groupOf(v.routes().stream()
                .filter(r -> r.prefix().equals(SPOKE.prefix())).findFirst().orElseThrow())));
        assertNull(read(v -> v.groupOf(v.routes().stream()
                .filter(r -> r.prefix().equals(OTHER.prefix())).findFirst().orElseThrow())));
    }

    @Test
    void masterAnnouncesTheGroupsRoutesAndBackupFaultStopWithdrawThem() throws Exception {
        start("");
        assertEquals(List.of("HA"), vrrp("INSTANCE \"RRI\" MASTER 150"));
        assertTrue(sink.last().keySet().containsAll(List.of(SPOKE, OTHER, STATIC)), "" + sink.last());
        assertEquals(1, gauge(Meters.REDUNDANCY_ACTIVE));
        assertEquals(1, transitions("active"));

        assertEquals(List.of("HA"), vrrp("INSTANCE \"RRI\" BACKUP 100"));
        assertEquals(Map.of(OTHER, sink.last().get(OTHER)), sink.last());
        assertEquals(2, gauge(Meters.REDUNDANCY_STATE));

        vrrp("INSTANCE \"RRI\" MASTER 150");
        assertEquals(List.of("HA"), vrrp("INSTANCE \"RRI\" FAULT 0"));
        assertFalse(sink.last().containsKey(SPOKE));
        vrrp("INSTANCE \"RRI\" MASTER 150");
        assertEquals(List.of("HA"), vrrp("STOP"));
        assertFalse(sink.last().containsKey(SPOKE));
        assertEquals(3, transitions("standby"));
    }

    @Test
    void samestandingChangesNothingAndOtherInstancesAreIgnored() throws Exception {
        start("");
        vrrp("INSTANCE \"RRI\" MASTER 150");
        int calls = sink.count();
        assertEquals(List.of(), vrrp("INSTANCE \"RRI\" MASTER_PRIORITY 160"));
        assertEquals(List.of(), vrrp("INSTANCE \"RRI\" MASTER_RX_LOWER_PRI 150"));
        assertEquals(List.of(), vrrp("INSTANCE \"WEB\" BACKUP 100"));
        loop.advance(1, TimeUnit.SECONDS);
        assertEquals(calls, sink.count(), "nothing handed to the sinks");
        assertEquals(1, registry.find(Meters.REDUNDANCY_NOTIFY_ERRORS).tag("reason", "unknown-instance")
                .counter().count());
    }

    @Test
    void keepalivedGoneMakesTheGroupStandby() throws Exception {
        start("");
        vrrp("INSTANCE \"RRI\" MASTER 150");
        var f = speaker.vrrpLost("keepalived closed the FIFO");
        loop.runReady();
        assertEquals(List.of("HA"), f.get(1, TimeUnit.SECONDS));
        assertFalse(sink.last().containsKey(SPOKE));
    }

    @Test
    void standbyAnnounceKeepsThePathsWithWorseAttributes() throws Exception {
        start("rri redundancy HA standby announce local-preference 50 metric 200 as-path prepend 2");
        BgpPath standby = sink.last().get(SPOKE);
        assertEquals(Long.valueOf(50), standby.localPref());
        assertEquals(Long.valueOf(200), standby.med());
        assertEquals(List.of(65000L, 65000L), standby.asPathPrepend());
        assertEquals(Long.valueOf(100), sink.last().get(OTHER).localPref(), "maps outside the group keep their attributes");

        vrrp("INSTANCE \"RRI\" MASTER 150");
        BgpPath active = sink.last().get(SPOKE);
        assertEquals(Long.valueOf(100), active.localPref());
        assertNull(active.med());
        assertEquals(List.of(), active.asPathPrepend());

        vrrp("INSTANCE \"RRI\" BACKUP 100");
        assertEquals(standby, sink.last().get(SPOKE));
    }

    @Test
    void aTunnelThatComesUpOrGoesWhileStandbyIsNeverAnnounced() throws Exception {
        start("");
        submit(new SaEvent.ChildUp(sa("spokes", 5, 9, "192.0.2.5", "10.81.5.0/29")));
        BgpPath.Key late = new BgpPath.Key("", Prefix.parse("10.81.5.0/29"));
        assertFalse(sink.last().containsKey(late));
        submit(new SaEvent.ChildDown(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29")));
        loop.advance(1, TimeUnit.MILLISECONDS); // inside the withdraw delay: the route waits, still standby
        assertFalse(sink.last().containsKey(SPOKE));
        synchronized (sink) {
            assertTrue(sink.calls.stream().noneMatch(m -> m.containsKey(SPOKE) || m.containsKey(late)),
                    "never handed to a sink while standby");
        }
        vrrp("INSTANCE \"RRI\" MASTER 150");
        assertTrue(sink.last().containsKey(late), "the SA kept running on standby: announced at once");
    }

    @Test
    void aReloadThatTakesTheMapOutOfTheGroupAnnouncesIt() throws Exception {
        start("");
        String without = CONFIG.formatted("").replace("crypto map VPN redundancy HA", "crypto map VPN");
        var f = speaker.reload(ConfigParser.parse("rri.conf", without));
        loop.runReady();
        f.get(1, TimeUnit.SECONDS);
        assertTrue(sink.last().containsKey(SPOKE));
        assertFalse(sink.last().containsKey(STATIC), "the static map stays in the standby group");
    }

    @Test
    void statusShowsTheGroup() throws Exception {
        start("");
        vrrp("INSTANCE \"RRI\" BACKUP 100");
        loop.advance(7, TimeUnit.SECONDS);
        Speaker.GroupStatus g = read(v -> v.redundancyGroups()).get(0);
        assertEquals(new Speaker.GroupStatus("HA", "RRI", "BACKUP", 100, 7, false, "withdraw", List.of("VPN", "STAT")), g);
    }

    /** The FRR sink's routes (as changes): the prefixes it holds now. */
    private static final class RouteRecorder implements net.rrispeaker.sink.RouteSink {
        final java.util.Set<Prefix> held = new java.util.HashSet<>();

        @Override
        public void changed(List<net.rrispeaker.model.Route> removed, List<net.rrispeaker.model.Route> added) {
            removed.forEach(r -> held.remove(r.prefix()));
            added.forEach(r -> held.add(r.prefix()));
        }

        @Override
        public void resync(java.util.Collection<net.rrispeaker.model.Route> all) {
            held.clear();
            all.forEach(r -> held.add(r.prefix()));
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theRouteSinksFollowTheGroupToo() throws Exception {
        RouteRecorder frr = new RouteRecorder();
        speaker = new Speaker(ConfigParser.parse("rri.conf", CONFIG.formatted(
                "rri redundancy HA standby announce local-preference 50")), registry, List.of(sink),
                cfg -> cfg.crypto().vrfs(), loop, loop::nanoTime);
        speaker.addRouteSink(frr);
        loop.runReady();
        submit(new SaEvent.SnapshotStarted());
        submit(new SaEvent.Snapshot(List.of(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29"),
                sa("others", 2, 3, "198.51.100.7", "10.82.0.0/24"))));
        assertTrue(frr.held.contains(OTHER.prefix()));
        assertFalse(frr.held.contains(SPOKE.prefix()), "an IGP has no worse attribute: standby routes stay out");
        assertFalse(frr.held.contains(STATIC.prefix()));
        vrrp("INSTANCE \"RRI\" MASTER 150");
        assertTrue(frr.held.containsAll(List.of(SPOKE.prefix(), STATIC.prefix(), OTHER.prefix())));
        vrrp("INSTANCE \"RRI\" BACKUP 100");
        assertFalse(frr.held.contains(SPOKE.prefix()));
    }

    @Test
    void withdrawAllHandsTheSinksAnEmptySetAndNothingAfter() throws Exception {
        start("");
        vrrp("INSTANCE \"RRI\" MASTER 150");
        var f = speaker.withdrawAll();
        loop.runReady();
        f.get(1, TimeUnit.SECONDS);
        assertEquals(Map.of(), sink.last());
        int calls = sink.count();
        submit(new SaEvent.ChildUp(sa("spokes", 5, 9, "192.0.2.5", "10.81.5.0/29")));
        assertEquals(calls, sink.count());
    }
}
