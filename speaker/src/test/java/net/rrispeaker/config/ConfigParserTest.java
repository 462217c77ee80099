package net.rrispeaker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.rrispeaker.model.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.ios.ConfigProblem;

class ConfigParserTest {

    static Config parse(String text) throws ConfigException {
        return ConfigParser.parse("rri.conf", text);
    }

    static List<String> errors(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(text));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    static List<String> notes(Config c) {
        return c.notes().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void misspelledSubModeCommandNamesFileLineTokenAndSubMode() {
        assertEquals(List.of("rri.conf:3: error: unknown command 'reverse-rute' in crypto map mymap 10"), errors("""
                crypto dynamic-map dm 1
                crypto map mymap 10 ipsec-isakmp
                 reverse-rute
                 match address 101
                access-list 101 permit ip 10.0.0.0 0.0.0.255 10.1.0.0 0.0.0.255
                """));
    }

    @Test
    void everyErrorOfTheFileIsReportedAtOnce() {
        List<String> e = errors("""
                crypto dynamic-map dm 1
                 set reverse-route tag many
                 set reverse-route distance 0
                 reverse-route remote-peer tomorrow
                frobnicate now
                router bgp 65000
                 redistribute static metric x
                rri gobgp-api localhost
                rri vici-sock /run/x
                """);
        assertEquals(List.of(
                "rri.conf:2: error: reverse-route tag 'many' is not a number (expected: 0..4294967295)",
                "rri.conf:3: error: reverse-route distance: 0 (expected: 1..255)",
                "rri.conf:4: error: remote-peer next hop 'tomorrow' is not an IP address",
                "rri.conf:5: error: unknown command 'frobnicate' in dynamic-map dm 1",
                "rri.conf:7: error: redistribute metric 'x' is not a number (expected: 0..4294967295)",
                "rri.conf:8: error: address 'localhost' (expected: HOST:PORT, [IPv6]:PORT or unix:PATH)",
                "rri.conf:9: error: unknown rri setting 'vici-sock' (expected: vici-socket, gobgp-api, control-api, "
                        + "metrics-listen, withdraw-delay, source-hold-time, source-failure, dampening, gobgp path-identifier, bgp next-hop, "
                        + "bgp tag-community, bgp distance-local-pref)"), e);
    }

    @Test
    void ipsecOnlyCommandsAreAcceptedAndReportedAsIgnored() throws Exception {
        Config c = parse("""
                crypto isakmp policy 1
                 encr 3des
                crypto ipsec transform-set t1 esp-3des esp-sha-hmac
                 mode transport
                crypto dynamic-map dm 10
                 set transform-set t1
                 set pfs group14
                 reverse-route
                """);
        assertEquals(List.of(
                "rri.conf:1: ignored: crypto isakmp policy 1 (IPsec only, not routing)",
                "rri.conf:3: ignored: crypto ipsec transform-set t1 (IPsec only, not routing)",
                "rri.conf:5: warning: dynamic-map dm is referenced by no crypto map: its entries are active on their own",
                "rri.conf:6: ignored: set transform-set (IPsec only, not routing)",
                "rri.conf:7: ignored: set pfs (IPsec only, not routing)"), notes(c));
    }

    @Test
    void indentationDoesNotMatterAndAnUnknownSubModeLineIsReadAsTopLevel() throws Exception {
        Config c = parse("""
                crypto dynamic-map dm 10
                reverse-route
                set reverse-route tag 9
                router bgp 65000
                redistribute static
                crypto map vpn 1 ipsec-isakmp dynamic dm
                """);
        assertEquals(9, c.crypto().dynamicMaps().get("dm").get(0).tag());
        assertTrue(c.bgp().redistribute().containsKey(BgpConfig.AddressFamily.IPV4));
        assertEquals("dm", c.crypto().cryptoMaps().get(0).dynamicMap());
    }

    @Test
    void routerBgpRedistributesStaticPerAddressFamily() throws Exception {
        Config c = parse("""
                vrf definition red
                 rd 65000:1
                 route-target both 65000:1
                router bgp 65000
                 bgp router-id 192.0.2.1
                 neighbor 192.0.2.2 remote-as 65001
                 redistribute static route-map RRI-OUT
                 address-family ipv6 unicast
                  redistribute static metric 50
                  neighbor 192.0.2.2 activate
                 exit-address-family
                 address-family ipv4 vrf red
                  redistribute static
                 exit-address-family
                """);
        BgpConfig b = c.bgp();
        assertEquals(65000, b.asn());
        assertEquals("RRI-OUT", b.redistribute().get(BgpConfig.AddressFamily.IPV4).routeMap());
        assertEquals(50L, b.redistribute().get(BgpConfig.AddressFamily.IPV6).metric());
        assertTrue(b.redistribute().containsKey(new BgpConfig.AddressFamily(false, "red")));
        assertEquals(3, b.redistribute().size());
        assertEquals(65000L, b.mapping().communityAsn());
        assertEquals(100L, b.mapping().localPrefAtDistance1());
        assertTrue(notes(c).contains("rri.conf:6: ignored: neighbor (gobgpd's own configuration holds the neighbors)"));
        assertEquals(List.of("65000:1"), c.crypto().vrfs().get("red").importTargets());
    }

    @Test
    void fourByteAsnNeedsAnExplicitTagCommunityAsn() throws Exception {
        assertEquals(List.of("rri.conf:1: error: router bgp 4200000001: tags become communities ASN:TAG, which needs a 16-bit ASN "
                + "(4200000001 > 65535; add 'rri bgp tag-community ASN' or 'rri bgp tag-community none')"),
                errors("router bgp 4200000001\n redistribute static\n"));
        Config c = parse("router bgp 4200000001\nrri bgp tag-community 65010\nrri bgp distance-local-pref none\n");
        assertEquals(65010L, c.bgp().mapping().communityAsn());
        assertNull(c.bgp().mapping().localPrefAtDistance1());
        assertNull(parse("router bgp 1.10\nrri bgp tag-community none\n").bgp().mapping().communityAsn());
    }

    @Test
    void rriLinesOverrideTheirDefaults() throws Exception {
        assertEquals(RriSettings.defaults(), parse("").rri());
        RriSettings s = parse("""
                rri vici-socket /run/strongswan/charon.vici
                rri gobgp-api unix:/run/rri/gobgp.sock
                rri control-api unix:/run/rri/c.sock group rri
                rri metrics-listen none
                rri withdraw-delay 500
                rri source-hold-time 30
                rri gobgp path-identifier 7
                rri bgp next-hop route
                rri source-failure withdraw
                """).rri();
        assertEquals(new RriSettings("/run/strongswan/charon.vici", "unix:/run/rri/gobgp.sock",
                new ControlApiSettings("unix:/run/rri/c.sock", "rri", null, null, null), null,
                Duration.ofMillis(500), Duration.ofSeconds(30), 7, false, false), s);
    }

    @Test
    void matchIpsecConnectionIsKeptOnTheEntry() throws Exception {
        Config c = parse("crypto dynamic-map dm 10\n match ipsec-connection spokes*\n reverse-route\n");
        assertEquals("spokes*", c.crypto().dynamicMaps().get("dm").get(0).connection());
    }

    @Test
    void peerHostNamesStayNamesWithTheirFlags() throws Exception {
        // The parser does no I/O: names are not looked up (.invalid never resolves), they are kept.
        Config c = parse("""
                crypto map m 1 ipsec-isakmp
                 set peer hub-b.example.invalid dynamic
                 set peer 10.1.1.1 default
                 set peer nowhere.invalid
                """);
        List<CryptoPeer> peers = c.crypto().cryptoMaps().get(0).peers();
        assertEquals(new CryptoPeer("hub-b.example.invalid", null, true, false, 2), peers.get(0));
        assertEquals(new CryptoPeer("10.1.1.1", Addresses.parse("10.1.1.1"), false, true, 3), peers.get(1));
        assertEquals(new CryptoPeer("nowhere.invalid", null, false, false, 4), peers.get(2));
        assertTrue(peers.get(2).isHostName());
        assertTrue(notes(c).stream().noneMatch(n -> n.contains("invalid")), notes(c).toString());
        assertEquals(List.of("rri.conf:2: error: peer 'hub_b!' is neither an IP address nor a host name"),
                errors("crypto map m 1 ipsec-isakmp\n set peer hub_b!\n"));
    }

    @Test
    void parsesAFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rri.conf");
        Files.writeString(f, "! comment\n\nrouter bgp 65000\n redistribute static\nend\n");
        assertEquals(65000, ConfigParser.parse(f).bgp().asn());
    }
}
