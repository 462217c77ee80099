package net.rrispeaker.control;

import static net.rrispeaker.control.InProcessSpeaker.sa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.rrispeaker.control.api.ComponentStatus;
import net.rrispeaker.control.api.CryptoRoute;
import net.rrispeaker.control.api.ReloadRequest;
import net.rrispeaker.control.api.ReloadResponse;
import net.rrispeaker.control.api.RriControlGrpc;
import net.rrispeaker.control.api.SaEntry;
import net.rrispeaker.control.api.ShowCryptoRouteRequest;
import net.rrispeaker.control.api.ShowSaRequest;
import net.rrispeaker.control.api.StatusRequest;
import net.rrispeaker.control.api.StatusResponse;
import net.rrispeaker.control.api.RedundancyGroupStatus;
import net.rrispeaker.control.api.VrrpNotifyRequest;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control API's RPCs against a real core fed SA events, over an in-process channel. */
class ControlServiceTest {
    @TempDir
    Path dir;
    private InProcessSpeaker speaker;
    private RriControlGrpc.RriControlBlockingStub stub;

    private void start(String config) throws Exception {
        speaker = new InProcessSpeaker(dir, config);
        stub = RriControlGrpc.newBlockingStub(speaker.channel());
    }

    @AfterEach
    void stop() {
        if (speaker != null) {
            speaker.close();
        }
    }

    /** One route as "vrf prefix via next-hop/interface [distance/tag] kind origin owners". */
    private static String describe(CryptoRoute r) {
        return (r.getVrf().isEmpty() ? "-" : r.getVrf()) + " " + r.getPrefix() + " via "
                + (r.getNextHop().isEmpty() ? r.getInterface() : r.getNextHop())
                + " [" + r.getDistance() + "/" + r.getTag() + "] " + r.getKind() + " (" + r.getOrigin() + ") owners "
                + r.getOwners() + (r.getWithdrawing() ? " withdrawing" : "");
    }

    private List<String> cryptoRoutes(String vrf) {
        return stub.showCryptoRoute(ShowCryptoRouteRequest.newBuilder().setVrf(vrf).build()).getRoutesList().stream()
                .map(ControlServiceTest::describe).toList();
    }

    @Test
    void showCryptoRouteListsEveryTablesRoutesWithDistanceTagKindAndWhatCreatedThem() throws Exception {
        start(InProcessSpeaker.CONFIG);
        speaker.threeTunnelsUp();
        assertEquals(List.of(
                "- 10.5.0.0/16 via Tunnel5 [1/0] VTI (profile vti) owners 1",
                "- 10.9.0.0/16 via Null0 [250/9] M (ip route (line 20)) owners 1",
                "- 10.81.2.0/29 via 192.0.2.2 [20/5] RRI (dynamic-map DYN 10) owners 1",
                "- fd00:81:2::/64 via 192.0.2.2 [20/5] RRI (dynamic-map DYN 10) owners 1",
                "red 10.50.0.0/24 via 198.51.100.3 [1/0] RRI (dynamic-map DYN 20) owners 1"), cryptoRoutes(""));
    }

    @Test
    void showCryptoRouteForOneVrfShowsOnlyThatTable() throws Exception {
        start(InProcessSpeaker.CONFIG);
        speaker.threeTunnelsUp();
        assertEquals(List.of("red 10.50.0.0/24 via 198.51.100.3 [1/0] RRI (dynamic-map DYN 20) owners 1"),
                cryptoRoutes("red"));
        assertEquals(List.of(), cryptoRoutes("blue"), "a VRF without routes is an empty table, not an error");
    }

    @Test
    void aRouteWhoseTunnelWentDownShowsAsWithdrawingWhileItWaitsOutTheWithdrawDelay() throws Exception {
        start(InProcessSpeaker.CONFIG.replace("rri withdraw-delay 0", "rri withdraw-delay 3600000"));
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29")));
        speaker.submit(new SaEvent.ChildDown(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29")));
        assertEquals(List.of(
                "- 10.9.0.0/16 via Null0 [250/9] M (ip route (line 20)) owners 1",
                "- 10.81.2.0/29 via 192.0.2.2 [20/5] RRI (dynamic-map DYN 10) owners 0 withdrawing"), cryptoRoutes(""));
        speaker.submit(new SaEvent.ChildUp(sa("spokes", 3, "192.0.2.2", "10.81.2.0/29")));
        assertTrue(cryptoRoutes("").contains("- 10.81.2.0/29 via 192.0.2.2 [20/5] RRI (dynamic-map DYN 10) owners 1"),
                "the tunnel came back within the delay: the same route, owned again");
    }

    @Test
    void showSaListsEachTunnelWithItsRemoteSelectorsAndTheRoutesItOwns() throws Exception {
        start(InProcessSpeaker.CONFIG);
        speaker.threeTunnelsUp();
        speaker.submit(new SaEvent.ChildUp(sa("roadwarrior", 9, "203.0.113.9", "10.99.0.0/24")));
        List<SaEntry> sas = stub.showSa(ShowSaRequest.getDefaultInstance()).getSasList();
        assertEquals(4, sas.size());
        SaEntry spoke = find(sas, "spokes");
        assertEquals(2, spoke.getChildId());
        assertEquals("192.0.2.2", spoke.getRemoteHost());
        assertEquals("spoke-2", spoke.getRemoteId());
        assertEquals(List.of("10.81.2.0/29", "fd00:81:2::/64"), spoke.getRemoteTsList());
        assertEquals(List.of("10.81.2.0/29 via 192.0.2.2", "fd00:81:2::/64 via 192.0.2.2"), spoke.getRoutesList());
        assertEquals(List.of("10.50.0.0/24 via 198.51.100.3 vrf red"), find(sas, "red-1").getRoutesList());
        assertEquals(List.of("10.5.0.0/16 via Tunnel5"), find(sas, "branch-7").getRoutesList());
        assertEquals(List.of(), find(sas, "roadwarrior").getRoutesList(), "no crypto map covers it: up, but no route");
    }

    private static SaEntry find(List<SaEntry> sas, String connection) {
        return sas.stream().filter(e -> e.getConnection().equals(connection)).findFirst().orElseThrow();
    }

    @Test
    void statusCountsWhatTheCoreHoldsAndSaysWhichComponentIsDown() throws Exception {
        start(InProcessSpeaker.CONFIG);
        speaker.threeTunnelsUp();
        speaker.component("gobgp", false, "DOWN (127.0.0.1:50051)");
        StatusResponse s = stub.status(StatusRequest.getDefaultInstance());
        assertEquals(speaker.file.toString(), s.getConfigFile());
        assertEquals(3, s.getSas());
        assertEquals(5, s.getRoutes());
        assertEquals(5, s.getDesiredPaths(), "every route is redistributed: one path per destination");
        assertEquals(List.of(
                        ComponentStatus.newBuilder().setName("gobgp").setConnected(false)
                                .setDetail("DOWN (127.0.0.1:50051)").build(),
                        ComponentStatus.newBuilder().setName("vici").setConnected(true)
                                .setDetail("connected to the test").build()),
                s.getComponentsList());
    }

    @Test
    void reloadOfAValidFileAppliesItAndOnlyTheChangedMapsRoutesChange() throws Exception {
        start(InProcessSpeaker.CONFIG);
        speaker.threeTunnelsUp();
        Files.writeString(speaker.file, InProcessSpeaker.CONFIG.replace("set reverse-route tag 5", "set reverse-route tag 6"));
        ReloadResponse r = stub.reload(ReloadRequest.getDefaultInstance());
        assertTrue(r.getApplied(), r.getProblemsList().toString());
        assertEquals(List.of(
                "- 10.5.0.0/16 via Tunnel5 [1/0] VTI (profile vti) owners 1",
                "- 10.9.0.0/16 via Null0 [250/9] M (ip route (line 20)) owners 1",
                "- 10.81.2.0/29 via 192.0.2.2 [20/6] RRI (dynamic-map DYN 10) owners 1",
                "- fd00:81:2::/64 via 192.0.2.2 [20/6] RRI (dynamic-map DYN 10) owners 1",
                "red 10.50.0.0/24 via 198.51.100.3 [1/0] RRI (dynamic-map DYN 20) owners 1"), cryptoRoutes(""));
    }

    @Test
    void reloadOfABrokenFileIsRefusedNamingFileAndLineAndChangesNothing() throws Exception {
        start(InProcessSpeaker.CONFIG);
        speaker.threeTunnelsUp();
        List<String> before = cryptoRoutes("");
        StatusResponse statusBefore = stub.status(StatusRequest.getDefaultInstance());
        Files.writeString(speaker.file, InProcessSpeaker.CONFIG
                .replace("set reverse-route tag 5", "set reverse-route tag 6")  // valid, but must not be applied
                .replace("crypto map VPN 10 ipsec-isakmp dynamic DYN", "crypto map VPN 10 ipsec-isakmp dynamic DNY"));
        ReloadResponse r = stub.reload(ReloadRequest.getDefaultInstance());
        assertFalse(r.getApplied());
        assertEquals(List.of(speaker.file + ":15: error: crypto map VPN 10: dynamic-map 'DNY' is not defined"),
                r.getProblemsList());
        assertEquals(before, cryptoRoutes(""), "the previous configuration keeps running, tag 5 and all");
        assertEquals(statusBefore, stub.status(StatusRequest.getDefaultInstance()));
    }

    @Test
    void aCoreThatHasStoppedIsReportedUnavailableNotAsAnInternalError() throws Exception {
        start(InProcessSpeaker.CONFIG);
        speaker.speaker().close();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.showCryptoRoute(ShowCryptoRouteRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals("the speaker is stopping", e.getStatus().getDescription());
    }

    @Test
    void vrrpNotifyMovesTheGroupAndStatusAndShowCryptoRouteShowIt() throws Exception {
        start(InProcessSpeaker.CONFIG.replace("router bgp 65000", """
                rri redundancy HA vrrp-instance RRI
                rri redundancy notify-fifo /run/keepalived/rri.fifo
                interface eth0
                 crypto map VPN redundancy HA
                router bgp 65000"""));
        speaker.threeTunnelsUp();
        speaker.settle();
        RedundancyGroupStatus g = stub.status(StatusRequest.getDefaultInstance()).getRedundancyGroups(0);
        assertEquals("HA", g.getName());
        assertEquals("UNKNOWN", g.getState());
        assertEquals(-1, g.getSinceSeconds());
        assertFalse(g.getActive());
        assertEquals(List.of("VPN"), g.getMapsList());
        CryptoRoute spoke = stub.showCryptoRoute(ShowCryptoRouteRequest.getDefaultInstance()).getRoutesList().stream()
                .filter(r -> r.getPrefix().equals("10.81.2.0/29")).findFirst().orElseThrow();
        assertEquals("HA STANDBY", spoke.getRedundancyGroup());

        assertEquals(List.of("HA"), stub.vrrpNotify(VrrpNotifyRequest.newBuilder().setType("INSTANCE").setName("RRI")
                .setState("MASTER").setPriority("150").build()).getGroupsChangedList());
        g = stub.status(StatusRequest.getDefaultInstance()).getRedundancyGroups(0);
        assertEquals("MASTER", g.getState());
        assertEquals(150, g.getPriority());
        assertTrue(g.getActive());

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.vrrpNotify(
                VrrpNotifyRequest.newBuilder().setType("INSTANCE").setName("RRI").setState("ACTIVE")
                        .setPriority("150").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("vrrp-notify: state 'ACTIVE'"), e.getStatus().getDescription());
    }
}
