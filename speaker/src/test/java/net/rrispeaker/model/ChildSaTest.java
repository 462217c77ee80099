package net.rrispeaker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChildSaTest {
    private static ChildSa sa(String connection, String child, List<Prefix> remoteTs, List<String> unroutable) {
        return new ChildSa(connection, 1, child, 2, 1, null, Addresses.parseStrict("192.0.2.2"), "peer",
                List.of(Prefix.parse("10.80.0.0/16")), remoteTs, 0, unroutable);
    }

    @Test
    void anIpv4NetworkWrittenAsIpv6NeverEntersAnSa() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sa("spokes", "lan", List.of(Prefix.parse("::ffff:0:0/96")), List.of()));
        assertEquals("remoteTs: ::ffff:0:0/96 is an IPv4 network written as IPv6 (refused)", e.getMessage());
    }

    @Test
    void namesAreNotEmptyAndDiagnosticTextHasNoControlCharacters() {
        assertThrows(IllegalArgumentException.class, () -> sa("", "lan", List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> sa("spokes", "", List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> sa("spokes", "lan", List.of(), List.of("dyn\namic")));
        assertEquals(List.of("dynamic"), sa("spokes", "lan", List.of(), List.of("dynamic")).unroutableTs());
    }
}
