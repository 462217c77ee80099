package net.rrispeaker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.config.PeerAddresses;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.Addresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Peer names resolved at the edge, with an injected lookup (no real DNS). */
class PeerResolverTest {
    private static final String CONFIG = """
            crypto map m 10 ipsec-isakmp
             set peer hub-a.example
             set peer 192.0.2.7
             reverse-route
            crypto map m 20 ipsec-isakmp
             set peer hub-b.example dynamic
             reverse-route
            crypto dynamic-map dm 5
             set peer HUB-A.example dynamic
             reverse-route
            """;

    private final FakeDns dns = new FakeDns();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PeerResolver resolver = new PeerResolver(dns, registry);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(PeerResolver.class);

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
    }

    private static Config config(String text) throws Exception {
        return ConfigParser.parse("rri.conf", text);
    }

    private static String address(PeerAddresses a, String name) {
        InetAddress x = a.byName().get(name);
        return x == null ? null : Addresses.format(x);
    }

    private double failures(String peer) {
        var c = registry.find(Meters.PEER_RESOLVE_FAILURES).tag("peer", peer).counter();
        return c == null ? 0 : c.count();
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void namesAreCollectedOncePerNameWithEveryUseAndDynamicIfAnyUseIs() throws Exception {
        List<PeerResolver.PeerName> names = PeerResolver.names(config(CONFIG));
        assertEquals(2, names.size());
        assertEquals("hub-a.example", names.get(0).host());
        assertTrue(names.get(0).dynamic());
        assertEquals("crypto map m 10 at rri.conf:2, dynamic-map dm 5 at rri.conf:9", names.get(0).where());
        assertEquals("hub-b.example", names.get(1).host());
    }

    @Test
    void aLoadLooksUpEveryNameAndNoLiteral() throws Exception {
        dns.answer("hub-a.example", "203.0.113.1").answer("hub-b.example", "203.0.113.2");
        PeerAddresses a = resolver.resolveAll(config(CONFIG));
        assertEquals("203.0.113.1", address(a, "hub-a.example"));
        assertEquals("203.0.113.2", address(a, "hub-b.example"));
        assertEquals(List.of("hub-a.example", "hub-b.example"), dns.asked);
    }

    @Test
    void theScheduleLooksUpOnlyDynamicNamesAndReportsOnlyChanges() throws Exception {
        Config c = config("""
                crypto map m 10 ipsec-isakmp
                 set peer hub-a.example
                 reverse-route
                crypto map m 20 ipsec-isakmp
                 set peer hub-b.example dynamic
                 reverse-route
                """);
        dns.answer("hub-a.example", "203.0.113.1").answer("hub-b.example", "203.0.113.2");
        resolver.resolveAll(c);
        dns.asked.clear();
        assertEquals(Optional.empty(), resolver.refresh(), "nothing moved");

        dns.answer("hub-a.example", "203.0.113.11").answer("hub-b.example", "203.0.113.12");
        PeerAddresses moved = resolver.refresh().orElseThrow();
        assertEquals("203.0.113.12", address(moved, "hub-b.example"));
        assertEquals("203.0.113.1", address(moved, "hub-a.example"), "a name without 'dynamic' is looked up at load only");
        assertEquals(List.of("hub-b.example", "hub-b.example"), dns.asked);

        // a reload looks every name up again
        assertEquals("203.0.113.11", address(resolver.resolveAll(c), "hub-a.example"));
    }

    @Test
    void aFailedLookupKeepsTheLastGoodAddressIsCountedEachTimeAndLoggedOnce() throws Exception {
        Config c = config("crypto map m 20 ipsec-isakmp\n set peer hub-b.example dynamic\n reverse-route\n");
        dns.answer("hub-b.example", "203.0.113.2");
        resolver.resolveAll(c);

        dns.fail("hub-b.example");
        assertEquals(Optional.empty(), resolver.refresh());
        assertEquals(Optional.empty(), resolver.refresh());
        assertEquals("203.0.113.2", address(resolver.current(), "hub-b.example"));
        assertEquals(2, failures("hub-b.example"));
        assertEquals(1, warnings().size(), warnings().toString());
        assertTrue(warnings().get(0).contains("keeping its last address 203.0.113.2"), warnings().get(0));
        assertTrue(warnings().get(0).contains("crypto map m 20 at rri.conf:2"), warnings().get(0));

        dns.answer("hub-b.example", "203.0.113.3");
        assertEquals("203.0.113.3", address(resolver.refresh().orElseThrow(), "hub-b.example"));
        dns.fail("hub-b.example");
        resolver.refresh();
        assertEquals(2, warnings().size(), "failing again after a recovery is a new change: logged again");
    }

    @Test
    void aNameThatNeverResolvedHasNoAddressAndIsRetriedUntilItDoes() throws Exception {
        Config c = config("crypto map m 10 ipsec-isakmp\n set peer hub-a.example\n reverse-route\n");
        PeerAddresses a = resolver.resolveAll(c);
        assertNull(address(a, "hub-a.example"));
        assertEquals(1, failures("hub-a.example"));
        assertTrue(warnings().get(0).contains("no routes via it until it does"), warnings().get(0));
        assertTrue(warnings().get(0).contains("crypto map m 10 at rri.conf:2"), warnings().get(0));

        assertEquals(Optional.empty(), resolver.refresh());
        dns.answer("hub-a.example", "203.0.113.1");
        assertEquals("203.0.113.1", address(resolver.refresh().orElseThrow(), "hub-a.example"));
        dns.asked.clear();
        resolver.refresh();
        assertEquals(List.of(), dns.asked, "once it has an address, a name without 'dynamic' is left alone");
        assertEquals(1, warnings().size());
    }

    @Test
    void aReloadForgetsNamesTheConfigurationNoLongerHas() throws Exception {
        dns.answer("hub-a.example", "203.0.113.1").answer("hub-b.example", "203.0.113.2");
        resolver.resolveAll(config(CONFIG));
        PeerAddresses a = resolver.resolveAll(config("crypto map m 20 ipsec-isakmp\n set peer hub-b.example\n"));
        assertEquals(List.of("hub-b.example"), List.copyOf(a.byName().keySet()));
    }

    @Test
    void checkConfigWarnsOncePerUseOfANameThatDoesNotResolve() throws Exception {
        dns.answer("hub-b.example", "203.0.113.2");
        assertEquals(List.of(
                "rri.conf:2: warning: crypto map m 10: peer host name 'hub-a.example' does not resolve now; no routes"
                        + " via it until it does (the speaker looks it up again every 30 s)",
                "rri.conf:9: warning: dynamic-map dm 5: peer host name 'hub-a.example' does not resolve now; no routes"
                        + " via it until it does (the speaker looks it up again every 30 s)"),
                PeerResolver.check(config(CONFIG), dns));
    }
}
