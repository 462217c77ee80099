package net.rrispeaker.sink.frr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StaticConfigTest {
    /** staticd's `show running-config` on FRR 8.4.4, as vtysh -d staticd prints it. */
    static final String RUNNING = """
            Building configuration...

            Current configuration:
            !
            frr version 8.4.4
            frr defaults traditional
            hostname vm
            service integrated-vtysh-config
            !
            ip route 10.81.2.0/29 10.255.0.2 tag 5 20
            ip route 10.81.3.0/29 v0
            ipv6 route fd00:81:2::/64 fd00:255::2 tag 5 20
            !
            vrf red
             ip route 10.9.0.0/24 10.255.0.9 tag 9 40
            exit-vrf
            !
            vrf blue
             ip route 10.9.1.0/24 10.255.0.9 tag 3
            exit-vrf
            !
            end
            """;

    @Test
    void readsRoutesWithTheirVrf() {
        List<StaticLine> lines = StaticConfig.parse(RUNNING);
        assertEquals(List.of(
                "/ip route 10.81.2.0/29 10.255.0.2 tag 5 20",
                "/ip route 10.81.3.0/29 v0",
                "/ipv6 route fd00:81:2::/64 fd00:255::2 tag 5 20",
                "red/ip route 10.9.0.0/24 10.255.0.9 tag 9 40",
                "blue/ip route 10.9.1.0/24 10.255.0.9 tag 3"),
                lines.stream().map(l -> l.vrf() + "/" + l.text()).toList());
    }

    @Test
    void batchGroupsByVrfRemovalsFirst() {
        StaticLine oldRed = StaticLine.parse("red", "ip route 10.9.0.0/24 10.255.0.9 tag 9 40");
        StaticLine newRed = StaticLine.parse("red", "ip route 10.9.0.0/24 10.255.0.9 tag 10 40");
        StaticLine global = StaticLine.parse("", "ipv6 route fd00:81:2::/64 fd00:255::2 tag 5 20");
        Batch b = new Batch(List.of(oldRed), List.of(newRed, global));
        assertEquals("""
                ipv6 route fd00:81:2::/64 fd00:255::2 tag 5 20
                vrf red
                 no ip route 10.9.0.0/24 10.255.0.9 tag 9 40
                 ip route 10.9.0.0/24 10.255.0.9 tag 10 40
                exit-vrf
                """, b.text());
    }

    @Test
    void stateFileLayoutRoundTrips() {
        List<StaticLine> lines = StaticConfig.parse(RUNNING);
        assertEquals(java.util.Set.copyOf(lines), java.util.Set.copyOf(StaticConfig.parse(StaticConfig.render(lines))));
    }
}
