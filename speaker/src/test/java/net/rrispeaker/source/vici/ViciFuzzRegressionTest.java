package net.rrispeaker.source.vici;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.Inet6Address;
import java.util.List;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import org.junit.jupiter.api.Test;

/**
 * One test per failure the fuzzers found (in {@link TrafficSelectorsFuzzTest} and
 * {@link ViciDecoderFuzzTest}), with the input they found it with; each used to pass through
 * unnoticed or cost the connection.
 */
class ViciFuzzRegressionTest {

    private static TrafficSelectors.Refusal refusal(String selector) {
        return assertInstanceOf(TrafficSelectors.Refused.class, TrafficSelectors.parseOne(selector)).reason();
    }

    @Test
    void ipv4MappedRangeNeverBecomesAnIpv4AddressWithAnIpv6Length() {
        // used to give 127.99.218.176/128 as an IPv4 prefix: gobgpd filed such a prefix as "<nil>/96" in its IPv4 table
        assertEquals(TrafficSelectors.Refusal.IPV4_MAPPED, refusal("::ffff:7f63:dab0..::ffff:7f63:dab0"));
        assertEquals(TrafficSelectors.Refusal.IPV4_MAPPED, refusal("::ffff:2c1a:82f..::ffff:Cc1a:82af"));
    }

    @Test
    void mappedNetworkStaysIpv6InThePrefixType() {
        Prefix p = new Prefix(Addresses.parseStrict("::ffff:0:0"), 96);
        assertInstanceOf(Inet6Address.class, p.network());
        assertEquals(128, p.maxLength());
        assertEquals("::ffff:0:0/96", p.toString());
        assertInstanceOf(Inet6Address.class, Prefix.parse("::ffff:10.0.0.0/104").network());
    }

    @Test
    void rangeFromOrdinaryIpv6IntoTheMappedBlockIsRefusedWhole() {
        // ::fff:6b16:c5 is ordinary IPv6; the range runs on into ::ffff:0:0/96
        assertEquals(TrafficSelectors.Refusal.RANGE_TOO_WIDE, refusal("::fff:6b16:0c5..::ffff:6b16:b0c5"));
        assertEquals(TrafficSelectors.Refusal.IPV4_MAPPED, refusal("::fffe:ffff:ffff..::ffff:0:0"));
    }

    @Test
    void ipv4CompatibleHostIsRefused() {
        assertEquals(TrafficSelectors.Refusal.IPV4_COMPATIBLE, refusal("::47"));
    }

    @Test
    void inetAtonShortFormsAreNotAddresses() {
        // "255.251153" read as 255.3.212.81 and "51.93.160/20" as 51.93.0.160 by inet_aton rules
        assertEquals(TrafficSelectors.Refusal.SYNTAX, refusal("255.251153"));
        assertEquals(TrafficSelectors.Refusal.SYNTAX, refusal("51.93.160/20"));
    }

    @Test
    void leadingZeroOctetIsRefused() {
        // octal to inet_aton, decimal to others: ambiguous
        assertEquals(TrafficSelectors.Refusal.SYNTAX, refusal("22.192.00/16"));
        assertEquals(TrafficSelectors.Refusal.SYNTAX, refusal("010.0.0.0/8"));
    }

    @Test
    void leadingZeroPrefixLengthIsRefused() {
        assertEquals(TrafficSelectors.Refusal.SYNTAX, refusal("181.0.0.0/010"));
    }

    @Test
    void hostBitsAreRefusedNotSilentlyCleared() {
        assertEquals(TrafficSelectors.Refusal.HOST_BITS, refusal("64f0:1370:db6d:000::/1"));
        assertEquals(TrafficSelectors.Refusal.HOST_BITS, refusal("10.1.2.3/16"));
    }

    @Test
    void unterminatedPortSuffixIsRefused() {
        // used to route "171.37" as 171.0.0.37
        assertEquals(TrafficSelectors.Refusal.SYNTAX, refusal("171.37[.131.49..171.37.1"));
        assertEquals(TrafficSelectors.Refusal.SYNTAX, refusal("1.2.3.4[tcp/443"));
    }

    @Test
    void rangeOfManyPrefixesIsRefusedWholeInsteadOfExpandingWithoutBound() {
        // used to become 100+ prefixes
        assertEquals(TrafficSelectors.Refusal.RANGE_TOO_WIDE,
                refusal("1255:445d:727:1f4c:3e53:df3e:cddd:d124..1255:445d:6727:1f4c:3e53:df3e:cddd:d124"));
    }

    @Test
    void surroundingSpaceIsRefused() {
        assertEquals(TrafficSelectors.Refusal.SYNTAX, refusal(" 92.00.0/2"));
    }

    @Test
    void blankAddressIsNotTheLoopbackAddress() {
        // the address library reads "" as 127.0.0.1: a peer's remote-host "" became a next hop of 127.0.0.1
        assertThrows(IllegalArgumentException.class, () -> Addresses.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse(" "));
        assertFalse(Addresses.isLiteral(""));
        ViciMessage listSa = ViciMessage.builder().section("spokes", ViciMessage.builder().add("uniqueid", "4")
                .add("remote-host", "").section("child-sas", ViciMessage.builder().section("lan-5", ViciMessage.builder()
                        .add("name", "lan").add("uniqueid", "5").add("reqid", "1").add("state", "INSTALLED")
                        .list("remote-ts", List.of("10.81.2.0/29")).build()).build()).build()).build();
        List<ViciEventException> problems = new java.util.ArrayList<>();
        assertEquals(List.of(), ViciEvents.installedChildren(listSa, problems::add));
        assertEquals("list-sa/spokes: remote-host: '' (expected: an IP address)", problems.get(0).getMessage());
    }

    @Test
    void invalidUtf8InALongNameNoLongerCostsTheConnection() {
        // each bad byte became U+FFFD (3 bytes), the 255-byte name failed the name bound: a framing error
        String payload = "07" + "ff" + "ca".repeat(255);
        EmbeddedChannel ch = new EmbeddedChannel(new ViciDecoder());
        byte[] b = ByteBufUtil.decodeHexDump(payload);
        ch.writeInbound(Unpooled.buffer().writeInt(b.length).writeBytes(b));
        ViciPacket p = assertInstanceOf(ViciPacket.class, ch.readInbound());
        assertEquals("?".repeat(255), p.name());
        assertFalse(ch.finish());
    }

    @Test
    void streamEndingRightAfterTheLengthPrefixIsReported() {
        // the prefix was consumed, no byte was left, and the cut frame went unreported
        EmbeddedChannel ch = new EmbeddedChannel(new ViciDecoder());
        ch.writeInbound(Unpooled.buffer().writeInt(261));
        ViciCodecException e = assertThrows(ViciCodecException.class, ch::finish);
        assertEquals("stream end inside a frame: 0 of 261 payload bytes (expected: a complete frame)", e.getMessage());
    }
}
