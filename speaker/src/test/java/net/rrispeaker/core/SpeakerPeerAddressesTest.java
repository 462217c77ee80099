package net.rrispeaker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.config.PeerAddresses;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code set peer NAME}: the addresses handed to the core with {@link Speaker#reload(Config, PeerAddresses)} reach the sinks. */
class SpeakerPeerAddressesTest {
    private static final String CONFIG = """
            rri withdraw-delay 0
            rri bgp next-hop route
            access-list 101 permit ip 10.80.0.0 0.0.255.255 10.82.0.0 0.0.255.255
            crypto map SMAP 10 ipsec-isakmp
             match ipsec-connection site82
             set peer hub.example.invalid dynamic
             match address 101
             reverse-route static
            router bgp 65000
             redistribute static
            """;
    private static final BgpPath.Key SITE82 = new BgpPath.Key("", Prefix.parse("10.82.0.0/16"));

    private final SpeakerTest.RecordingSink sink = new SpeakerTest.RecordingSink();
    private Speaker speaker;

    @AfterEach
    void stop() {
        if (speaker != null) {
            speaker.close();
        }
    }

    private static PeerAddresses hub(String address) {
        return new PeerAddresses(Map.of("hub.example.invalid", Addresses.parse(address)));
    }

    private void settle() throws Exception {
        speaker.read(v -> null).get(5, TimeUnit.SECONDS);
        speaker.read(v -> null).get(5, TimeUnit.SECONDS);
    }

    private String nextHop() {
        BgpPath p = sink.last().get(SITE82);
        return p == null ? null : Addresses.format(p.nextHop());
    }

    @Test
    void routesViaAPeerNameAppearWhenItResolvesAndMoveWithItsAddress() throws Exception {
        Config c = ConfigParser.parse("rri.conf", CONFIG);
        speaker = new Speaker(c, new SimpleMeterRegistry(), List.of(sink), cfg -> cfg.crypto().vrfs());
        speaker.submit(new SaEvent.Snapshot(List.of()));
        settle();
        assertEquals(null, nextHop(), "no address for the name yet: no route");

        speaker.reload(c, hub("203.0.113.9")).get(5, TimeUnit.SECONDS);
        settle();
        assertEquals("203.0.113.9", nextHop());

        speaker.reload(c, hub("203.0.113.10")).get(5, TimeUnit.SECONDS);
        settle();
        assertEquals("203.0.113.10", nextHop());

        // a reload without addresses keeps the ones the core has
        speaker.reload(ConfigParser.parse("rri.conf", CONFIG)).get(5, TimeUnit.SECONDS);
        settle();
        assertEquals("203.0.113.10", nextHop());

        speaker.reload(c, PeerAddresses.NONE).get(5, TimeUnit.SECONDS);
        settle();
        assertTrue(sink.last().isEmpty(), "the name lost its address: the route is withdrawn");
    }
}
