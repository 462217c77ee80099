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
    void blankAndWildcardTextIsNoPrefix() {
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Prefix.parse("10.*.*.*"));
        assertEquals(Prefix.parse("10.0.0.0/8"), Prefix.parse("10.0.0.0/8"));
    }
}
