package net.rrispeaker.source.vici;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.rrispeaker.model.Prefix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrafficSelectorsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "10.81.2.0/29; 10.81.2.0/29",
            "2001:db8::/48; 2001:db8::/48",
            "10.81.2.7; 10.81.2.7/32",
            "10.1.0.0/16[tcp/443]; 10.1.0.0/16",
            "10.1.0.0/16[udp]; 10.1.0.0/16",
            "10.1.0.0/16[0/1000-2000]; 10.1.0.0/16",
            "10.0.0.0..10.0.0.255; 10.0.0.0/24",
            "10.0.0.1..10.0.0.4; 10.0.0.1/32 10.0.0.2/31 10.0.0.4/32",
            "2001:db8::..2001:db8::ffff; 2001:db8::/112",
            "0.0.0.0/0; 0.0.0.0/0",
            "dynamic; ",
            "OPAQUE; ",
            "10.0.0.9..10.0.0.1; ",
            "10.0.0.1..2001:db8::1; ",
            "spoke.example; ",
            "10.0.0.0/33; ",
            "; "
    })
    void selectorTextBecomesExactPrefixes(String selector, String expected) {
        List<Prefix> want = expected == null ? List.of()
                : java.util.Arrays.stream(expected.trim().split(" ")).map(Prefix::parse).toList();
        assertEquals(want, TrafficSelectors.parseOne(selector == null ? "" : selector));
    }
}
