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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GobgpSinkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final SinkSettings FAST = new SinkSettings(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(5), 2, 100, Duration.ofMillis(5), Duration.ofMillis(20));

    private final FakeGobgp fake = new FakeGobgp();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Server server;
    private String name;
    private GobgpSink sink;

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
        ManagedChannel ch = InProcessChannelBuilder.forName(name).directExecutor().build();
        GobgpSink s = new GobgpSink("in-process", ch, GobgpSink.DEFAULT_PATH_IDENTIFIER, registry, FAST);
        s.start();
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

    private void sync(Map<BgpPath.Key, BgpPath> d, Map<String, VrfDefinition> vrfs) throws InterruptedException {
        sink.reconcile(d, vrfs);
        assertTrue(sink.awaitInSync(WAIT), "sink did not reach the desired state");
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
        sink.reconcile(desired(path("10.81.2.0/29", 100)), Map.of());
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
