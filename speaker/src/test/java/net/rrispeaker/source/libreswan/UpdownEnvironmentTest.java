package net.rrispeaker.source.libreswan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UpdownEnvironmentTest {
    /** What pluto 4.10 sets for an up-client of a road-warrior instance (a subset: the rest is ignored). */
    private static Map<String, String> env(String verb) {
        Map<String, String> e = new HashMap<>();
        e.put("PLUTO_VERB", verb);
        e.put("PLUTO_CONNECTION", "spokes");
        e.put("PLUTO_CONNECTION_TYPE", "tunnel");
        e.put("PLUTO_ME", "192.0.2.1");
        e.put("PLUTO_MY_ID", "@hub");
        e.put("PLUTO_MY_CLIENT", "10.80.0.0/16");
        e.put("PLUTO_PEER", "198.51.100.10");
        e.put("PLUTO_PEER_ID", "CN=spoke10, O=Example");
        e.put("PLUTO_PEER_CLIENT", "10.81.10.0/24");
        e.put("PLUTO_PEER_CLIENT_NET", "10.81.10.0");
        e.put("PLUTO_PEER_CLIENT_MASK", "255.255.255.0");
        e.put("PLUTO_SA_REQID", "16389");
        e.put("PLUTO_SA_TYPE", "ESP");
        e.put("PLUTO_CONN_ADDRFAMILY", "ipv4");
        return e;
    }

    @Test
    void upClientIsTheSaBehindThePeer() {
        UpdownEnvironment.Event e = UpdownEnvironment.read(env("up-client"), false);
        assertEquals(UpdownEnvironment.Action.UP, e.action());
        assertNull(e.problem());
        assertEquals(new LibreswanSa("spokes", "198.51.100.10", "10.81.10.0/24", "CN=spoke10, O=Example", 16389), e.sa());
    }

    @Test
    void downClientNamesTheSameSaAsItsUpAndAsTheReconcile() {
        LibreswanSa up = UpdownEnvironment.read(env("up-client"), false).sa();
        Map<String, String> later = env("down-client");
        later.put("PLUTO_SA_REQID", "16393"); // another SA of the same pair, after a re-establishment
        UpdownEnvironment.Event down = UpdownEnvironment.read(later, false);
        assertEquals(UpdownEnvironment.Action.DOWN, down.action());
        assertEquals(up.childId(), down.sa().childId());
        // what the reconcile reads for it (no reqid, the ID as trafficstatus prints it)
        assertEquals(up.childId(), new LibreswanSa("spokes", "198.51.100.10", "10.81.10.0/24", "", 0).childId());
        // another peer, or another subnet of the same peer: another SA
        assertNotEquals(up.childId(), new LibreswanSa("spokes", "198.51.100.11", "10.81.10.0/24", "", 0).childId());
        assertNotEquals(up.childId(), new LibreswanSa("spokes", "198.51.100.10", "10.81.11.0/24", "", 0).childId());
        // the two parts cannot be shifted into each other
        assertNotEquals(LibreswanSa.childId("192.0.2.1", "0.0.0.0/0"), LibreswanSa.childId("192.0.2.10", ".0.0.0/0"));
        assertEquals(LibreswanSa.childId("2001:DB8::1", "FD00::/64"), LibreswanSa.childId("2001:db8::1", "fd00::/64"));
    }

    @ParameterizedTest
    @CsvSource({
            "up-client, false, UP", "down-client, false, DOWN", "up-client-v6, false, UP", "down-client-v6, false, DOWN",
            "up-host, false, IGNORE", "down-host-v6, false, IGNORE", "up-host, true, UP", "down-host-v6, true, DOWN",
            "prepare-client, true, IGNORE", "route-client, true, IGNORE", "unroute-client-v6, true, IGNORE",
            "prepare-host, true, IGNORE", "disconnectNM, true, IGNORE", "'', true, IGNORE", "up, true, IGNORE",
            "up-client-v6-v6, true, IGNORE", "UP-CLIENT, true, IGNORE", "'up-client ', true, IGNORE"})
    void onlyUpAndDownOfAnSaArePublished(String verb, boolean hosts, UpdownEnvironment.Action expected) {
        assertEquals(expected, UpdownEnvironment.read(env(verb), hosts).action());
    }

    @Test
    void routeVerbsOfAnAutoRouteConnectionWithoutAnSaAreIgnored() {
        Map<String, String> e = env("route-client");
        e.put("PLUTO_SA_TYPE", "none");
        e.put("PLUTO_PEER", "192.0.2.2");
        UpdownEnvironment.Event ev = UpdownEnvironment.read(e, true);
        assertEquals(UpdownEnvironment.Action.IGNORE, ev.action());
        assertNull(ev.sa());
    }

    @Test
    void aMissingOrEmptyVariableIsAProblemNotAGuess() {
        Map<String, String> e = env("up-client");
        e.remove("PLUTO_PEER_CLIENT");
        assertEquals("PLUTO_PEER_CLIENT is missing, empty or longer than 2048 characters",
                UpdownEnvironment.read(e, false).problem());
        e = env("down-client");
        e.put("PLUTO_PEER", "");
        assertEquals("PLUTO_PEER is missing, empty or longer than 2048 characters", UpdownEnvironment.read(e, false).problem());
        e = env("up-client");
        e.remove("PLUTO_CONNECTION");
        assertNull(UpdownEnvironment.read(e, false).sa());
    }

    @Test
    void hostileValuesAreCarriedAsTheyAreNeverInterpreted() {
        Map<String, String> e = env("up-client");
        String id = "'; rm -rf / #$(reboot)`id`\"\n006 #9: \"spokes\" 10.0.0.0/8";
        e.put("PLUTO_PEER_ID", id);
        e.put("PLUTO_SA_REQID", "16389; reboot");
        UpdownEnvironment.Event ev = UpdownEnvironment.read(e, false);
        assertEquals(id, ev.sa().peerId()); // for display; the speaker prints it escaped
        assertEquals(0, ev.sa().reqid()); // not a number: unknown
        // the peer's address and subnet are passed on as text: the speaker checks them (inet_ntop
        // forms, the selector parser, the prefix guard) and refuses what does not fit
        e.put("PLUTO_PEER_CLIENT", "0.0.0.0/0");
        assertEquals("0.0.0.0/0", UpdownEnvironment.read(e, false).sa().peerClient());
    }

    @Test
    void ipv6() {
        Map<String, String> e = env("up-client-v6");
        e.put("PLUTO_PEER", "2001:db8::10");
        e.put("PLUTO_PEER_CLIENT", "fd00:81:10::/64");
        e.put("PLUTO_CONN_ADDRFAMILY", "ipv6");
        LibreswanSa sa = UpdownEnvironment.read(e, false).sa();
        assertEquals("2001:db8::10", sa.peer());
        assertEquals("fd00:81:10::/64", sa.peerClient());
    }
}
