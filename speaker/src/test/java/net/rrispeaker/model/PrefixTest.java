package net.rrispeaker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixTest {

    @Test
    void anIpv6NetworkKeepsItsFamilyWhenMasked() {
        // InetAddress.getByAddress would turn ::ffff:0:0 into 0.0.0.0, leaving an "IPv4 /96"
        Prefix p = new Prefix(Addresses.parseStrict("::ffff:10.1.2.3"), 96);
        assertInstanceOf(Inet6Address.class, p.network());
        assertTrue(p.isIpv6());
        assertEquals("::ffff:0:0/96", p.toString());
        assertInstanceOf(Inet6Address.class, Prefix.host(Addresses.parseStrict("::ffff:10.1.2.3")).network());
        assertInstanceOf(Inet6Address.class, Prefix.parse("::ffff:10.0.0.0/104").network());
    }

    @Test
    void embedsIpv4OnlyForLongPrefixesInsideTheMappedOrCompatibleBlocks() {
        for (String inside : List.of("::ffff:0:0/96", "::ffff:10.0.0.0/104", "::ffff:10.0.0.1/128", "::/96", "::1/128",
                "::10.0.0.0/104", "::/128")) {
            assertTrue(Prefix.parse(inside).embedsIpv4(), inside);
        }
        for (String outside : List.of("::/0", "::/95", "::fffe:0:0/95", "64:ff9b::/96", "2001:db8::/32", "0.0.0.0/0",
                "10.0.0.0/8", "::1:0:0:0/128")) {
            assertFalse(Prefix.parse(outside).embedsIpv4(), outside);
        }
    }

    @Test
    void hostBitsAreClearedInBothFamilies() throws Exception {
        assertEquals(Prefix.parse("10.1.0.0/16"), new Prefix(Addresses.parse("10.1.2.3"), 16));
        assertEquals("10.1.0.0", new Prefix(Addresses.parse("10.1.2.3"), 16).address());
        assertEquals("0.0.0.0/0", new Prefix(Addresses.parse("255.255.255.255"), 0).toString());
        assertEquals("10.1.2.3/32", new Prefix(Addresses.parse("10.1.2.3"), 32).toString());
        assertEquals("128.0.0.0/1", new Prefix(Addresses.parse("200.1.2.3"), 1).toString());
        assertEquals("2001:db8:0:8000::/49", new Prefix(Addresses.parse("2001:db8:0:ffff::1"), 49).toString());
        assertEquals("::/0", new Prefix(Addresses.parse("ffff::1"), 0).toString());
        assertEquals(Prefix.parse("2001:db8::/64"), new Prefix(Addresses.parse("2001:db8::"), 64));
        // a scope (fe80::1%5) is no part of a network
        Inet6Address scoped = Inet6Address.getByAddress(null, Addresses.parse("fe80::").getAddress(), 5);
        Inet6Address network = (Inet6Address) new Prefix(scoped, 64).network();
        assertEquals(0, network.getScopeId());
        assertEquals(Prefix.parse("fe80::/64"), new Prefix(scoped, 64));
    }

    @Test
    void blankAndWildcardTextIsNoPrefix() {
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.*.*.*"));
        assertEquals(Prefix.parse("10.0.0.0/8"), Prefix.parse("10.0.0.0/8"));
    }
}
