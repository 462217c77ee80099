package net.rrispeaker.sink.gobgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import java.util.List;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.gobgp.api.FourOctetAsSpecificExtended;
import net.rrispeaker.gobgp.api.IPv4AddressSpecificExtended;
import net.rrispeaker.gobgp.api.RouteDistinguisherFourOctetASN;
import net.rrispeaker.gobgp.api.RouteDistinguisherIPAddress;
import net.rrispeaker.gobgp.api.TwoOctetAsSpecificExtended;
import net.rrispeaker.model.BgpPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ExtCommunitiesTest {

    @ParameterizedTest
    @CsvSource({
        "65000:10, TwoOctetAsSpecificExtended, 65000:10",
        "65000:4000000000, TwoOctetAsSpecificExtended, 65000:4000000000",
        "4200000000:7, FourOctetAsSpecificExtended, 4200000000:7",
        "192.0.2.1:5, IPv4AddressSpecificExtended, 192.0.2.1:5",
        "065000:010, TwoOctetAsSpecificExtended, 65000:10",
    })
    void routeTarget_picksTheEncodingByAdministratorAndRoundTrips(String text, String type, String canonical) {
        Any rt = ExtCommunities.routeTarget(text);
        assertEquals("type.googleapis.com/apipb." + type, rt.getTypeUrl());
        assertEquals(canonical, ExtCommunities.routeTargetText(rt));
    }

    @Test
    void routeTarget_isTransitiveSubType2() throws Exception {
        TwoOctetAsSpecificExtended e = ExtCommunities.routeTarget("65000:1").unpack(TwoOctetAsSpecificExtended.class);
        assertTrue(e.getIsTransitive());
        assertEquals(2, e.getSubType());
        assertEquals(2, ExtCommunities.routeTarget("4200000000:1").unpack(FourOctetAsSpecificExtended.class).getSubType());
        assertEquals(2, ExtCommunities.routeTarget("10.0.0.1:1").unpack(IPv4AddressSpecificExtended.class).getSubType());
    }

    @Test
    void routeDistinguisher_fourOctetAndAddressForms() throws Exception {
        assertEquals(RouteDistinguisherFourOctetASN.newBuilder().setAdmin((int) 4200000000L).setAssigned(9).build(),
                ExtCommunities.routeDistinguisher("4200000000:9").unpack(RouteDistinguisherFourOctetASN.class));
        assertEquals(RouteDistinguisherIPAddress.newBuilder().setAdmin("10.0.0.1").setAssigned(9).build(),
                ExtCommunities.routeDistinguisher("10.0.0.1:9").unpack(RouteDistinguisherIPAddress.class));
        assertEquals("4200000000:9", ExtCommunities.rdText(ExtCommunities.routeDistinguisher("4200000000:9")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "65000", ":5", "65000:", "x:5", "65000:-1", "10.0.0.1:70000", "4200000000:70000",
        "5000000000:1", "2001:db8::1:5", "10.0.0:5"})
    void malformedText_isRejectedNamingTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExtCommunities.routeTarget(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void attributes_compareOrderInsensitiveAndAddVrfExports() {
        BgpPath a = new BgpPath("red", Prefix.parse("10.1.0.0/24"), null, 2, null, 100L, List.of(5L, 1L),
                List.of(), List.of("65000:2", "65000:1"), List.of());
        BgpPath b = new BgpPath("red", Prefix.parse("10.1.0.0/24"), null, 2, null, 100L, List.of(1L, 5L),
                List.of(), List.of("65000:1"), List.of());
        assertEquals(PathAttributes.of(a, List.of()), PathAttributes.of(b, List.of("65000:2")));
        assertEquals("0.0.0.0", PathAttributes.of(a, List.of()).nextHop());
    }

    @Test
    void announcementDecodesBackToTheSameAttributes() {
        BgpPath p = new BgpPath("", Prefix.parse("2001:db8:1::/48"), null, 0, 20L, 90L, List.of(3L, 1L),
                List.of(new BgpPath.LargeCommunity(4200000000L, 1, 2)), List.of("192.0.2.1:5"), List.of(65001L, 65002L));
        PathCodec.Held h = PathCodec.decode(PathCodec.announcement(p, 21074));
        assertEquals(p.prefix(), h.prefix());
        assertEquals(21074, h.identifier());
        assertEquals(PathAttributes.of(p, List.of()), h.attributes());
        assertEquals("::", h.attributes().nextHop());
    }
}
