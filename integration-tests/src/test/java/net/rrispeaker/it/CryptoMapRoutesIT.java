package net.rrispeaker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.rrispeaker.control.api.CryptoRoute;
import net.rrispeaker.gobgp.api.CommunitiesAttribute;
import net.rrispeaker.gobgp.api.ExtendedCommunitiesAttribute;
import net.rrispeaker.gobgp.api.Family;
import net.rrispeaker.gobgp.api.GobgpApiGrpc;
import net.rrispeaker.gobgp.api.IPAddressPrefix;
import net.rrispeaker.gobgp.api.LabeledVPNIPAddressPrefix;
import net.rrispeaker.gobgp.api.ListPathRequest;
import net.rrispeaker.gobgp.api.ListPathResponse;
import net.rrispeaker.gobgp.api.MpReachNLRIAttribute;
import net.rrispeaker.gobgp.api.RouteDistinguisherTwoOctetASN;
import net.rrispeaker.gobgp.api.TableType;
import net.rrispeaker.gobgp.api.TwoOctetAsSpecificExtended;
import net.rrispeaker.lab.Await;
import net.rrispeaker.lab.Exec;
import net.rrispeaker.lab.GobgpObserver;
import net.rrispeaker.lab.GobgpObserver.PathView;
import net.rrispeaker.lab.Lab;
import net.rrispeaker.lab.SpeakerProcess;
import net.rrispeaker.lab.Template;
import net.rrispeaker.lab.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * End to end: static crypto maps, {@code remote-peer IP gateway}, a VRF and a config
 * reload (control RPC and SIGHUP) with the real speaker between a real hub charon and a real gobgpd. One lab for the class;
 * besides the harness's own connection the hub has three more (site82/83/84), one per crypto map of
 * {@code rri3-speaker.conf.tmpl}, each brought up by the spoke under its own identity. The speaker
 * announces each route's own next hop ({@code rri bgp next-hop route}), so gobgpd's RIB shows the
 * next hops Cisco's documents describe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CryptoMapRoutesIT {
    private static final long OUR_PATH_ID = 21074;
    private static final Duration CONVERGE = Duration.ofSeconds(20);
    /** Several times the speaker's 200 ms withdraw delay. */
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final Family VPNV4 = Family.newBuilder().setAfi(Family.Afi.AFI_IP)
            .setSafi(Family.Safi.SAFI_MPLS_VPN).build();

    private static final String STATIC_NET = "10.82.0.0/16";
    private static final String GW_LAN = "10.83.3.0/24";
    private static final String PEER_HOST = Topology.SPOKE_WAN + "/32";
    private static final String VRF_LAN = "10.84.4.0/24";
    private static final String VRF = "CUST";
    private static final String RD = "65000:42";
    /** How {@link GobgpObserver} names the prefix of a VPNv4 event: the NLRI's type URL. */
    private static final String VPN_NLRI = Any.pack(LabeledVPNIPAddressPrefix.getDefaultInstance()).getTypeUrl();

    private Lab lab;
    private SpeakerProcess speaker;
    private GobgpObserver gobgp;
    private ManagedChannel vpnChannel;
    private Path config;

    @RegisterExtension
    final TestWatcher diagnostics = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            report(context.getDisplayName());
        }
    };

    @BeforeAll
    void startLabAndSpeaker() {
        lab = Lab.start();
        try {
            lab.hub().addSwanctlConfig("rri3-hub-swanctl.conf.tmpl", Map.of());
            lab.spoke().addSwanctlConfig("rri3-spoke-swanctl.conf.tmpl", Map.of());
            // charon (libipsec) routes each tunnel from an address inside its local selector
            for (String addr : List.of("10.82.0.1/16", "10.83.3.1/24", "10.84.4.1/24")) {
                lab.spoke().netns().exec("ip", "addr", "add", addr, "dev", "lan0").check();
            }
            for (String addr : List.of("10.80.82.1/32", "10.80.83.1/32", "10.80.84.1/32")) {
                lab.hub().netns().exec("ip", "addr", "add", addr, "dev", "lo").check();
            }
            config = lab.dir().resolve("rri3-speaker.conf");
            writeConfig(renderConfig(7));
            speaker = new SpeakerProcess(lab, SpeakerProcess.defaultJar(), config);
            speaker.start();
            gobgp = new GobgpObserver(lab.gobgpSocket());
            gobgp.watch();
            vpnChannel = Grpc.newChannelBuilder("unix://" + lab.gobgpSocket(), InsecureChannelCredentials.create()).build();
        } catch (RuntimeException | Error e) {
            report("start");
            throw e;
        }
    }

    @AfterAll
    void stopEverything() {
        if (vpnChannel != null) {
            vpnChannel.shutdownNow();
        }
        if (gobgp != null) {
            gobgp.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    /**
     * {@code reverse-route static} on a static map: the crypto ACL's destination via the first
     * {@code set peer}, kind S, present before the tunnel was ever up, and neither withdrawn nor
     * changed while the tunnel comes up and goes down again.
     */
    @Test
    @Order(1)
    void staticMapRouteIsPresentWhileTheTunnelIsDownAndSurvivesUpAndDown() {
        assertEquals(0, installed("site82"), "site82 tunnel never initiated");
        PathView p = awaitOurs(STATIC_NET, Topology.SPOKE_WAN);
        assertEquals(List.of("65000:7"), p.communities(), STATIC_NET + " communities (tag 7)");
        CryptoRoute r = route("", STATIC_NET);
        assertEquals(Topology.SPOKE_WAN, r.getNextHop(), "show crypto route next hop: " + r);
        assertEquals("S", r.getKind(), "show crypto route code: " + r);
        assertEquals(7, r.getTag(), "show crypto route tag: " + r);
        assertEquals(1, r.getDistance(), "show crypto route distance: " + r);
        List<CryptoRoute> before = speaker.cryptoRoutes();

        int mark = gobgp.mark();
        initiate("to82", "net82");
        Await.until(CONVERGE, "hub: site82 CHILD_SA installed", () -> installed("site82") == 1);
        assertEquals(before, speaker.cryptoRoutes(), "a static map's SA adds no route of its own");
        terminate("to82");
        Await.until(CONVERGE, "hub: site82 CHILD_SA gone", () -> installed("site82") == 0);
        Await.holdsFor(QUIET, STATIC_NET + " still announced via the spoke",
                () -> ours(STATIC_NET).size() == 1 && Topology.SPOKE_WAN.equals(ours(STATIC_NET).get(0).nextHop()));
        gobgp.barrier();
        assertEquals(List.of(), events(mark, Set.of(STATIC_NET)), "events for " + STATIC_NET + " during tunnel up/down");
        assertEquals(before, speaker.cryptoRoutes(), "show crypto route after tunnel up/down");
    }

    /**
     * {@code reverse-route remote-peer IP gateway} ([RRI-IOS] "Gateway Option", 12.4(15)T): two routes, the spoke's
     * LAN via the remote peer and the peer /32 via IP, both in the global table, both kind RRI.
     */
    @Test
    @Order(2)
    void remotePeerGatewayAnnouncesTheLanViaThePeerAndThePeerViaTheGateway() {
        initiate("to83", "net83");
        PathView lan = awaitOurs(GW_LAN, Topology.SPOKE_WAN);
        PathView peer = awaitOurs(PEER_HOST, Topology.CORE_HUB4);
        assertEquals(List.of("65000:8"), lan.communities(), GW_LAN + " communities (tag 8)");
        assertEquals(List.of("65000:8"), peer.communities(), PEER_HOST + " communities (tag 8)");

        CryptoRoute lanRoute = route("", GW_LAN);
        assertEquals(Topology.SPOKE_WAN, lanRoute.getNextHop(), "show crypto route: " + lanRoute);
        assertEquals("RRI", lanRoute.getKind(), "show crypto route: " + lanRoute);
        CryptoRoute peerRoute = route("", PEER_HOST);
        assertEquals(Topology.CORE_HUB4, peerRoute.getNextHop(), "show crypto route: " + peerRoute);
        assertEquals("RRI", peerRoute.getKind(), "show crypto route: " + peerRoute);
        assertEquals(Set.of(GW_LAN, PEER_HOST), prefixesOf("crypto map GMAP 10"), "routes of crypto map GMAP 10");
    }

    /**
     * A map bound to VRF CUST (isakmp profile P): the route is in gobgpd's VRF CUST, i.e. a VPNv4
     * path with RD 65000:42 and the VRF's export RT, and not in the global IPv4 table.
     */
    @Test
    @Order(3)
    void vrfMapPutsTheRouteIntoGobgpdsVrfWithItsRd() {
        int mark = gobgp.mark();
        initiate("to84", "net84");
        Await.until(CONVERGE, VRF_LAN + " in gobgpd VRF " + VRF, () -> vrfPrefixes(VRF).contains(VRF_LAN));
        List<VpnPath> vpn = vpnPaths().stream().filter(v -> v.prefix().equals(VRF_LAN)).toList();
        assertEquals(1, vpn.size(), "VPNv4 paths for " + VRF_LAN + ": " + vpnPaths());
        assertEquals(RD, vpn.get(0).rd(), "RD of " + VRF_LAN);
        assertEquals(Topology.SPOKE_WAN, vpn.get(0).nextHop(), "next hop of " + VRF_LAN);
        assertTrue(vpn.get(0).routeTargets().contains(RD), "RTs of " + VRF_LAN + ": " + vpn.get(0).routeTargets());
        assertEquals(OUR_PATH_ID, vpn.get(0).identifier(), "path identifier of " + VRF_LAN);
        assertEquals(List.of(), gobgp.paths(VRF_LAN), VRF_LAN + " must not be in the global IPv4 table");
        // the event stream reports VPN paths too (the observer names them by NLRI type), so the
        // reload scenario's "no other event" covers the VRF path as well; gobgpd also announces
        // a route-target membership (RTC) path when the speaker creates the VRF
        gobgp.barrier();
        List<PathView> evs = events(mark, Set.of());
        assertTrue(evs.stream().anyMatch(e -> e.prefix().equals(VPN_NLRI) && !e.withdraw()),
                "events while the VRF tunnel came up: " + describe(evs));

        CryptoRoute r = route(VRF, VRF_LAN);
        assertEquals(Topology.SPOKE_WAN, r.getNextHop(), "show crypto route: " + r);
        assertEquals("RRI", r.getKind(), "show crypto route: " + r);
        assertEquals(9, r.getTag(), "show crypto route: " + r);
    }

    /**
     * A reload that changes only the static map's tag: on gobgpd's event stream only that map's
     * path changes (re-announced with the new community); the gateway map's two paths and the VRF
     * path see no event at all.
     */
    @Test
    @Order(4)
    void reloadChangingOneMapChangesOnlyThatMapsPaths() {
        awaitAllAnnounced();
        Map<String, CryptoRoute> before = routesByKey();
        int mark = gobgp.mark();
        writeConfig(renderConfig(17));
        Exec.Result r = reload();
        assertEquals(0, r.exitCode(), "reload: " + r.stdout() + r.stderr());
        Await.until(CONVERGE, STATIC_NET + " re-announced with community 65000:17",
                () -> ours(STATIC_NET).size() == 1 && ours(STATIC_NET).get(0).communities().equals(List.of("65000:17")));
        Await.holdsFor(QUIET, "every path still announced", this::allAnnounced);
        gobgp.barrier();
        List<PathView> evs = events(mark, Set.of());
        assertTrue(evs.stream().allMatch(e -> e.prefix().equals(STATIC_NET) && !e.withdraw()),
                "events after the reload: only announcements of " + STATIC_NET + ", got " + describe(evs));
        assertTrue(!evs.isEmpty(), "the tag change must reach gobgpd as an event");
        assertEquals(List.of("65000:17"), evs.get(evs.size() - 1).communities(), "last event: " + describe(evs));
        System.out.println("reload (tag 7 -> 17 on crypto map SMAP): gobgpd events " + describe(evs));

        Map<String, CryptoRoute> after = routesByKey();
        assertEquals(17, after.get("|" + STATIC_NET).getTag(), "show crypto route tag after reload");
        before.remove("|" + STATIC_NET);
        after.remove("|" + STATIC_NET);
        assertEquals(stable(before), stable(after), "the other maps' routes after the reload");
    }

    /**
     * A reload of a file with an error is refused: the CLI exits non-zero naming file:line, and
     * neither the speaker's table nor gobgpd change.
     */
    @Test
    @Order(5)
    void reloadWithAConfigErrorIsRefusedAndChangesNothing() {
        awaitAllAnnounced();
        String good = renderConfig(17);
        String bad = good.replace("set reverse-route tag 17", "set reverse-route tag banana");
        int line = lineOf(bad, "set reverse-route tag banana");
        Map<String, CryptoRoute> before = routesByKey();
        int mark = gobgp.mark();
        writeConfig(bad);
        Exec.Result r = reload();
        String out = r.stdout() + r.stderr();
        assertNotEquals(0, r.exitCode(), "reload of a bad config must fail: " + out);
        assertTrue(out.contains(config + ":" + line + ":"), "expected " + config + ":" + line + " in: " + out);
        assertTrue(out.contains("banana"), "expected the offending token in: " + out);
        Await.holdsFor(QUIET, "every path still announced", this::allAnnounced);
        gobgp.barrier();
        assertEquals(List.of(), describe(events(mark, Set.of())), "events after a refused reload");
        assertEquals(stable(before), stable(routesByKey()), "show crypto route after a refused reload");
        assertTrue(speaker.alive(), "speaker still running");
        writeConfig(good);
    }

    /**
     * A reload that changes the VRF map's tag: the SA's own route is recomputed, and only the VPN
     * path changes (re-announced with the new community); the global paths see no event.
     */
    @Test
    @Order(6)
    void reloadChangingTheVrfMapReannouncesOnlyTheVrfPath() {
        awaitAllAnnounced();
        int mark = gobgp.mark();
        writeConfig(renderConfig(17, true, 19));
        Exec.Result r = reload();
        assertEquals(0, r.exitCode(), "reload: " + r.stdout() + r.stderr());
        Await.until(CONVERGE, VRF_LAN + " in VRF " + VRF + " with community 65000:19",
                () -> speaker.cryptoRoutes().stream().anyMatch(c -> c.getVrf().equals(VRF) && c.getPrefix().equals(VRF_LAN)
                        && c.getTag() == 19) && vpnCommunities(VRF_LAN).equals(List.of("65000:19")));
        Await.holdsFor(QUIET, "every path still announced", this::allAnnounced);
        gobgp.barrier();
        List<PathView> evs = events(mark, Set.of());
        assertTrue(!evs.isEmpty() && evs.stream().allMatch(e -> e.prefix().equals(VPN_NLRI) && !e.withdraw()),
                "events after the reload: only announcements of the VPN path, got " + describe(evs));
    }

    /**
     * The other reload trigger: SIGHUP to the speaker process after the file changed only
     * the static map's tag. As with the control RPC, only that map's path changes on gobgpd's
     * event stream; the gateway and VRF paths see no event.
     */
    @Test
    @Order(7)
    void sighupReloadChangingOneMapChangesOnlyThatMapsPaths() {
        awaitAllAnnounced();
        Map<String, CryptoRoute> before = routesByKey();
        int applied = count(speaker.logText(), "reload applied from " + config);
        int mark = gobgp.mark();
        writeConfig(renderConfig(27, true, 19));
        speaker.hangUp();
        Await.until(CONVERGE, "speaker log: reload applied after SIGHUP",
                () -> count(speaker.logText(), "reload applied from " + config) > applied);
        Await.until(CONVERGE, STATIC_NET + " re-announced with community 65000:27",
                () -> ours(STATIC_NET).size() == 1 && ours(STATIC_NET).get(0).communities().equals(List.of("65000:27")));
        Await.holdsFor(QUIET, "every path still announced", this::allAnnounced);
        gobgp.barrier();
        List<PathView> evs = events(mark, Set.of());
        assertTrue(!evs.isEmpty() && evs.stream().allMatch(e -> e.prefix().equals(STATIC_NET) && !e.withdraw()),
                "events after SIGHUP: only announcements of " + STATIC_NET + ", got " + describe(evs));
        assertEquals(List.of("65000:27"), evs.get(evs.size() - 1).communities(), "last event: " + describe(evs));
        System.out.println("SIGHUP reload (tag 17 -> 27 on crypto map SMAP): gobgpd events " + describe(evs));

        Map<String, CryptoRoute> after = routesByKey();
        assertEquals(27, after.get("|" + STATIC_NET).getTag(), "show crypto route tag after SIGHUP");
        before.remove("|" + STATIC_NET);
        after.remove("|" + STATIC_NET);
        assertEquals(stable(before), stable(after), "the other maps' routes after SIGHUP");
    }

    /**
     * SIGHUP with a broken file: the speaker logs file:line, keeps running on the previous
     * configuration (its control API still answers with the same table) and gobgpd sees no event.
     */
    @Test
    @Order(8)
    void sighupWithABrokenFileChangesNothingAndTheSpeakerKeepsRunning() {
        awaitAllAnnounced();
        String good = renderConfig(27, true, 19);
        String bad = good.replace("set reverse-route tag 27", "set reverse-route tag banana");
        String where = config + ":" + lineOf(bad, "set reverse-route tag banana") + ":";
        Map<String, CryptoRoute> before = routesByKey();
        int refused = count(speaker.logText(), where);
        int mark = gobgp.mark();
        writeConfig(bad);
        speaker.hangUp();
        Await.until(CONVERGE, "speaker log names " + where + " after SIGHUP",
                () -> count(speaker.logText(), where) > refused);
        Await.holdsFor(QUIET, "every path still announced", this::allAnnounced);
        gobgp.barrier();
        assertEquals(List.of(), describe(events(mark, Set.of())), "events after SIGHUP with a broken file");
        assertTrue(speaker.alive(), "speaker still running after SIGHUP with a broken file");
        assertEquals(stable(before), stable(routesByKey()), "show crypto route (control API) after a refused SIGHUP");
        String log = speaker.logText();
        String tail = log.substring(log.lastIndexOf("reload refused"));
        assertTrue(tail.contains("banana"), "speaker log should name the offending token: " + tail);
        writeConfig(good);
    }

    /**
     * Removing {@code reverse-route static} from the static map by a reload withdraws its route
     * ([RRI-XE], [RRI-IOS]: routes are deleted when RRI is removed from the crypto map), and nothing else.
     */
    @Test
    @Order(9)
    void reloadRemovingReverseRouteStaticWithdrawsOnlyThatRoute() {
        awaitAllAnnounced();
        int mark = gobgp.mark();
        writeConfig(renderConfig(17, false, 19));
        Exec.Result r = reload();
        assertEquals(0, r.exitCode(), "reload: " + r.stdout() + r.stderr());
        Await.until(CONVERGE, STATIC_NET + " withdrawn from gobgpd", () -> ours(STATIC_NET).isEmpty());
        Await.holdsFor(QUIET, "the gateway and VRF paths still announced", () -> ours(GW_LAN).size() == 1
                && ours(PEER_HOST).size() == 1 && vrfPrefixes(VRF).contains(VRF_LAN));
        gobgp.barrier();
        List<PathView> evs = events(mark, Set.of());
        assertEquals(List.of("withdraw " + STATIC_NET), evs.stream().map(e -> (e.withdraw() ? "withdraw " : "announce ")
                + e.prefix()).toList(), "events after removing reverse-route static");
        assertTrue(speaker.cryptoRoutes().stream().noneMatch(c -> c.getPrefix().equals(STATIC_NET)),
                "show crypto route still lists " + STATIC_NET + ": " + speaker.cryptoRoutes());
    }

    /** Tunnels down: the gateway map's two routes and the VRF route go (they live only while the SA is up). */
    @Test
    @Order(10)
    void tunnelsDownWithdrawTheGatewayAndVrfRoutes() {
        terminate("to83");
        terminate("to84");
        Await.until(CONVERGE, GW_LAN + " and " + PEER_HOST + " withdrawn", () -> ours(GW_LAN).isEmpty() && ours(PEER_HOST).isEmpty());
        Await.until(CONVERGE, VRF_LAN + " gone from VRF " + VRF, () -> !vrfPrefixes(VRF).contains(VRF_LAN));
        assertEquals(List.of(), vpnPaths().stream().filter(v -> v.prefix().equals(VRF_LAN)).toList(), "VPNv4 paths left");
        assertEquals(List.of(), speaker.cryptoRoutes(), "show crypto route with every tunnel down and no static RRI");
    }

    // ------------------------------------------------------------------ helpers

    private String renderConfig(int staticTag) {
        return renderConfig(staticTag, true, 9);
    }

    /** The speaker config: SMAP's tag and whether it has {@code reverse-route static}, VMAP's tag. */
    private String renderConfig(int staticTag, boolean staticRri, int vrfTag) {
        return Template.render("rri3-speaker.conf.tmpl", Map.of("LAB", lab.dir().toString(),
                "SMAP_TAG", Integer.toString(staticTag),
                "SMAP_RRI", staticRri ? "reverse-route static" : "! reverse-route static removed",
                "VMAP_TAG", Integer.toString(vrfTag)));
    }

    private void writeConfig(String text) {
        try {
            Files.writeString(config, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static int lineOf(String text, String needle) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(needle + " not in config");
    }

    /** {@code java -jar rri-speaker.jar reload --control unix:SOCKET}: the control RPC. */
    private Exec.Result reload() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Exec.run(Duration.ofSeconds(60), Map.of(), List.of(java, "-jar", SpeakerProcess.defaultJar().toString(),
                "reload", "--control", "unix:" + lab.controlSocket()));
    }

    private void initiate(String ike, String child) {
        lab.spoke().swanctl("--initiate", "--ike", ike, "--child", child, "--timeout", "20").check();
    }

    private void terminate(String ike) {
        lab.spoke().swanctl("--terminate", "--ike", ike, "--timeout", "20").check();
    }

    /** CHILD_SAs the hub has INSTALLED under connection {@code conn}. */
    private int installed(String conn) {
        Exec.Result r = lab.hub().swanctl("--list-sas", "--ike", conn);
        if (!r.ok()) {
            return 0;
        }
        return (int) r.stdout().lines().filter(l -> l.contains("INSTALLED")).count();
    }

    private List<PathView> ours(String prefix) {
        return gobgp.paths(prefix).stream().filter(p -> p.identifier() == OUR_PATH_ID).toList();
    }

    private PathView awaitOurs(String prefix, String nextHop) {
        Await.until(CONVERGE, prefix + " announced in gobgpd via " + nextHop,
                () -> ours(prefix).size() == 1 && nextHop.equals(ours(prefix).get(0).nextHop()));
        return ours(prefix).get(0);
    }

    private boolean allAnnounced() {
        return ours(STATIC_NET).size() == 1 && ours(GW_LAN).size() == 1 && ours(PEER_HOST).size() == 1
                && vrfPrefixes(VRF).contains(VRF_LAN);
    }

    private void awaitAllAnnounced() {
        Await.until(CONVERGE, "static, gateway and VRF paths announced", this::allAnnounced);
    }

    /** Events since {@code mark}, the barrier probe left out; only {@code prefixes} if not empty. */
    private List<PathView> events(int mark, Set<String> prefixes) {
        return gobgp.eventsSince(mark).stream()
                .filter(e -> !e.prefix().equals(GobgpObserver.PROBE_PREFIX))
                .filter(e -> prefixes.isEmpty() || prefixes.contains(e.prefix()))
                .toList();
    }

    private static List<String> describe(List<PathView> events) {
        return events.stream().map(e -> (e.withdraw() ? "withdraw " : "announce ") + e.prefix() + " " + e.communities())
                .toList();
    }

    private CryptoRoute route(String vrf, String prefix) {
        List<CryptoRoute> found = speaker.cryptoRoutes().stream()
                .filter(r -> r.getVrf().equals(vrf) && r.getPrefix().equals(prefix)).toList();
        assertEquals(1, found.size(), "show crypto route entries for " + vrf + " " + prefix + ": " + found);
        return found.get(0);
    }

    private Set<String> prefixesOf(String origin) {
        return speaker.cryptoRoutes().stream().filter(r -> r.getOrigin().equals(origin)).map(CryptoRoute::getPrefix)
                .collect(Collectors.toSet());
    }

    private Map<String, CryptoRoute> routesByKey() {
        return speaker.cryptoRoutes().stream().collect(Collectors.toMap(r -> r.getVrf() + "|" + r.getPrefix(), r -> r,
                (a, b) -> a, java.util.TreeMap::new));
    }

    /** The route fields a reload must not touch (owners and withdraw state left out: SA bookkeeping). */
    private static Map<String, String> stable(Map<String, CryptoRoute> routes) {
        Map<String, String> out = new java.util.TreeMap<>();
        routes.forEach((k, r) -> out.put(k, r.getNextHop() + " " + r.getInterface() + " [" + r.getDistance() + "] tag "
                + r.getTag() + " " + r.getKind() + " " + r.getOrigin()));
        return out;
    }

    // ------------------------------------------------------------------ gobgpd VRF / VPNv4 view

    /** A VPNv4 path of gobgpd's global table. */
    private record VpnPath(String rd, String prefix, String nextHop, List<String> routeTargets, List<String> communities,
                           long identifier) {
    }

    private GobgpApiGrpc.GobgpApiBlockingStub gobgpStub() {
        return GobgpApiGrpc.newBlockingStub(vpnChannel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** Prefixes gobgpd lists for VRF {@code name} (ListPath, table VRF, IPv4 unicast). */
    private Set<String> vrfPrefixes(String name) {
        ListPathRequest req = ListPathRequest.newBuilder().setTableType(TableType.VRF).setName(name)
                .setFamily(GobgpObserver.IPV4).build();
        Set<String> out = new java.util.TreeSet<>();
        Iterator<ListPathResponse> it = gobgpStub().listPath(req);
        while (it.hasNext()) {
            for (net.rrispeaker.gobgp.api.Path p : it.next().getDestination().getPathsList()) {
                out.add(prefixOf(p.getNlri()));
            }
        }
        return out;
    }

    private List<VpnPath> vpnPaths() {
        ListPathRequest req = ListPathRequest.newBuilder().setTableType(TableType.GLOBAL).setFamily(VPNV4).build();
        List<VpnPath> out = new ArrayList<>();
        Iterator<ListPathResponse> it = gobgpStub().listPath(req);
        try {
            while (it.hasNext()) {
                for (net.rrispeaker.gobgp.api.Path p : it.next().getDestination().getPathsList()) {
                    LabeledVPNIPAddressPrefix n = p.getNlri().unpack(LabeledVPNIPAddressPrefix.class);
                    List<String> rts = new ArrayList<>();
                    String nextHop = null;
                    List<String> communities = new ArrayList<>();
                    for (Any a : p.getPattrsList()) {
                        if (a.is(CommunitiesAttribute.class)) {
                            for (int c : a.unpack(CommunitiesAttribute.class).getCommunitiesList()) {
                                communities.add((c >>> 16) + ":" + (c & 0xffff));
                            }
                        }
                        if (a.is(MpReachNLRIAttribute.class) && a.unpack(MpReachNLRIAttribute.class).getNextHopsCount() > 0) {
                            nextHop = a.unpack(MpReachNLRIAttribute.class).getNextHops(0);
                        }
                        if (a.is(ExtendedCommunitiesAttribute.class)) {
                            for (Any c : a.unpack(ExtendedCommunitiesAttribute.class).getCommunitiesList()) {
                                if (c.is(TwoOctetAsSpecificExtended.class)) {
                                    TwoOctetAsSpecificExtended t = c.unpack(TwoOctetAsSpecificExtended.class);
                                    rts.add(Integer.toUnsignedLong(t.getAsn()) + ":" + Integer.toUnsignedLong(t.getLocalAdmin()));
                                }
                            }
                        }
                    }
                    out.add(new VpnPath(rdText(n.getRd()), n.getPrefix() + "/" + n.getPrefixLen(), nextHop, rts,
                            communities, Integer.toUnsignedLong(p.getIdentifier())));
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("gobgpd VPNv4 path: not decodable (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** Communities of our VPNv4 path for {@code prefix}, or an empty list if there is none. */
    private List<String> vpnCommunities(String prefix) {
        return vpnPaths().stream().filter(v -> v.prefix().equals(prefix) && v.identifier() == OUR_PATH_ID)
                .map(VpnPath::communities).findFirst().orElse(List.of());
    }

    private static String rdText(Any rd) throws InvalidProtocolBufferException {
        if (rd.is(RouteDistinguisherTwoOctetASN.class)) {
            RouteDistinguisherTwoOctetASN r = rd.unpack(RouteDistinguisherTwoOctetASN.class);
            return Integer.toUnsignedLong(r.getAdmin()) + ":" + Integer.toUnsignedLong(r.getAssigned());
        }
        return rd.getTypeUrl();
    }

    private static String prefixOf(Any nlri) {
        try {
            if (nlri.is(IPAddressPrefix.class)) {
                IPAddressPrefix p = nlri.unpack(IPAddressPrefix.class);
                return p.getPrefix() + "/" + p.getPrefixLen();
            }
            if (nlri.is(LabeledVPNIPAddressPrefix.class)) {
                LabeledVPNIPAddressPrefix p = nlri.unpack(LabeledVPNIPAddressPrefix.class);
                return p.getPrefix() + "/" + p.getPrefixLen();
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("gobgpd nlri: not decodable (" + e.getMessage() + ")", e);
        }
        return nlri.getTypeUrl();
    }

    private void report(String what) {
        System.err.println("==== " + what + " failed; speaker log tail:");
        System.err.println(speaker == null ? "(speaker not started)" : speaker.logTail(80));
        System.err.println("==== gobgpd VRFs / VPNv4:");
        if (lab != null) {
            System.err.println(lab.gobgpd().cli("vrf").stdout());
            System.err.println(lab.gobgpd().cli("global", "rib", "-a", "vpnv4").stdout());
            System.err.println(lab.gobgpd().cli("global", "rib").stdout());
            System.err.println("==== lab:");
            System.err.println(lab.diagnostics());
        }
    }
}
