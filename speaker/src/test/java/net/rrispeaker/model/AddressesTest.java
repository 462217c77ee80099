package net.rrispeaker.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inet.ipaddr.IPAddressString;
import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.0.2.1", "255.255.255.255", "::", "::1", "2001:db8::", "2001:DB8::1",
            "1:2:3:4:5:6:7:8", "1::", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "fe80::1:0:0:1", "::ffff:192.0.2.1",
            "64:ff9b::192.0.2.1", "1:2:3:4:5:6:192.0.2.1", "0000:0000:0000:0000:0000:0000:0000:0001", "2001:0db8::0001"})
    void strictParsingAcceptsWhatInetNtopPrintsAndAgreesWithTheLibrary(String text) {
        assertArrayEquals(new IPAddressString(text).getAddress().getBytes(), Addresses.strictBytes(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", " 192.0.2.1", "192.0.2.1 ", "192.0.2", "192.0.2.1.5", "192.0.2.256", "192.0.2.01",
            "0x7f.0.0.1", "3221225985", "192.0.2.1/32", "192.0.2.*", "192.0.2.1-5", "::1%eth0", "[::1]", ":::", "1::2::3",
            "1:2:3:4:5:6:7:8:9", "12345::", "1:2:3:4:5:6:7", ":1::", "1::2:", ":192.0.2.1", "::ffff:192.0.2",
            "1.2.3.4::", "::1.2.3.4:5", "g::1", "\uff11::1", "1:2:3:4:5:6:7:192.0.2.1", "localhost"})
    void strictParsingRefusesEveryLooserForm(String text) {
        assertNull(Addresses.strictBytes(text), text);
        assertThrows(IllegalArgumentException.class, () -> Addresses.parseStrict(text));
    }

    @Test
    void sixteenBytesStayIpv6EvenWhenMapped() {
        assertInstanceOf(Inet6Address.class, Addresses.parseStrict("::ffff:192.0.2.1"));
        assertInstanceOf(Inet4Address.class, Addresses.parseStrict("192.0.2.1"));
        assertTrue(Addresses.isIpv4Mapped(Addresses.parseStrict("::ffff:192.0.2.1")));
        assertFalse(Addresses.isIpv4Mapped(Addresses.parseStrict("::fffe:192.0.2.1")));
        assertTrue(Addresses.isIpv4Compatible(Addresses.parseStrict("::192.0.2.1")));
        assertTrue(Addresses.isIpv4Compatible(Addresses.parseStrict("::")));
        assertFalse(Addresses.isIpv4Compatible(Addresses.parseStrict("::1:0:0")));
        assertFalse(Addresses.isIpv4Compatible(Addresses.parseStrict("0.0.0.0")));
    }

    @Test
    void configParsingRefusesBlankTextAndWildcards() {
        assertThrows(IllegalArgumentException.class, () -> Addresses.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Addresses.parse("   "));
        assertThrows(IllegalArgumentException.class, () -> Addresses.parse("10.1.*.*"));
        assertThrows(IllegalArgumentException.class, () -> Addresses.parse("10.1.1.1-5"));
        assertFalse(Addresses.isLiteral("10.1.*.*"));
        assertEquals(Addresses.parseStrict("10.1.1.1"), Addresses.parse(" 10.1.1.1 "));
    }
}
