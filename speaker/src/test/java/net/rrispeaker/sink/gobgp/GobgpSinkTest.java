package net.rrispeaker.sink.gobgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.rrispeaker.model.VrfDefinition;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.gobgp.api.AddPathStreamRequest;
import net.rrispeaker.gobgp.api.MpReachNLRIAttribute;
import net.rrispeaker.gobgp.api.NextHopAttribute;
import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.gobgp.api.RouteDistinguisherTwoOctetASN;
import net.rrispeaker.gobgp.api.TableType;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.sink.PathUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GobgpSinkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final SinkSettings FAST = new SinkSettings(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(5), 2, 100, Duration.ofMillis(5), Duration.ofMillis(20), 1000);
    /** As {@link #FAST}, but more than 3 keys waiting for the worker make it diff everything. */
    private static final SinkSettings SMALL_QUEUE = new SinkSettings(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(5), 2, 100, Duration.ofMillis(5), Duration.ofMillis(20), 3);
    private static final Duration LONG_WAIT = Duration.ofSeconds(120);

    private final FakeGobgp fake = new FakeGobgp();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Server server;
    private String name;
    private GobgpSink sink;
    /** What this test last told the sink, {@code null} before the first resync of a new sink. */
    private Map<BgpPath.Key, BgpPath> told;

    @BeforeEach
    void startServer() throws Exception {
        name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(fake).build().start();
    }

    @AfterEach
    void stop() throws Exception {
        if (sink != null) {
            sink.close();
        }
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private GobgpSink newSink() {
        return newSink(FAST);
    }

    private GobgpSink newSink(SinkSettings settings) {
        ManagedChannel ch = InProcessChannelBuilder.forName(name).directExecutor().build();
        GobgpSink s = new GobgpSink("in-process", ch, GobgpSink.DEFAULT_PATH_IDENTIFIER, registry, settings);
        s.start();
        told = null;
        return s;
    }

    private static BgpPath path(String prefix, long localPref, Long... communities) {
        return new BgpPath("", Prefix.parse(prefix), null, BgpPath.ORIGIN_INCOMPLETE, null, localPref,
                List.of(communities), List.of(), List.of(), List.of());
    }

    private static Map<BgpPath.Key, BgpPath> desired(BgpPath... paths) {
        Map<BgpPath.Key, BgpPath> m = new LinkedHashMap<>();
        for (BgpPath p : paths) {
            m.put(p.key(), p);
        }
        return m;
    }

    /**
     * Tells the sink that {@code d} is desired the way the core does: the complete set the first
     * time, then only the changes to what it was told before; waits until it is applied.
     */
    private void sync(Map<BgpPath.Key, BgpPath> d, Map<String, VrfDefinition> vrfs) throws InterruptedException {
        tell(d, vrfs);
        assertTrue(sink.awaitInSync(WAIT), "sink did not reach the desired state");
    }

    private void tell(Map<BgpPath.Key, BgpPath> d, Map<String, VrfDefinition> vrfs) {
        if (told == null) {
            sink.resync(d, vrfs);
        } else {
            List<PathUpdate> changes = new ArrayList<>();
            for (BgpPath.Key k : told.keySet()) {
                if (!d.containsKey(k)) {
                    changes.add(PathUpdate.withdraw(k));
                }
            }
            for (BgpPath p : d.values()) {
                if (!p.equals(told.get(p.key()))) {
                    changes.add(PathUpdate.announce(p));
                }
            }
            sink.apply(changes, vrfs);
        }
        told = Map.copyOf(d);
    }

    private Set<String> ribPrefixes(String vrf) {
        return fake.paths(vrf).stream().map(FakeGobgp::prefixOf).collect(Collectors.toSet());
    }

    private double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void firstSync_announcesEveryPathThroughOneStream() throws Exception {
        sink = newSink();
        sync(desired(path("10.81.2.0/29", 100, 65000L << 16 | 5), path("10.81.3.0/28", 81),
                path("fd00:81:2::/64", 100)), Map.of());

        assertEquals(Set.of("10.81.2.0/29", "10.81.3.0/28", "fd00:81:2::/64"), ribPrefixes(""));
        assertEquals(3, fake.streamedPaths());
        assertTrue(fake.unaryAdds.isEmpty());
        assertEquals(3, sink.announced().size());
        assertEquals(3, sink.status().announced());
        assertEquals(3.0, counter(Meters.SINK_CHANGES, "sink", "gobgp", "op", "announce"));
        assertTrue(fake.paths("").stream().allMatch(p -> p.getIdentifier() == 21074));
    }

    @Test
    void secondReconcile_withOneChangedPath_sendsExactlyThatPath() throws Exception {
        sink = newSink();
        BgpPath a = path("10.81.2.0/29", 100);
        BgpPath b = path("10.81.3.0/28", 100);
        sync(desired(a, b), Map.of());
        fake.streamMessages.clear();

        sync(desired(a, path("10.81.3.0/28", 90)), Map.of());

        assertEquals(1, fake.streamedPaths());
        Path sent = fake.streamMessages.get(0).getPaths(0);
        assertEquals("10.81.3.0/28", FakeGobgp.prefixOf(sent));
        assertFalse(sent.getIsWithdraw());
    }

    @Test
    void gobgpdRestart_reannouncesEverything() throws Exception {
        sink = newSink();
        sync(desired(path("10.81.2.0/29", 100), path("fd00:81:2::/64", 100)), Map.of());

        fake.restart();
        assertTrue(waitUntil(() -> fake.paths("").size() == 2), "paths not re-announced after restart");

        assertEquals(Set.of("10.81.2.0/29", "fd00:81:2::/64"), ribPrefixes(""));
        assertEquals(2.0, counter(Meters.SINK_RESYNCS, "sink", "gobgp"));
    }

    @Test
    void foreignPaths_areNeverDeleted() throws Exception {
        Path foreign = PathCodec.announcement(path("10.99.0.0/24", 100), 0);
        Path foreignSamePrefix = PathCodec.announcement(path("10.81.2.0/29", 100), 7);
        fake.seed("", foreign);
        fake.seed("", foreignSamePrefix);
        sink = newSink();
        sync(desired(path("10.81.2.0/29", 100)), Map.of());
        sync(desired(), Map.of());

        assertEquals(List.of(foreign, foreignSamePrefix), fake.paths(""));
        assertTrue(fake.unaryDeletes.stream().allMatch(DeletePathRequestCheck::isFullPath));
    }

    @Test
    void speakerRestart_withdrawsStalePathsAndKeepsTheRightOnes() throws Exception {
        BgpPath keep = path("10.81.2.0/29", 100, 65000L << 16 | 5, 65000L << 16 | 1);
        fake.seed("", PathCodec.announcement(keep, 21074));
        fake.seed("", PathCodec.announcement(path("10.81.9.0/29", 100), 21074));
        sink = newSink();

        // same communities in another order: already right, must not be re-sent
        sync(desired(path("10.81.2.0/29", 100, 65000L << 16 | 1, 65000L << 16 | 5)), Map.of());

        assertEquals(Set.of("10.81.2.0/29"), ribPrefixes(""));
        List<Path> sent = fake.streamMessages.stream().flatMap(m -> m.getPathsList().stream()).toList();
        assertEquals(1, sent.size());
        assertTrue(sent.get(0).getIsWithdraw());
        assertEquals("10.81.9.0/29", FakeGobgp.prefixOf(sent.get(0)));
        assertEquals(21074, sent.get(0).getIdentifier());
    }

    /**
     * A speaker restart with tunnels up, its first snapshot still arriving: the preloaded paths
     * gobgpd lacks are announced at once; a path it holds is left exactly as it is, even when the
     * preload wants other attributes, and a stale one is not withdrawn, until the complete set
     * comes; then only the difference is written.
     */
    @Test
    void preloadBeforeTheFirstResync_announcesOnlyWhatIsMissingAndWithdrawsNothingUntilTheResync() throws Exception {
        BgpPath keep = path("10.81.2.0/29", 100);
        fake.seed("", PathCodec.announcement(keep, 21074));
        fake.seed("", PathCodec.announcement(path("10.81.5.0/29", 100), 21074));
        fake.seed("", PathCodec.announcement(path("10.81.9.0/29", 100), 21074));
        sink = newSink();

        sink.preload(List.of(keep, path("10.81.5.0/29", 90), path("10.81.7.0/29", 100)), Map.of());
        assertTrue(sink.awaitInSync(WAIT));
        assertTrue(waitUntil(() -> ribPrefixes("").contains("10.81.7.0/29")), "the missing path is announced at once");
        List<Path> sent = fake.streamMessages.stream().flatMap(m -> m.getPathsList().stream()).toList();
        assertEquals(List.of("10.81.7.0/29"), sent.stream().map(FakeGobgp::prefixOf).toList(),
                "nothing held is replaced or withdrawn before the complete set");
        assertEquals(Set.of("10.81.2.0/29", "10.81.5.0/29", "10.81.7.0/29", "10.81.9.0/29"), ribPrefixes(""));

        sync(desired(keep, path("10.81.5.0/29", 90), path("10.81.7.0/29", 100)), Map.of());
        assertEquals(Set.of("10.81.2.0/29", "10.81.5.0/29", "10.81.7.0/29"), ribPrefixes(""));
        List<Path> after = fake.streamMessages.stream().flatMap(m -> m.getPathsList().stream()).skip(1).toList();
        assertEquals(List.of("10.81.5.0/29 announce", "10.81.9.0/29 withdraw"), after.stream()
                .map(p -> FakeGobgp.prefixOf(p) + (p.getIsWithdraw() ? " withdraw" : " announce")).toList(),
                "the resync: the changed one is replaced, then the stale path goes (announcements first), the rest is left alone");
    }

    /** Once the complete set was given, a preload (a late one from the core) changes nothing. */
    @Test
    void preloadAfterTheResync_isIgnored() throws Exception {
        sink = newSink();
        sync(desired(path("10.81.2.0/29", 100)), Map.of());
        sink.preload(List.of(path("10.81.7.0/29", 100)), Map.of());
        assertTrue(sink.awaitInSync(WAIT));
        assertEquals(Set.of("10.81.2.0/29"), ribPrefixes(""));
    }

    @Test
    void badPathInStream_isIsolatedByUnaryFallback() throws Exception {
        fake.rejectPrefixes.add("10.81.3.0/28");
        sink = newSink();
        sync(desired(path("10.81.2.0/29", 100), path("10.81.3.0/28", 100), path("10.81.4.0/28", 100)), Map.of());

        assertEquals(Set.of("10.81.2.0/29", "10.81.4.0/28"), ribPrefixes(""));
        assertEquals(Set.of(new BgpPath.Key("", Prefix.parse("10.81.2.0/29")),
                new BgpPath.Key("", Prefix.parse("10.81.4.0/28"))), sink.announced());
        assertEquals(1.0, counter(Meters.SINK_ERRORS, "sink", "gobgp", "reason", "path"));
        assertTrue(sink.status().lastError().contains("10.81.3.0/28"), sink.status().lastError());
    }

    @Test
    void ipv6Path_carriesNextHopInMpReach() throws Exception {
        sink = newSink();
        BgpPath viaPeer = new BgpPath("", Prefix.parse("fd00:81:3::/64"), Addresses.parse("fd00:80:12::9"), 0,
                20L, 100L, List.of(), List.of(), List.of(), List.of());
        sync(desired(path("fd00:81:2::/64", 100), viaPeer), Map.of());

        Map<String, String> nextHops = new LinkedHashMap<>();
        for (Path p : fake.paths("")) {
            assertTrue(p.getPattrsList().stream().noneMatch(a -> a.is(NextHopAttribute.class)));
            Any mp = p.getPattrsList().stream().filter(a -> a.is(MpReachNLRIAttribute.class)).findFirst().orElseThrow();
            MpReachNLRIAttribute m = mp.unpack(MpReachNLRIAttribute.class);
            assertEquals(List.of(p.getNlri()), m.getNlrisList());
            nextHops.put(FakeGobgp.prefixOf(p), m.getNextHops(0));
        }
        assertEquals(Map.of("fd00:81:2::/64", "::", "fd00:81:3::/64", "fd00:80:12::9"), nextHops);
    }

    @Test
    void mixedTables_eachStreamMessageCarriesOneTableAndAtMostPathsPerMessage() throws Exception {
        VrfDefinition red = new VrfDefinition("red", "65000:10", List.of("65000:10"), List.of("65000:11"), "rri.conf", 3);
        List<BgpPath> paths = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            paths.add(path("10.81." + i + ".0/24", 100));
            paths.add(new BgpPath("red", Prefix.parse("10.82." + i + ".0/24"), null, 2, null, 100L, List.of(),
                    List.of(), List.of(), List.of()));
        }
        sink = newSink();
        sync(desired(paths.toArray(BgpPath[]::new)), Map.of("red", red));
        // the next set withdraws two of each table and announces one new path in each
        fake.streamMessages.clear();
        List<BgpPath> next = new java.util.ArrayList<>(paths.subList(4, 10));
        next.add(path("10.81.9.0/24", 100));
        next.add(new BgpPath("red", Prefix.parse("10.82.9.0/24"), null, 2, null, 100L, List.of(), List.of(),
                List.of(), List.of()));
        sync(desired(next.toArray(BgpPath[]::new)), Map.of("red", red));

        assertEquals(6, fake.streamedPaths());
        for (AddPathStreamRequest m : fake.streamMessages) {
            assertTrue(m.getPathsCount() >= 1 && m.getPathsCount() <= 2, m.toString());
            String prefix = m.getVrfId().equals("red") ? "10.82." : "10.81.";
            assertEquals(m.getVrfId().isEmpty() ? TableType.GLOBAL : TableType.VRF, m.getTableType());
            assertTrue(m.getPathsList().stream().allMatch(p -> FakeGobgp.prefixOf(p).startsWith(prefix)), m.toString());
        }
        assertEquals(Set.of("10.81.2.0/24", "10.81.3.0/24", "10.81.4.0/24", "10.81.9.0/24"), ribPrefixes(""));
        assertEquals(Set.of("10.82.2.0/24", "10.82.3.0/24", "10.82.4.0/24", "10.82.9.0/24"), ribPrefixes("red"));
    }

    @Test
    void vrfPath_usesVrfTableAndCreatesTheVrf() throws Exception {
        VrfDefinition red = new VrfDefinition("red", "65000:10", List.of("65000:10"), List.of("65000:11"), "rri.conf", 3);
        BgpPath p = new BgpPath("red", Prefix.parse("10.81.2.0/29"), null, 2, null, 100L, List.of(), List.of(),
                List.of(), List.of());
        sink = newSink();
        sync(desired(p), Map.of("red", red));

        assertEquals(1, fake.addVrfs.size());
        var vrf = fake.addVrfs.get(0).getVrf();
        assertEquals(RouteDistinguisherTwoOctetASN.newBuilder().setAdmin(65000).setAssigned(10).build(),
                vrf.getRd().unpack(RouteDistinguisherTwoOctetASN.class));
        assertEquals(List.of(ExtCommunities.routeTarget("65000:10")), vrf.getImportRtList());
        assertEquals(List.of(ExtCommunities.routeTarget("65000:11")), vrf.getExportRtList());
        AddPathStreamRequest m = fake.streamMessages.get(0);
        assertEquals(TableType.VRF, m.getTableType());
        assertEquals("red", m.getVrfId());
        assertEquals(Set.of("10.81.2.0/29"), ribPrefixes("red"));

        // a new speaker process sees the path (with gobgpd's appended export RT) as already right
        sink.close();
        fake.streamMessages.clear();
        sink = newSink();
        sync(desired(p), Map.of("red", red));
        assertEquals(0, fake.streamedPaths());
        assertEquals(1, fake.addVrfs.size());
    }

    @Test
    void gobgpdWithoutGlobalAs_isRetriedUntilStarted() throws Exception {
        fake.asn = 0;
        sink = newSink();
        tell(desired(path("10.81.2.0/29", 100)), Map.of());
        assertTrue(waitUntil(() -> fake.getBgpCalls >= 3));
        assertTrue(fake.paths("").isEmpty());
        assertFalse(sink.status().connected());

        fake.asn = 65000;
        assertTrue(sink.awaitInSync(WAIT));
        assertEquals(Set.of("10.81.2.0/29"), ribPrefixes(""));
    }

    @Test
    void withdrawal_neverSendsAnEmptyDelete() throws Exception {
        fake.rejectPrefixes.add("10.81.3.0/28"); // forces the unary path for the whole batch
        sink = newSink();
        sync(desired(path("10.81.2.0/29", 100), path("10.81.3.0/28", 100)), Map.of());
        fake.seed("", PathCodec.announcement(path("10.99.0.0/24", 100), 0));
        sync(desired(path("10.81.3.0/28", 100)), Map.of());

        assertEquals(Set.of("10.99.0.0/24"), ribPrefixes(""));
        assertTrue(fake.unaryDeletes.stream().allMatch(DeletePathRequestCheck::isFullPath));
    }

    @Test
    void oneSaUpAndDownWith100000PathsHeld_diffsOneKeyEachAndSendsOnePath() throws Exception {
        Map<BgpPath.Key, BgpPath> all = new LinkedHashMap<>();
        for (int i = 0; i < 100_000; i++) {
            BgpPath p = path("10." + (i >> 13) + "." + (i >> 5 & 255) + "." + ((i & 31) << 3) + "/29", 81, 65000L << 16 | 5);
            all.put(p.key(), p);
            fake.seed("", PathCodec.announcement(p, 21074)); // held from before a speaker restart
        }
        sink = newSink();
        sink.resync(all, Map.of());
        assertTrue(sink.awaitInSync(LONG_WAIT), "resync of 100,000 paths");
        assertEquals(0, fake.streamedPaths(), "everything already right");
        SinkWorker.DiffCounts start = sink.diffCounts();
        assertEquals(1, start.fullDiffs());

        BgpPath up = path("10.200.0.0/29", 81, 65000L << 16 | 5);
        sink.apply(List.of(PathUpdate.announce(up)), Map.of());
        assertTrue(sink.awaitInSync(WAIT));
        SinkWorker.DiffCounts afterUp = sink.diffCounts();
        sink.apply(List.of(PathUpdate.withdraw(up.key())), Map.of());
        assertTrue(sink.awaitInSync(WAIT));
        SinkWorker.DiffCounts afterDown = sink.diffCounts();

        assertEquals(1, afterUp.lastKeysDiffed(), "the SA up diffs its own key only");
        assertEquals(1, afterDown.lastKeysDiffed(), "the SA down diffs its own key only");
        assertEquals(start.keysDiffed() + 2, afterDown.keysDiffed());
        assertEquals(1, afterDown.fullDiffs(), "no full diff for an event");
        List<Path> sent = fake.streamMessages.stream().flatMap(m -> m.getPathsList().stream()).toList();
        assertEquals(List.of("10.200.0.0/29", "10.200.0.0/29"), sent.stream().map(FakeGobgp::prefixOf).toList());
        assertEquals(List.of(false, true), sent.stream().map(Path::getIsWithdraw).toList());
        assertEquals(100_000, fake.paths("").size());
        assertEquals(100_000, sink.status().announced());
    }

    @Test
    void aBurstOfChangesToOneKeyWhileTheWorkerIsBusy_collapsesIntoTheNewest() throws Exception {
        sink = newSink();
        sync(desired(path("10.81.2.0/29", 100)), Map.of());
        fake.streamMessages.clear();
        CountDownLatch gate = new CountDownLatch(1);
        fake.streamGate = gate;
        sink.apply(List.of(PathUpdate.announce(path("10.81.3.0/29", 100))), Map.of());
        assertTrue(fake.streamHeld.tryAcquire(10, TimeUnit.SECONDS), "the worker is writing 10.81.3.0/29");
        SinkWorker.DiffCounts busy = sink.diffCounts();

        for (int pref = 1; pref <= 500; pref++) {
            sink.apply(List.of(PathUpdate.announce(path("10.81.4.0/29", pref))), Map.of());
        }
        fake.streamGate = null;
        gate.countDown();
        assertTrue(sink.awaitInSync(WAIT));

        SinkWorker.DiffCounts done = sink.diffCounts();
        assertEquals(499, done.coalesced() - busy.coalesced(), "500 changes to one key, 499 replaced");
        assertEquals(busy.changeDiffs() + 2, done.changeDiffs(), "the write in flight, then one for the burst");
        assertEquals(1, done.lastKeysDiffed());
        assertEquals(List.of("10.81.3.0/29", "10.81.4.0/29"), fake.streamMessages.stream()
                .flatMap(m -> m.getPathsList().stream()).map(FakeGobgp::prefixOf).toList(), "one write per key");
        Path last = fake.rib.values().stream().filter(p -> FakeGobgp.prefixOf(p).equals("10.81.4.0/29")).findFirst()
                .orElseThrow();
        assertEquals(PathCodec.announcement(path("10.81.4.0/29", 500), 21074), last, "the newest change wins");
    }

    @Test
    void moreKeysWaitingThanTheBound_becomeOneFullDiff() throws Exception {
        sink = newSink(SMALL_QUEUE);
        sync(desired(path("10.81.2.0/29", 100)), Map.of());
        CountDownLatch gate = new CountDownLatch(1);
        fake.streamGate = gate;
        sink.apply(List.of(PathUpdate.announce(path("10.81.3.0/29", 100))), Map.of());
        assertTrue(fake.streamHeld.tryAcquire(10, TimeUnit.SECONDS));
        for (int i = 4; i <= 8; i++) {
            sink.apply(List.of(PathUpdate.announce(path("10.81." + i + ".0/29", 100))), Map.of());
        }
        sink.apply(List.of(PathUpdate.withdraw(path("10.81.2.0/29", 100).key())), Map.of());
        fake.streamGate = null;
        gate.countDown();
        assertTrue(sink.awaitInSync(WAIT));

        SinkWorker.DiffCounts c = sink.diffCounts();
        assertEquals(1, c.overflows());
        assertEquals(2, c.fullDiffs(), "the first sync, then the overflow");
        assertEquals(Set.of("10.81.3.0/29", "10.81.4.0/29", "10.81.5.0/29", "10.81.6.0/29", "10.81.7.0/29",
                "10.81.8.0/29"), ribPrefixes(""));
    }

    @Test
    void aPathDeletedBehindOurBack_comesBackWithTheFullDiffAfterAReconnect() throws Exception {
        sink = newSink();
        sync(desired(path("10.81.2.0/29", 100), path("10.81.3.0/29", 100)), Map.of());
        fake.delete("", "10.81.3.0/29");

        // an event diffs its own key only: the drift stays until gobgpd's state is read again
        sync(desired(path("10.81.2.0/29", 100), path("10.81.3.0/29", 100), path("10.81.4.0/29", 100)), Map.of());
        assertEquals(Set.of("10.81.2.0/29", "10.81.4.0/29"), ribPrefixes(""));
        long fullBefore = sink.diffCounts().fullDiffs();

        fake.endWatches(); // the connection to gobgpd drops; gobgpd keeps its RIB
        assertTrue(waitUntil(() -> ribPrefixes("").contains("10.81.3.0/29")), "the missing path is re-announced");
        assertTrue(sink.awaitInSync(WAIT));
        assertEquals(Set.of("10.81.2.0/29", "10.81.3.0/29", "10.81.4.0/29"), ribPrefixes(""));
        assertEquals(fullBefore + 1, sink.diffCounts().fullDiffs());
        assertEquals(2.0, counter(Meters.SINK_RESYNCS, "sink", "gobgp"));
        List<Path> sent = fake.streamMessages.stream().flatMap(m -> m.getPathsList().stream()).toList();
        assertEquals(1, sent.stream().filter(p -> FakeGobgp.prefixOf(p).equals("10.81.2.0/29")).count(),
                "a path that stayed right is not sent again");
    }

    @Test
    void aPathGobgpdRefused_isTriedAgainWithTheNextChange() throws Exception {
        fake.rejectPrefixes.add("10.81.3.0/28");
        sink = newSink();
        sync(desired(path("10.81.2.0/29", 100), path("10.81.3.0/28", 100)), Map.of());
        assertEquals(Set.of("10.81.2.0/29"), ribPrefixes(""));
        fake.rejectPrefixes.clear(); // the cause is fixed on gobgpd's side

        sync(desired(path("10.81.2.0/29", 100), path("10.81.3.0/28", 100), path("10.81.4.0/28", 100)), Map.of());

        assertEquals(Set.of("10.81.2.0/29", "10.81.3.0/28", "10.81.4.0/28"), ribPrefixes(""));
        assertEquals(2, sink.diffCounts().lastKeysDiffed(), "the new key and the refused one");
    }

    @Test
    void aChangeOfTheVrfDefinitions_isDiffedWhole() throws Exception {
        VrfDefinition red = new VrfDefinition("red", "65000:10", List.of("65000:10"), List.of("65000:11"), "rri.conf", 3);
        BgpPath p = new BgpPath("red", Prefix.parse("10.81.2.0/29"), null, 2, null, 100L, List.of(), List.of(),
                List.of(), List.of());
        sink = newSink();
        sync(desired(p), Map.of());
        assertEquals(Set.of(), ribPrefixes("red"), "no VRF definition: the path waits");

        sync(desired(p), Map.of("red", red));

        assertEquals(Set.of("10.81.2.0/29"), ribPrefixes("red"));
        assertEquals(2, sink.diffCounts().fullDiffs());
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /** A DeletePath that names one path (never the flush-everything form). */
    static final class DeletePathRequestCheck {
        static boolean isFullPath(net.rrispeaker.gobgp.api.DeletePathRequest r) {
            return r.hasPath() && r.getPath().hasNlri() && r.getPath().hasFamily() && r.getPath().getIdentifier() == 21074;
        }
    }
}
