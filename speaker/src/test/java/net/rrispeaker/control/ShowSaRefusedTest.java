package net.rrispeaker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.control.api.SaEntry;
import net.rrispeaker.control.api.ShowSaRequest;
import net.rrispeaker.control.api.ShowSaResponse;
import net.rrispeaker.core.Speaker;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.SaEvent;
import org.junit.jupiter.api.Test;

/** {@code show sa} names what the prefix guard refused next to what each SA announces. */
class ShowSaRefusedTest {

    @Test
    void eachSaListsItsRefusedSelectorsWithTheRule() throws Exception {
        Speaker speaker = new Speaker(ConfigParser.parse("rri.conf", """
                rri withdraw-delay 0
                crypto dynamic-map DYN 10
                 reverse-route
                crypto map VPN 10 ipsec-isakmp dynamic DYN
                """), new SimpleMeterRegistry(), List.of(), c -> c.crypto().vrfs());
        try {
            speaker.submit(new SaEvent.Snapshot(List.of(new ChildSa("DYN", 1, "lan", 2, 1, Addresses.parse("192.0.2.1"),
                    Addresses.parse("198.51.100.7"), "spoke", List.of(Prefix.parse("10.80.0.0/16")),
                    List.of(Prefix.parse("10.81.2.0/29"), Prefix.parse("169.254.0.0/16")), 0, List.of()))));
            speaker.read(v -> null).get(5, TimeUnit.SECONDS);
            List<ShowSaResponse> got = new ArrayList<>();
            new ControlService(speaker, () -> null, List::of).showSa(ShowSaRequest.getDefaultInstance(),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(ShowSaResponse r) {
                            got.add(r);
                        }

                        @Override
                        public void onError(Throwable t) {
                            throw new AssertionError(t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            SaEntry e = got.get(0).getSas(0);
            assertEquals(List.of("10.81.2.0/29 via 198.51.100.7"), e.getRoutesList());
            assertEquals(List.of("169.254.0.0/16 martian (inside the special-use range 169.254.0.0/16)"),
                    e.getRefusedList());
        } finally {
            speaker.close();
        }
    }
}
