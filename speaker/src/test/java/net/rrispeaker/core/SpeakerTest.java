package net.rrispeaker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.model.VrfDefinition;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.sink.PathSink;
import net.rrispeaker.sink.PathUpdate;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The core end to end without sockets: SA events in, the desired BGP paths out (the complete set once, then changes). */
class SpeakerTest {
    private static final String BASE = """
            rri withdraw-delay 0
            crypto dynamic-map DYN 10
             match ipsec-connection spokes
             set reverse-route tag 5
             set reverse-route distance 20
             reverse-route
            crypto dynamic-map DYN 20
             match ipsec-connection branch*
             set reverse-route tag 7
             reverse-route
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            router bgp 65000
             redistribute static
             address-family ipv6 unicast
              redistribute static
             exit-address-family
            """;

    /** A static map whose route comes from its crypto ACL ({@code reverse-route static}). */
    private static final String STATIC_MAP = """
            access-list 101 permit ip 10.80.0.0 0.0.255.255 10.82.0.0 0.0.255.255
            crypto map SMAP 10 ipsec-isakmp
             match ipsec-connection site82
             set peer 192.0.2.2
             match address 101
             reverse-route static
             set reverse-route tag 7
            """;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingSink sink = new RecordingSink();
    private Speaker speaker;

    /**
     * Keeps the desired set the way a sink does (the complete set from {@code resync}, then the
     * changes) and records it after every call; a test double for the sink port, not for a daemon.
     */
    static final class RecordingSink implements PathSink {
        /** One call: a resync, or the changes of one flush. */
        record Call(boolean resync, int size, List<PathUpdate> changes) {
        }

        final List<Map<BgpPath.Key, BgpPath>> calls = new ArrayList<>();
        final List<Call> received = new ArrayList<>();
        private final Map<BgpPath.Key, BgpPath> current = new HashMap<>();
        /** Records the whole set after each call, as the tests of small tables read it; off for 100,000 paths. */
        boolean keepSets = true;

        @Override
        public synchronized void resync(Map<BgpPath.Key, BgpPath> desired, Map<String, VrfDefinition> vrfs) {
            current.clear();
            current.putAll(desired);
            received.add(new Call(true, desired.size(), List.of()));
            recorded();
        }

        @Override
        public synchronized void apply(List<PathUpdate> changes, Map<String, VrfDefinition> vrfs) {
            for (PathUpdate u : changes) {
                if (u.withdrawn()) {
                    current.remove(u.key());
                } else {
                    current.put(u.key(), u.path());
                }
            }
            received.add(new Call(false, changes.size(), List.copyOf(changes)));
            recorded();
        }

        /**
         * Paths handed before the first resync ({@link PathSink#preload}), latest per key; they are
         * not part of the desired set a resync or the changes make ({@link #last}).
         */
        final Map<BgpPath.Key, BgpPath> preloaded = new HashMap<>();
        int preloads;

        @Override
        public synchronized void preload(List<BgpPath> paths, Map<String, VrfDefinition> vrfs) {
            for (BgpPath p : paths) {
                preloaded.put(p.key(), p);
            }
            preloads++;
            notifyAll();
        }

        private void recorded() {
            calls.add(keepSets ? Map.copyOf(current) : Map.of());
            notifyAll();
        }

        synchronized Map<BgpPath.Key, BgpPath> last() {
            return calls.isEmpty() ? Map.of() : calls.get(calls.size() - 1);
        }

        synchronized int count() {
            return calls.size();
        }

        synchronized List<Call> received() {
            return List.copyOf(received);
        }

        synchronized int size() {
            return current.size();
        }

        /** Waits (at most {@code seconds}, a liveness bound) until the last desired set satisfies {@code p}. */
        synchronized boolean awaitLast(java.util.function.Predicate<Map<BgpPath.Key, BgpPath>> p, long seconds)
                throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!p.test(last())) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        @Override
        public void close() {
        }
    }

    private Speaker start(String text) throws Exception {
        Config c = ConfigParser.parse("rri.conf", text);
        speaker = new Speaker(c, registry, List.of(sink), cfg -> cfg.crypto().vrfs());
        speaker.submit(new SaEvent.Snapshot(List.of())); // the source's first resync
        settle();
        return speaker;
    }

    /**
     * Submits events so that the core applies all of them before it flushes: the core thread is
     * held by a gate while they queue up behind it, so the test does not depend on scheduling.
     */
    private void inOneBurst(SaEvent... events) throws Exception {
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Object> held = speaker.read(v -> {
            try {
                gate.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        for (SaEvent e : events) {
            speaker.submit(e);
        }
        gate.countDown();
        held.get(5, TimeUnit.SECONDS);
    }

    /** Waits until the core has run everything queued so far (twice: a flush queues behind events). */
    private void settle() throws Exception {
        speaker.read(v -> null).get(5, TimeUnit.SECONDS);
        speaker.read(v -> null).get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (speaker != null) {
            speaker.close();
        }
    }

    static ChildSa sa(String conn, long child, String peer, String... remoteTs) {
        return sa(conn, 1, child, peer, remoteTs);
    }

    static ChildSa sa(String conn, long ike, long child, String peer, String... remoteTs) {
        return new ChildSa(conn, ike, "lan", child, 1, Addresses.parse("192.0.2.1"), Addresses.parse(peer), "spoke",
                List.of(Prefix.parse("10.80.0.0/16")), Arrays.stream(remoteTs).map(Prefix::parse).toList(), 0, List.of());
    }

    private static BgpPath.Key key(String prefix) {
        return new BgpPath.Key("", Prefix.parse(prefix));
    }

    @Test
    void tunnelUpAnnouncesEachRemoteNetworkWithCommunityAndLocalPref() throws Exception {
        start(BASE);
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29", "fd00:81:2::/64")));
        settle();
        Map<BgpPath.Key, BgpPath> d = sink.last();
        assertEquals(2, d.size());
        BgpPath v4 = d.get(key("10.81.2.0/29"));
        assertEquals(List.of(65000L << 16 | 5), v4.communities());
        assertEquals(81L, v4.localPref());
        assertEquals(BgpPath.ORIGIN_INCOMPLETE, v4.origin());
        assertEquals(null, v4.nextHop(), "next hop self by default");
        assertTrue(d.containsKey(key("fd00:81:2::/64")));
    }

    @Test
    void childRekeyChangesNothingDownstream() throws Exception {
        start(BASE);
        ChildSa old = sa("spokes", 2, "192.0.2.2", "10.81.2.0/29");
        speaker.submit(new SaEvent.ChildUp(old));
        settle();
        int calls = sink.count();
        speaker.submit(new SaEvent.ChildRekeyed(old, sa("spokes", 3, "192.0.2.2", "10.81.2.0/29")));
        speaker.submit(new SaEvent.IkeRekeyed("spokes", 1, 9));
        settle();
        assertEquals(calls, sink.count(), "a rekey must not produce any change for the sinks");
        speaker.submit(new SaEvent.ChildDown(sa("spokes", 3, "192.0.2.2", "10.81.2.0/29")));
        settle();
        assertEquals(Map.of(), sink.last(), "after the rekeyed SA goes down the path is withdrawn");
    }

    @Test
    void makeBeforeBreakReauthKeepsThePath() throws Exception {
        start(BASE);
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29")));
        settle();
        int calls = sink.count();
        // charon reports the three in one burst; the core sees them before its next flush
        inOneBurst(new SaEvent.ChildUp(sa("spokes", 5, "192.0.2.2", "10.81.2.0/29")),
                new SaEvent.IkeDown("spokes", 1),
                new SaEvent.ChildUp(sa("spokes", 5, "192.0.2.2", "10.81.2.0/29")));
        settle();
        assertEquals(1, sink.last().size());
        assertTrue(sink.count() - calls <= 1, "no withdraw-then-announce");
    }

    @Test
    void aPeerThatMovesTakesItsPathsNextHopAlongInOneUpdateAndNothingElseChanges() throws Exception {
        start("rri bgp next-hop route\n" + BASE);
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 2, 2, "192.0.2.2", "10.81.2.0/29", "fd00:81:2::/64")));
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 3, 3, "192.0.2.3", "10.81.3.0/29")));
        speaker.submit(new SaEvent.ChildUp(sa("branch-1", 2, 4, "192.0.2.9", "10.50.0.0/24")));
        settle();
        Map<BgpPath.Key, BgpPath> before = sink.last();
        assertEquals(Addresses.parse("192.0.2.2"), before.get(key("10.81.2.0/29")).nextHop());
        int calls = sink.count();
        speaker.submit(new SaEvent.IkeAddressChanged("spokes", 2, Addresses.parse("198.51.100.7")));
        settle();
        Map<BgpPath.Key, BgpPath> after = sink.last();
        assertEquals(calls + 1, sink.count(), "one replacement, no withdraw-then-announce");
        assertEquals(before.keySet(), after.keySet());
        assertEquals(Addresses.parse("198.51.100.7"), after.get(key("10.81.2.0/29")).nextHop());
        assertEquals(Addresses.parse("198.51.100.7"), after.get(key("fd00:81:2::/64")).nextHop());
        assertEquals(before.get(key("10.81.3.0/29")), after.get(key("10.81.3.0/29")), "IKE_SA 3 did not move");
        assertEquals(before.get(key("10.50.0.0/24")), after.get(key("10.50.0.0/24")), "IKE_SA 2 of branch-1 did not move");
        assertEquals(List.of("198.51.100.7"), speaker.read(v -> v.sas().stream().filter(sa -> sa.childId() == 2)
                .map(sa -> sa.remoteHost().getHostAddress()).toList()).get(5, TimeUnit.SECONDS));
        speaker.submit(new SaEvent.ChildDown(sa("spokes", 2, 2, "198.51.100.7", "10.81.2.0/29", "fd00:81:2::/64")));
        settle();
        assertEquals(2, sink.last().size(), "the moved SA still owns its routes under the same id");
    }

    @Test
    void aPeerAddressUpdateThatMovesNothingIsNotHandedOn() throws Exception {
        start("rri bgp next-hop route\n" + BASE);
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 2, 2, "192.0.2.2", "10.81.2.0/29")));
        settle();
        int calls = sink.count();
        speaker.submit(new SaEvent.IkeAddressChanged("spokes", 2, Addresses.parse("192.0.2.2")));
        speaker.submit(new SaEvent.IkeAddressChanged("spokes", 9, Addresses.parse("198.51.100.7")));
        settle();
        assertEquals(calls, sink.count());
        assertEquals(Addresses.parse("192.0.2.2"), sink.last().get(key("10.81.2.0/29")).nextHop());
    }

    @Test
    void anSaNoCryptoMapCoversIsCountedAndAnnouncesNothing() throws Exception {
        start(BASE);
        speaker.submit(new SaEvent.ChildUp(sa("roadwarriors", 2, "192.0.2.2", "10.99.0.0/24")));
        settle();
        assertEquals(Map.of(), sink.last());
        assertEquals(1.0, registry.counter(Meters.SA_UNMATCHED).count());
    }

    @Test
    void anSaOfAStaticMapWithReverseRouteStaticIsNotCountedAsUncovered() throws Exception {
        start(BASE + STATIC_MAP);
        speaker.submit(new SaEvent.ChildUp(sa("site82", 2, "192.0.2.2", "10.82.0.0/16")));
        settle();
        assertEquals(List.of(key("10.82.0.0/16")), List.copyOf(sink.last().keySet()), "only the ACL's route");
        assertEquals(0.0, registry.counter(Meters.SA_UNMATCHED).count(), "the SA is covered by crypto map SMAP 10");
    }

    /**
     * With a withdraw delay, a route a reload no longer justifies is withdrawn once the delay has
     * passed, without waiting for some later SA event (it used to stay until the next one).
     */
    @Test
    void reloadRemovingReverseRouteStaticWithdrawsTheRouteAfterTheWithdrawDelay() throws Exception {
        String withDelay = (BASE + STATIC_MAP).replace("rri withdraw-delay 0", "rri withdraw-delay 1");
        start(withDelay);
        assertTrue(sink.last().containsKey(key("10.82.0.0/16")), "static route present with no SA at all");
        speaker.reload(ConfigParser.parse("rri.conf", withDelay.replace(" reverse-route static\n", "")))
                .get(5, TimeUnit.SECONDS);
        assertTrue(sink.awaitLast(d -> !d.containsKey(key("10.82.0.0/16")), 10),
                "10.82.0.0/16 withdrawn after the reload; last desired set: " + sink.last());
    }

    @Test
    void snapshotAfterReconnectWithdrawsWhatIsGoneAndKeepsWhatStays() throws Exception {
        start(BASE);
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29")));
        speaker.submit(new SaEvent.ChildUp(sa("branch-7", 4, "192.0.2.7", "10.87.0.0/24")));
        settle();
        speaker.submit(new SaEvent.SourceLost("test"));
        speaker.submit(new SaEvent.Snapshot(List.of(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29"))));
        settle();
        assertEquals(List.of(key("10.81.2.0/29")), List.copyOf(sink.last().keySet()));
    }

    @Test
    void reloadChangingOneMapChangesOnlyItsPaths() throws Exception {
        start(BASE);
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29")));
        speaker.submit(new SaEvent.ChildUp(sa("branch-7", 4, "192.0.2.7", "10.87.0.0/24")));
        settle();
        BgpPath before = sink.last().get(key("10.81.2.0/29"));
        speaker.reload(ConfigParser.parse("rri.conf", BASE.replace("set reverse-route tag 7", "set reverse-route tag 8")))
                .get(5, TimeUnit.SECONDS);
        settle();
        assertEquals(before, sink.last().get(key("10.81.2.0/29")));
        assertEquals(List.of(65000L << 16 | 8), sink.last().get(key("10.87.0.0/24")).communities());
    }

    @Test
    void aManualStaticAndAnRriRouteDisagreeingOnTagAreReportedAndResolvedDeterministically() throws Exception {
        start(BASE + "ip route 10.81.2.0 255.255.255.248 192.0.2.2 tag 9\n");
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29")));
        settle();
        assertEquals(1.0, registry.counter(Meters.ROUTE_CONFLICTS).count());
        assertEquals(List.of(65000L << 16 | 9), sink.last().get(key("10.81.2.0/29")).communities(),
                "the manual static (distance 1) beats the RRI route (distance 20)");
    }

    /**
     * The first claim wins, whatever the next hops: it used to be the lower next hop, so a newcomer
     * with a lower outer address displaced an established peer. When the winner goes, the other
     * claim takes over.
     */
    @Test
    void samePrefixFromTwoPeersIsHeldByTheFirstClaimTheOtherIsRefusedAndTakesOverWhenItGoes() throws Exception {
        start(BASE);
        speaker.submit(new SaEvent.ChildUp(sa("branch-1", 2, "192.0.2.9", "10.50.0.0/24")));
        speaker.submit(new SaEvent.ChildUp(sa("branch-2", 3, "192.0.2.3", "10.50.0.0/24")));
        settle();
        assertEquals(1, sink.last().size());
        assertEquals(1.0, registry.counter(Meters.GUARD_REFUSED, "rule", "conflict").count());
        List<String> nextHops = speaker.read(v -> v.routes().stream().map(r -> r.nextHop().getHostAddress()).toList())
                .get(5, TimeUnit.SECONDS);
        assertEquals(List.of("192.0.2.9"), nextHops, "the established peer keeps the prefix");
        List<String> refused = speaker.read(v -> v.sas().stream().flatMap(sa -> v.refusalsOf(sa).stream())
                .map(r -> r.summary()).toList()).get(5, TimeUnit.SECONDS);
        assertEquals(List.of("10.50.0.0/24 conflict (held by peer 192.0.2.9, which claimed it first; announced when "
                + "that claim goes)"), refused);
        speaker.submit(new SaEvent.ChildDown(sa("branch-1", 2, "192.0.2.9", "10.50.0.0/24")));
        settle();
        assertEquals(List.of("192.0.2.3"), speaker.read(v -> v.routes().stream()
                .map(r -> r.nextHop().getHostAddress()).toList()).get(5, TimeUnit.SECONDS), "the next claim takes over");
        assertEquals(0.0, registry.counter(Meters.ROUTE_CONFLICTS).count(), "two peers never share a destination");
    }

    @Test
    void withAWithdrawDelayTheWaitingPeerTakesOverWhenTheOldRouteGoes() throws Exception {
        start("rri bgp next-hop route\n" + BASE.replace("rri withdraw-delay 0", "rri withdraw-delay 1"));
        speaker.submit(new SaEvent.ChildUp(sa("branch-1", 2, "192.0.2.9", "10.50.0.0/24")));
        speaker.submit(new SaEvent.ChildUp(sa("branch-2", 3, "192.0.2.3", "10.50.0.0/24")));
        settle();
        assertEquals(Addresses.parse("192.0.2.9"), sink.last().get(key("10.50.0.0/24")).nextHop());
        speaker.submit(new SaEvent.ChildDown(sa("branch-1", 2, "192.0.2.9", "10.50.0.0/24")));
        assertTrue(sink.awaitLast(d -> d.containsKey(key("10.50.0.0/24"))
                        && Addresses.parse("192.0.2.3").equals(d.get(key("10.50.0.0/24")).nextHop()), 10),
                "the waiting peer's path after the delay; last desired set: " + sink.last());
        assertEquals(0.0, registry.counter(Meters.ROUTE_CONFLICTS).count(), "never both at once");
    }

    @Test
    void aSelectorTheGuardRefusesIsNotAnnouncedIsCountedPerRuleAndShownWithItsSa() throws Exception {
        start(BASE);
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 2, "192.0.2.2", "127.0.0.0/8", "10.0.0.0/7", "10.81.2.0/29")));
        settle();
        assertEquals(List.of(key("10.81.2.0/29")), List.copyOf(sink.last().keySet()));
        assertEquals(1.0, registry.counter(Meters.GUARD_REFUSED, "rule", "martian").count());
        assertEquals(1.0, registry.counter(Meters.GUARD_REFUSED, "rule", "min-length").count());
        assertEquals(List.of("127.0.0.0/8 martian (inside the special-use range 127.0.0.0/8)",
                        "10.0.0.0/7 min-length (shorter than /8 (rri guard min-length ipv4 8))"),
                speaker.read(v -> v.refusalsOf(v.sas().get(0)).stream().map(r -> r.summary()).toList())
                        .get(5, TimeUnit.SECONDS));
        assertEquals(0.0, registry.counter(Meters.SA_UNMATCHED).count(), "refused is not uncovered");
    }

    @Test
    void aReloadJudgesEverySaAgainUnderTheNewGuard() throws Exception {
        start(BASE);
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29")));
        settle();
        assertTrue(sink.last().containsKey(key("10.81.2.0/29")));
        speaker.reload(ConfigParser.parse("rri.conf", BASE + "rri guard own 10.81.0.0/16\n")).get(5, TimeUnit.SECONDS);
        settle();
        assertEquals(Map.of(), sink.last(), "now inside the concentrator's own prefix");
        assertEquals(1.0, registry.counter(Meters.GUARD_REFUSED, "rule", "own-address").count());
        speaker.reload(ConfigParser.parse("rri.conf", BASE)).get(5, TimeUnit.SECONDS);
        settle();
        assertTrue(sink.last().containsKey(key("10.81.2.0/29")), "allowed again");
    }

    @Test
    void aRouteMapFiltersAndSetsAndItsDecisionsAreCountedPerSequence() throws Exception {
        start(BASE.replace(" redistribute static\n address-family", " redistribute static route-map RRI\n address-family") + """
                route-map RRI permit 10
                 match tag 5
                 set local-preference 200
                 set community 65000:100 additive
                route-map RRI deny 20
                 match tag 7
                """);
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29")));
        speaker.submit(new SaEvent.ChildUp(sa("branch-7", 4, "192.0.2.7", "10.87.0.0/24")));
        settle();
        Map<BgpPath.Key, BgpPath> d = sink.last();
        assertEquals(List.of(key("10.81.2.0/29")), List.copyOf(d.keySet()), "tag 7 is denied by seq 20");
        BgpPath p = d.get(key("10.81.2.0/29"));
        assertEquals(200L, p.localPref());
        assertEquals(List.of(65000L << 16 | 5, 65000L << 16 | 100), p.communities());
        assertEquals(1.0, registry.counter(Meters.POLICY_DECISIONS, "map", "RRI", "seq", "10", "result", "permit").count());
        assertEquals(1.0, registry.counter(Meters.POLICY_DECISIONS, "map", "RRI", "seq", "20", "result", "deny").count());
    }

    /**
     * With 100,000 SAs established, one SA coming up and going down hands the sinks one change
     * each (its own path), not the table: the complete set went out once, with the first snapshot.
     */
    @Test
    void oneSaUpAndDownWith100000SasEstablishedHandsTheSinksOneChangeEach() throws Exception {
        List<ChildSa> established = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            established.add(sa("spokes", 1 + i, 10 + i, "198." + (18 + (i >> 16)) + "." + (i >> 8 & 255) + "." + (i & 255),
                    "10." + (i >> 13) + "." + (i >> 5 & 255) + "." + ((i & 31) << 3) + "/29"));
        }
        sink.keepSets = false;
        speaker = new Speaker(ConfigParser.parse("rri.conf", BASE), registry, List.of(sink), cfg -> cfg.crypto().vrfs());
        speaker.submit(new SaEvent.Snapshot(established));
        speaker.read(v -> null).get(2, TimeUnit.MINUTES); // a liveness bound: the snapshot is applied
        speaker.read(v -> null).get(2, TimeUnit.MINUTES); // and flushed
        assertEquals(List.of(new RecordingSink.Call(true, 100_000, List.of())), sink.received(),
                "the first snapshot: the complete set, once");

        ChildSa extra = sa("spokes", 200_001, 300_001, "192.0.2.2", "10.200.0.0/29");
        speaker.submit(new SaEvent.ChildUp(extra));
        settle();
        speaker.submit(new SaEvent.ChildDown(extra));
        settle();

        List<RecordingSink.Call> calls = sink.received();
        assertEquals(3, calls.size());
        List<PathUpdate> up = calls.get(1).changes();
        List<PathUpdate> down = calls.get(2).changes();
        assertEquals(1, up.size());
        assertEquals(key("10.200.0.0/29"), up.get(0).key());
        assertEquals(List.of(65000L << 16 | 5), up.get(0).path().communities());
        assertEquals(List.of(PathUpdate.withdraw(key("10.200.0.0/29"))), down);
        assertEquals(100_000, sink.size());
    }

    @Test
    void nothingIsHandedToSinksBeforeTheSourcesFirstSnapshotThenEverythingIsEvenIfEmpty() throws Exception {
        Config c = ConfigParser.parse("rri.conf", BASE + "ip route 10.9.0.0 255.255.0.0 192.0.2.9\n");
        speaker = new Speaker(c, registry, List.of(sink), cfg -> cfg.crypto().vrfs());
        settle();
        assertEquals(0, sink.count(), "a partial desired set (config routes only) would withdraw live paths");
        speaker.submit(new SaEvent.Snapshot(List.of(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29"))));
        settle();
        assertEquals(1, sink.count());
        assertEquals(2, sink.last().size());
    }

    @Test
    void aFirstSnapshotWithNoSasStillTellsTheSinksSoStalePathsFromBeforeARestartGo() throws Exception {
        Config c = ConfigParser.parse("rri.conf", BASE);
        speaker = new Speaker(c, registry, List.of(sink), cfg -> cfg.crypto().vrfs());
        speaker.submit(new SaEvent.Snapshot(List.of()));
        settle();
        assertEquals(1, sink.count());
        assertEquals(Map.of(), sink.last());
    }
}
