package net.rrispeaker.sink.gobgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import java.util.List;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.gobgp.api.IPAddressPrefix;
import net.rrispeaker.gobgp.api.NextHopAttribute;
import net.rrispeaker.gobgp.api.OriginAttribute;
import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.model.BgpPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a resync reads back must compare equal to what the sink meant to announce. */
class PathCodecTest {

    private static BgpPath path(String prefix, String nextHop, Long med, List<Long> asPath) {
        return new BgpPath("", Prefix.parse(prefix), nextHop == null ? null : Addresses.parse(nextHop),
                BgpPath.ORIGIN_INCOMPLETE, med, 81L, List.of(65000L << 16 | 5, 65000L << 16 | 1),
                List.of(new BgpPath.LargeCommunity(65000, 1, 2)), List.of(), asPath);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "10.0.0.8/29, -, -",
        "10.0.0.8/29, 192.0.2.7, 50",
        "2001:db8:1::/64, -, -",
        "2001:db8:1::/64, 2001:db8::7, 7",
    })
    void decode_givesBackTheAttributesItWasAnnouncedWith(String prefix, String nextHop, Long med) {
        BgpPath p = path(prefix, nextHop, med, List.of(65001L, 65002L));
        PathCodec.Held h = PathCodec.decode(PathCodec.announcement(p, 21074));
        assertEquals(Prefix.parse(prefix), h.prefix());
        assertEquals("", h.rd());
        assertEquals(21074, h.identifier());
        assertEquals(PathAttributes.of(p, List.of()), h.attributes());
    }

    @Test
    void decode_acceptsANextHopInNonCanonicalForm() {
        Path p = Path.newBuilder()
                .setNlri(Any.pack(IPAddressPrefix.newBuilder().setPrefix("10.1.2.0").setPrefixLen(24).build()))
                .addPattrs(Any.pack(OriginAttribute.newBuilder().setOrigin(0).build()))
                .addPattrs(Any.pack(NextHopAttribute.newBuilder().setNextHop(" 192.0.2.1").build()))
                .build();
        PathCodec.Held h = PathCodec.decode(p);
        assertEquals("192.0.2.1", h.attributes().nextHop());
        assertEquals(0, h.attributes().origin());
    }

    @Test
    void decode_namesAnUnknownNlriType() {
        Path p = Path.newBuilder().setNlri(Any.pack(OriginAttribute.getDefaultInstance())).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathCodec.decode(p));
        assertTrue(e.getMessage().startsWith("nlri: type.googleapis.com/apipb.OriginAttribute (expected:"),
                e.getMessage());
    }

    @Test
    void decode_reportsACorruptAttributeAsBadInput() {
        Path p = Path.newBuilder()
                .setNlri(Any.pack(IPAddressPrefix.newBuilder().setPrefix("10.1.2.0").setPrefixLen(24).build()))
                .addPattrs(Any.newBuilder().setTypeUrl("type.googleapis.com/apipb.LocalPrefAttribute")
                        .setValue(com.google.protobuf.ByteString.copyFrom(new byte[] {(byte) 0x08})).build())
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathCodec.decode(p));
        assertTrue(e.getMessage().startsWith("path attribute: "), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.0.0.8", "255.255.255.255", "192.0.2.1"})
    void dottedQuad_readsPlainIpv4(String text) {
        assertEquals(Addresses.parse(text), PathCodec.dottedQuad(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.0.0.1", "10.0.0", "10.0.0.0.1", "010.0.0.1", "10..0.1", "1.2.3.", "::1", "", " 10.0.0.1"})
    void dottedQuad_leavesAnythingElseToTheLibrary(String text) {
        assertNull(PathCodec.dottedQuad(text));
    }
}
