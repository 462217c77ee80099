package net.rrispeaker.source.vici;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Arrays;
import java.util.List;
import net.rrispeaker.model.Prefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrafficSelectorsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "10.81.2.0/29; 10.81.2.0/29",
            "2001:db8::/48; 2001:db8::/48",
            "2001:DB8::/32; 2001:db8::/32",
            "10.81.2.7; 10.81.2.7/32",
            "2001:db8::7; 2001:db8::7/128",
            "10.1.0.0/16[tcp/443]; 10.1.0.0/16",
            "10.1.0.0/16[udp]; 10.1.0.0/16",
            "10.1.0.0/16[0/1000-2000]; 10.1.0.0/16",
            "10.1.0.0/16[ipv6-icmp/OPAQUE]; 10.1.0.0/16",
            "10.0.0.0..10.0.0.255; 10.0.0.0/24",
            "10.0.0.1..10.0.0.4; 10.0.0.1/32 10.0.0.2/31 10.0.0.4/32",
            "10.0.0.1-10.0.0.4; 10.0.0.1/32 10.0.0.2/31 10.0.0.4/32",
            "10.0.0.7..10.0.0.7; 10.0.0.7/32",
            "10.0.0.0..10.0.0.255[tcp/80]; 10.0.0.0/24",
            "2001:db8::..2001:db8::ffff; 2001:db8::/112",
            "0.0.0.0..255.255.255.255; 0.0.0.0/0",
            "0.0.0.0/0; 0.0.0.0/0",
            "::/0; ::/0",
            "::fffe:0:0/95; ::fffe:0:0/95",
            "::..::ffff:ffff:ffff; ::/80",
            "64:ff9b::/96; 64:ff9b::/96",
    })
    void selectorTextBecomesExactPrefixes(String selector, String expected) {
        List<Prefix> want = Arrays.stream(expected.trim().split(" ")).map(Prefix::parse).toList();
        assertEquals(new TrafficSelectors.Routable(want), TrafficSelectors.parseOne(selector));
    }

    @Test
    void aRangeOfExactlyTheBoundIsAccepted() {
        TrafficSelectors.Routable r = assertInstanceOf(TrafficSelectors.Routable.class,
                TrafficSelectors.parseOne("0.0.0.1..255.255.255.255"));
        assertEquals(TrafficSelectors.MAX_RANGE_PREFIXES, r.prefixes().size());
        assertEquals(Prefix.parse("128.0.0.0/1"), r.prefixes().get(31));
    }

    @Test
    void dynamicIsWellFormedButUnroutable() {
        assertEquals(new TrafficSelectors.Unroutable("dynamic"), TrafficSelectors.parseOne("dynamic"));
    }

    @ParameterizedTest(name = "''{0}'' refused: {1}")
    @CsvSource(delimiter = ';', value = {
            "'';                                 SYNTAX",
            "OPAQUE;                             SYNTAX",
            "spoke.example;                      SYNTAX",
            "1.2.3;                              SYNTAX",
            "01.2.3.4;                           SYNTAX",
            "0x1.2.3.4;                          SYNTAX",
            "1.2.3.256;                          SYNTAX",
            "1.2.3.4.5;                          SYNTAX",
            "10.0.0.0/016;                       SYNTAX",
            "10.0.0.0/;                          SYNTAX",
            "10.0.0.0/8/8;                       SYNTAX",
            "10.0.0.0/x;                         SYNTAX",
            "1.2.*.*;                            SYNTAX",
            "::1%eth0;                           SYNTAX",
            "fe80::1%1/64;                       SYNTAX",
            "[::1];                              SYNTAX",
            "1:2:3:4:5:6:7:8:9;                  SYNTAX",
            ":::;                                SYNTAX",
            "1::2::3;                            SYNTAX",
            "12345::;                            SYNTAX",
            "'10.0.0.0/8 ';                      SYNTAX",
            "' 10.0.0.0/8';                      SYNTAX",
            "10.1.0.0/16[tcp/443;                SYNTAX",
            "10.1.0.0/16];                       SYNTAX",
            "10.1.0.0/16[];                      SYNTAX",
            "10.1.0.0/16[tcp/443][udp];          SYNTAX",
            "10.1.0.0/16[tcp 443];               SYNTAX",
            "[tcp/443];                          SYNTAX",
            "10.0.0.1...10.0.0.2;                SYNTAX",
            "10.0.0.1..;                         SYNTAX",
            "..10.0.0.1;                         SYNTAX",
            "10.0.0.1..10.0.0.2/24;              SYNTAX",
            "10.0.0.0/33;                        PREFIX_LENGTH",
            "2001:db8::/129;                     PREFIX_LENGTH",
            "10.0.0.0/999;                       PREFIX_LENGTH",
            "10.1.2.3/16;                        HOST_BITS",
            "2001:db8::1/64;                     HOST_BITS",
            "10.0.0.9..10.0.0.1;                 RANGE_ORDER",
            "10.0.0.1..2001:db8::1;              FAMILY_MISMATCH",
            "2001:db8::1-10.0.0.1;               FAMILY_MISMATCH",
            "0.0.0.1..255.255.255.254;           RANGE_TOO_WIDE",
            "1::..ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe; RANGE_TOO_WIDE",
            "::ffff:0:0/96;                      IPV4_MAPPED",
            "::ffff:10.0.0.0/104;                IPV4_MAPPED",
            "::ffff:10.0.0.1;                    IPV4_MAPPED",
            "::ffff:1.2.3.0..::ffff:1.2.3.255;   IPV4_MAPPED",
            "::fffe:ffff:ffff..::ffff:0:0;       IPV4_MAPPED",
            "::/96;                              IPV4_COMPATIBLE",
            "::1.2.3.4;                          IPV4_COMPATIBLE",
            "::1;                                IPV4_COMPATIBLE",
            "::;                                 IPV4_COMPATIBLE",
    })
    void malformedOrUnsafeSelectorIsRefusedWithItsReason(String selector, TrafficSelectors.Refusal reason) {
        TrafficSelectors.Refused r = assertInstanceOf(TrafficSelectors.Refused.class, TrafficSelectors.parseOne(selector));
        assertEquals(reason, r.reason(), r.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8\n", "10.0.0.0/8\u0000", "10.0.0.0\u202e/8", "\uff11.2.3.4", "1.2.3.\u0664"})
    void controlAndNonAsciiCharactersAreRefused(String selector) {
        assertEquals(TrafficSelectors.Refusal.SYNTAX,
                assertInstanceOf(TrafficSelectors.Refused.class, TrafficSelectors.parseOne(selector)).reason());
    }

    @Test
    void refusalsSayWhatWasWrong() {
        assertEquals(new TrafficSelectors.Refused(TrafficSelectors.Refusal.PREFIX_LENGTH, "prefix length 33 (expected: 0..32)"),
                TrafficSelectors.parseOne("10.0.0.0/33"));
        assertEquals(new TrafficSelectors.Refused(TrafficSelectors.Refusal.HOST_BITS, "host bits set (expected: 10.1.0.0/16)"),
                TrafficSelectors.parseOne("10.1.2.3/16"));
        assertEquals(new TrafficSelectors.Refused(TrafficSelectors.Refusal.IPV4_MAPPED,
                "::ffff:0:0/96 lies in ::ffff:0:0/96 (an IPv4-mapped IPv6 network)"), TrafficSelectors.parseOne("::ffff:0:0/96"));
    }

    @Test
    void aRefusedSelectorLeavesTheOthersOfTheListIntact() {
        TrafficSelectors.Parsed p = TrafficSelectors.parse(List.of("10.81.2.0/29", "::ffff:0:0/96", "dynamic", "10.81.2.0/29",
                "2001:db8::/48"));
        assertEquals(List.of(Prefix.parse("10.81.2.0/29"), Prefix.parse("2001:db8::/48")), p.prefixes(), "in order, once");
        assertEquals(List.of("dynamic"), p.unroutable());
        assertEquals(1, p.refused().size());
        assertEquals("::ffff:0:0/96", p.refused().get(0).raw());
        assertEquals(TrafficSelectors.Refusal.IPV4_MAPPED, p.refused().get(0).why().reason());
    }

    @Test
    void overlongTextIsRefusedBeforeAnyParsing() {
        String longText = "1".repeat(TrafficSelectors.MAX_TEXT + 1);
        TrafficSelectors.Refused r = assertInstanceOf(TrafficSelectors.Refused.class, TrafficSelectors.parseOne(longText));
        assertEquals("selector of 201 characters (expected: at most 200)", r.detail());
    }
}
