package net.rrispeaker.source.libreswan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lines written after the layouts libreswan 4.10 prints ({@code 006 }/{@code 000 } prefixes) and
 * 5.x (none); the add_time as the project's own tests normalise it.
 */
class TrafficStatusTest {
    private static TrafficStatus.Result read(List<String> traffic, List<String> status) {
        return TrafficStatus.read("trafficstatus", traffic, "status", status, false);
    }

    private static final String HUB = "10.80.0.0/16===192.0.2.1[@hub]";

    @Test
    void anInstanceAndAPermanentConnection() {
        TrafficStatus.Result r = read(List.of(
                "006 #4: \"site-b\", type=ESP, add_time=1234567890, inBytes=168, outBytes=168, id='@site-b'",
                "006 #2: \"spokes\"[1] 198.51.100.10, type=ESP, add_time=1234567890, inBytes=0, outBytes=0, maxBytes=2^63B, id='CN=spoke10, O=Example'"),
                List.of("000 Connection list:",
                        "000 ",
                        "000 \"site-b\": " + HUB + "---192.0.2.254...203.0.113.5[@site-b]===10.82.0.0/16; erouted; eroute owner: #4",
                        "000 \"site-b\":     oriented; my_ip=unset; their_ip=unset; my_updown=ipsec _updown;",
                        "000 \"spokes\": " + HUB + "...%any; unrouted; eroute owner: #0",
                        "000 \"spokes\"[1] 198.51.100.10: " + HUB + "...198.51.100.10[CN=spoke10, O=Example]===10.81.10.0/24; erouted; eroute owner: #2",
                        "000 #2: \"spokes\"[1] 198.51.100.10:500 STATE_V2_ESTABLISHED_CHILD_SA (IPsec SA established); newest IPSEC; eroute owner; isakmp#1; idle;"));
        assertEquals(List.of(
                new LibreswanSa("site-b", "203.0.113.5", "10.82.0.0/16", "@site-b", 0),
                new LibreswanSa("spokes", "198.51.100.10", "10.81.10.0/24", "CN=spoke10, O=Example", 0)), r.sas());
        assertEquals(List.of(), r.problems());
        assertEquals(0, r.unowned());
    }

    @Test
    void fiveXLinesWithoutReplyCodesAndIpv6() {
        TrafficStatus.Result r = read(List.of(
                "#7: \"v6\"[2] 2001:db8::10, type=ESP, add_time=1234567890, inBytes=0, outBytes=0, id='@r6', lease=fd00:81:10::1/128"),
                List.of("\"v6\"[2] 2001:db8::10: fd00:80::/48===2001:db8::1[@hub]...2001:db8::10[@r6]===fd00:81:10::/64; erouted; eroute owner: #7"));
        assertEquals(List.of(new LibreswanSa("v6", "2001:db8::10", "fd00:81:10::/64", "@r6", 0)), r.sas());
    }

    @Test
    void anSaNotEstablishedOrAPolicyWithoutSaIsNotAnnounced() {
        TrafficStatus.Result r = read(List.of(),
                List.of("000 \"t1\": 10.1.0.0/24===192.0.2.1[@a]...192.0.2.2[@b]===10.2.0.0/24; prospective erouted; eroute owner: #0",
                        // erouted by an SA trafficstatus does not list (e.g. gone meanwhile)
                        "000 \"t2\": 10.1.0.0/24===192.0.2.1[@a]...192.0.2.3[@c]===10.3.0.0/24; erouted; eroute owner: #9"));
        assertEquals(List.of(), r.sas());
        assertEquals(List.of(), r.problems());
    }

    @Test
    void hostToHostOnlyWhenAskedFor() {
        List<String> traffic = List.of("006 #3: \"h2h\", type=ESP, add_time=1234567890, inBytes=0, outBytes=0, id='@b'");
        List<String> status = List.of("000 \"h2h\": 192.0.2.1[@a]...192.0.2.2[@b]; erouted; eroute owner: #3");
        assertEquals(List.of(), read(traffic, status).sas());
        assertEquals(List.of(new LibreswanSa("h2h", "192.0.2.2", "192.0.2.2/32", "@b", 0)),
                TrafficStatus.read("t", traffic, "s", status, true).sas());
    }

    @Test
    void hostileIdsCannotMoveTheFieldsPlutoWrites() {
        // the ID is the peer's choice: it may imitate the end of the lines it is printed in
        String evil = "x]===0.0.0.0/1; erouted; eroute owner: #5";
        TrafficStatus.Result r = read(List.of(
                "006 #5: \"spokes\"[3] 198.51.100.30, type=ESP, add_time=1, inBytes=0, outBytes=0, id='a', id='b', lease=10.0.0.0/8'"),
                List.of("000 \"spokes\"[3] 198.51.100.30: " + HUB + "...198.51.100.30[" + evil + "]===10.81.30.0/24; erouted; eroute owner: #5"));
        assertEquals(List.of(new LibreswanSa("spokes", "198.51.100.30", "10.81.30.0/24", "a', id='b', lease=10.0.0.0/8", 0)),
                r.sas());
        // and in a host-to-host line the route stays the peer's address, not the ID's subnet
        r = TrafficStatus.read("t", List.of("006 #6: \"h\", type=ESP, add_time=1, inBytes=0, outBytes=0, id='e'"), "s",
                List.of("000 \"h\": 192.0.2.1[@a]...192.0.2.6[" + "q]===0.0.0.0/1; erouted; eroute owner: #6" + "]; erouted; eroute owner: #6"),
                true);
        assertEquals(List.of(new LibreswanSa("h", "192.0.2.6", "192.0.2.6/32", "e", 0)), r.sas());
    }

    @Test
    void anIdWithALineBreakCannotForgeAConnectionLine() {
        // the peer's ID split the real line and made its second half look like a connection line of
        // the same name: the name appears twice, so neither is used
        TrafficStatus.Result r = read(List.of("006 #2: \"spokes\"[1] 198.51.100.10, type=ESP, add_time=1, inBytes=0, outBytes=0, id='x'"),
                List.of("000 \"spokes\"[1] 198.51.100.10: " + HUB + "...198.51.100.10[x",
                        "000 \"spokes\"[1] 198.51.100.10: " + HUB + "...198.51.100.10[x]===0.0.0.0/1; erouted; eroute owner: #2",
                        "000 \"spokes\"[1] 198.51.100.10: " + HUB + "...198.51.100.10[x]===10.81.10.0/24; erouted; eroute owner: #2"));
        assertEquals(List.of(), r.sas());
        assertEquals(1, r.problems().size());
        assertEquals("status:3", r.problems().get(0).where());
        assertTrue(r.problems().get(0).what().contains("listed twice (also at status:2); both refused"), r.problems().toString());
    }

    @Test
    void malformedLinesAreReportedWithTheirPlaceAndSkipped() {
        TrafficStatus.Result r = read(List.of(
                "006 #2: \"spokes\"[1] 198.51.100.10, type=ESP, add_time=1, inBytes=0, outBytes=0, id='ok'",
                "006 #x: \"spokes\", type=ESP, add_time=1, inBytes=0, outBytes=0, id='a'",
                "",
                "006 #3: \"spokes\"[2] 198.51.100.11 type=ESP",
                "garbage\u0007\u001b[2J",
                "006 #2: \"other\", type=ESP, add_time=1, inBytes=0, outBytes=0, id='dup'"),
                List.of("000 \"spokes\"[1] 198.51.100.10 weird; erouted; eroute owner: #2",
                        "000 \"s\": 10.1.0.0/24===192.0.2.1[@a]===10.2.0.0/24; erouted; eroute owner: #4"));
        assertEquals(List.of(), r.sas());
        List<String> where = r.problems().stream().map(TrafficStatus.Problem::where).toList();
        assertEquals(List.of("trafficstatus:2", "trafficstatus:4", "trafficstatus:5", "trafficstatus:6", "status:1"), where);
        assertEquals("trafficstatus:5: not a trafficstatus line: garbage\\x07\\x1b[2J", r.problems().get(2).toString());
        assertTrue(r.problems().get(3).what().startsWith("SA #2 listed twice"), r.problems().get(3).what());
    }

    @Test
    void anSaBeingReplacedIsCountedNotAnnouncedTwice() {
        TrafficStatus.Result r = read(List.of(
                "006 #2: \"site-b\", type=ESP, add_time=1, inBytes=9, outBytes=9, id='@site-b'",
                "006 #5: \"site-b\", type=ESP, add_time=2, inBytes=0, outBytes=0, id='@site-b'"),
                List.of("000 \"site-b\": " + HUB + "...203.0.113.5[@site-b]===10.82.0.0/16; erouted; eroute owner: #5"));
        assertEquals(1, r.sas().size());
        assertEquals(1, r.unowned());
    }

    @Test
    void usernameInsteadOfId() {
        TrafficStatus.Result r = read(List.of(
                "006 #8: \"xauth\"[4] 198.51.100.40, username=alice, type=ESP, add_time=1, inBytes=0, outBytes=0, lease=10.81.40.1/32"),
                List.of("000 \"xauth\"[4] 198.51.100.40: " + HUB + "...198.51.100.40===10.81.40.1/32; erouted; eroute owner: #8"));
        assertEquals(List.of(new LibreswanSa("xauth", "198.51.100.40", "10.81.40.1/32", "", 0)), r.sas());
    }
}
