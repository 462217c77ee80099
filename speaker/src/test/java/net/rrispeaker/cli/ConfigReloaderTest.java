package net.rrispeaker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.config.PeerAddresses;
import net.rrispeaker.config.ControlApiSettings;
import net.rrispeaker.config.RriSettings;
import net.rrispeaker.control.api.ReloadResponse;
import net.rrispeaker.core.Speaker;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.SaEvent;
import net.rrispeaker.model.VrfDefinition;
import net.rrispeaker.sink.PathSink;
import net.rrispeaker.sink.PathUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load, reload and peer address changes, against a recording core (and once a real one); no sockets. */
class ConfigReloaderTest {
    private static final String CONFIG = """
            rri withdraw-delay 0
            rri bgp next-hop route
            access-list 101 permit ip 10.80.0.0 0.0.255.255 10.82.0.0 0.0.255.255
            crypto map SMAP 10 ipsec-isakmp
             match ipsec-connection site82
             set peer hub.example dynamic
             match address 101
             reverse-route static
            router bgp 65000
             redistribute static
            """;

    @TempDir
    Path dir;
    private final FakeDns dns = new FakeDns().answer("hub.example", "203.0.113.9");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Config> appliedConfigs = new ArrayList<>();
    private final List<PeerAddresses> appliedPeers = new ArrayList<>();
    private CompletableFuture<Void> coreAnswer = CompletableFuture.completedFuture(null);
    private Speaker speaker;

    @AfterEach
    void stop() {
        if (speaker != null) {
            speaker.close();
        }
    }

    private CompletableFuture<Void> record(Config c, PeerAddresses p) {
        appliedConfigs.add(c);
        appliedPeers.add(p);
        return coreAnswer;
    }

    private Path file(String text) throws Exception {
        return Files.writeString(dir.resolve("rri.conf"), text);
    }

    private ConfigReloader started(Path file) throws Exception {
        ConfigReloader r = new ConfigReloader(file, ConfigParser.parse(file), new PeerResolver(dns, registry),
                this::record, registry);
        r.start();
        return r;
    }

    private double loads(String result) {
        return registry.find(Meters.CONFIG_LOADS).tag("result", result).counter().count();
    }

    private static String hub(PeerAddresses p) {
        return Addresses.format(p.byName().get("hub.example"));
    }

    @Test
    void theFirstLoadHandsTheCoreTheConfigWithItsPeerAddresses() throws Exception {
        ConfigReloader r = started(file(CONFIG));
        assertEquals(1, appliedConfigs.size());
        assertSame(r.running(), appliedConfigs.get(0));
        assertEquals("203.0.113.9", hub(appliedPeers.get(0)));
        assertEquals(1, loads("ok"));
    }

    @Test
    void aReloadReadsTheFileAndAppliesItWithFreshlyResolvedNames() throws Exception {
        Path f = file(CONFIG);
        ConfigReloader r = started(f);
        Files.writeString(f, CONFIG.replace("set peer hub.example dynamic", "set peer hub.example"));
        dns.answer("hub.example", "203.0.113.10");
        ReloadResponse out = r.reload();
        assertTrue(out.getApplied(), out.toString());
        assertFalse(r.running().crypto().cryptoMaps().get(0).peers().get(0).dynamic());
        assertSame(r.running(), appliedConfigs.get(1));
        assertEquals("203.0.113.10", hub(appliedPeers.get(1)));
        assertEquals(2, loads("ok"));
    }

    @Test
    void aBrokenFileIsRefusedWithEveryErrorAndTheRunningConfigStays() throws Exception {
        Path f = file(CONFIG);
        ConfigReloader r = started(f);
        Config before = r.running();
        Files.writeString(f, CONFIG + "reverse-rute\n");
        ReloadResponse out = r.reload();
        assertFalse(out.getApplied());
        assertEquals(List.of(f + ":11: error: unknown command 'reverse-rute' in router bgp 65000"), out.getProblemsList());
        assertSame(before, r.running());
        assertEquals(1, appliedConfigs.size(), "the core was not touched");
        assertEquals(1, loads("error"));
    }

    @Test
    void aCoreThatFailsToApplyLeavesTheRunningConfigInPlace() throws Exception {
        Path f = file(CONFIG);
        ConfigReloader r = started(f);
        Config before = r.running();
        coreAnswer = CompletableFuture.failedFuture(new IllegalStateException("boom"));
        ReloadResponse out = r.reload();
        assertFalse(out.getApplied());
        assertTrue(out.getProblems(0).startsWith("internal error"), out.toString());
        assertSame(before, r.running());
        assertEquals(1, loads("error"));
    }

    @Test
    void settingsOnlyARestartChangesAreWarnedAboutButTheReloadApplies() throws Exception {
        Path f = file(CONFIG);
        ConfigReloader r = started(f);
        Files.writeString(f, "rri vici-socket /run/other.vici\n" + CONFIG);
        ReloadResponse out = r.reload();
        assertTrue(out.getApplied());
        assertEquals(f + ": warning: rri vici-socket changed; takes effect after a restart", out.getProblems(0));
    }

    @Test
    void restartOnlyNamesEachGroupOfSettings() {
        RriSettings d = RriSettings.defaults();
        assertEquals(List.of(), ConfigReloader.restartOnly(d, d));
        RriSettings all = new RriSettings("/x.vici", "unix:/g.sock", ControlApiSettings.unix("unix:/c.sock"), null, d.withdrawDelay(),
                d.sourceHoldTime(), 1, d.bgpNextHopSelf(), d.keepOnSourceFailure());
        assertEquals(3, ConfigReloader.restartOnly(d, all).size());
    }

    @Test
    void aMovedPeerReappliesTheRunningConfigWithoutReadingTheFileAgain() throws Exception {
        Path f = file(CONFIG);
        ConfigReloader r = started(f);
        Config running = r.running();
        Files.delete(f);

        r.refreshPeers();
        assertEquals(1, appliedConfigs.size(), "no change, nothing applied");

        dns.answer("hub.example", "203.0.113.10");
        r.refreshPeers();
        assertEquals(2, appliedConfigs.size());
        assertSame(running, appliedConfigs.get(1));
        assertEquals("203.0.113.10", hub(appliedPeers.get(1)));
    }

    /** Keeps the desired set the core hands the sinks (the complete set, then changes). */
    private static final class LastSet implements PathSink {
        private volatile Map<BgpPath.Key, BgpPath> last = Map.of();

        @Override
        public void resync(Map<BgpPath.Key, BgpPath> desired, Map<String, VrfDefinition> vrfs) {
            last = Map.copyOf(desired);
        }

        @Override
        public void apply(List<PathUpdate> changes, Map<String, VrfDefinition> vrfs) {
            Map<BgpPath.Key, BgpPath> next = new HashMap<>(last);
            for (PathUpdate u : changes) {
                if (u.withdrawn()) {
                    next.remove(u.key());
                } else {
                    next.put(u.key(), u.path());
                }
            }
            last = Map.copyOf(next);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aMovedPeerMovesItsRoutesInTheCore() throws Exception {
        Path f = file(CONFIG);
        Config c = ConfigParser.parse(f);
        LastSet sink = new LastSet();
        speaker = new Speaker(c, registry, List.of(sink), cfg -> cfg.crypto().vrfs());
        speaker.submit(new SaEvent.Snapshot(List.of()));
        ConfigReloader r = new ConfigReloader(f, c, new PeerResolver(dns, registry), speaker::reload, registry);
        r.start();
        BgpPath.Key site82 = new BgpPath.Key("", Prefix.parse("10.82.0.0/16"));
        settle();
        assertEquals("203.0.113.9", Addresses.format(sink.last.get(site82).nextHop()));

        dns.answer("hub.example", "203.0.113.10");
        r.refreshPeers();
        settle();
        assertEquals("203.0.113.10", Addresses.format(sink.last.get(site82).nextHop()));
    }

    /** Waits until the core has run everything queued so far (a flush queues behind the change). */
    private void settle() throws Exception {
        speaker.read(v -> null).get(5, TimeUnit.SECONDS);
        speaker.read(v -> null).get(5, TimeUnit.SECONDS);
    }
}
