package net.rrispeaker.control;

import io.grpc.Attributes;
import io.grpc.ManagedChannel;
import io.grpc.ServerTransportFilter;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.control.api.ReloadResponse;
import net.rrispeaker.core.Speaker;
import net.rrispeaker.ios.ConfigException;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.ChildSa;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.SaEvent;

/**
 * A real core {@link Speaker} (no sinks) behind a real {@link ControlServer}, served in-process:
 * what a gRPC client or the CLI sees of a running speaker, without sockets. SA events go straight
 * into the core; {@code reload} re-reads {@link #file} the way the daemon does (parse first, apply
 * only a file without errors).
 */
public final class InProcessSpeaker implements AutoCloseable {
    /**
     * An example: a dynamic map in the global table, one in VRF red, a VTI profile and a manual
     * static ({@code ip route}, line 20).
     */
    public static final String CONFIG = """
            rri withdraw-delay 0
            vrf definition red
             rd 65000:1
            crypto isakmp profile RED
             vrf red
            crypto dynamic-map DYN 10
             match ipsec-connection spokes
             set reverse-route tag 5
             set reverse-route distance 20
             reverse-route
            crypto dynamic-map DYN 20
             match ipsec-connection red-*
             set isakmp-profile RED
             reverse-route
            crypto map VPN 10 ipsec-isakmp dynamic DYN
            crypto ipsec profile vti
             match ipsec-connection branch-*
            interface Tunnel5
             tunnel protection ipsec profile vti
            ip route 10.9.0.0 255.255.0.0 Null0 250 tag 9
            router bgp 65000
             redistribute static
             address-family ipv6 unicast
              redistribute static
             exit-address-family
             address-family ipv4 vrf red
              redistribute static
             exit-address-family
            """;

    /** The configuration file; rewrite it, then call reload. */
    public final Path file;
    private final String name = InProcessServerBuilder.generateName();
    private final Speaker speaker;
    private final ControlServer server;
    private final Map<String, ComponentHealth> components = new ConcurrentHashMap<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private volatile UnixPeer caller = peer(OWNER_UID, OWNER_UID);
    /** The clock publishers' keepalives are timed by: virtual, moved by the test. */
    private final java.util.concurrent.atomic.AtomicLong publisherClock = new java.util.concurrent.atomic.AtomicLong();
    private final Publishers publishers;

    public InProcessSpeaker(Path dir, String configText) throws IOException, ConfigException {
        file = dir.resolve("rri.conf");
        Files.writeString(file, configText);
        Config config = ConfigParser.parse(file.toString(), configText);
        // The core's own kind of loop, except that closing it drops timers still pending (an
        // hour-long withdraw delay), so a test ends when it is done.
        ScheduledThreadPoolExecutor loop = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "rri-core");
            t.setDaemon(true);
            return t;
        });
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        speaker = new Speaker(config, new SimpleMeterRegistry(), List.of(), c -> c.crypto().vrfs(), loop,
                System::nanoTime);
        speaker.submit(new SaEvent.Snapshot(List.of())); // the source's first resync
        component("vici", true, "connected to the test");
        component("gobgp", true, "connected to the test");
        // In-process calls carry no kernel credentials: each connection gets the caller's (CALLER:
        // the speaker's own user by default), as the Unix socket's negotiator would put them there.
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
        builder.addTransportFilter(new ServerTransportFilter() {
            @Override
            public Attributes transportReady(Attributes attrs) {
                UnixPeer who = caller;
                return who == null ? attrs : attrs.toBuilder().set(ControlAccess.PEER, who).build();
            }
        });
        server = ControlServer.start(builder, "in-process " + name,
                new ControlAccess(OWNER_UID, GROUP_GID, "rri", registry, config.rri().controlApi().publishers()));
        publishers = server.serveWithClock(speaker, this::reloadFromFile,
                () -> List.copyOf(new java.util.TreeMap<>(components).values()), () -> null, publisherClock::get);
    }

    /** Serves this speaker's core on {@code other} too (a control server on a real socket). */
    public void serveOn(ControlServer other) {
        other.serve(speaker, this::reloadFromFile, () -> List.copyOf(new java.util.TreeMap<>(components).values()));
    }

    /** The speaker's own user id in these tests, and the group whose members may read. */
    public static final int OWNER_UID = 990;
    public static final int GROUP_GID = 991;

    /** Who the next connections say they are (null: no credentials at all); the speaker's own user at first. */
    public void caller(UnixPeer who) {
        caller = who;
    }

    /** A peer with user {@code uid} and group {@code gid}, no supplementary groups. */
    public static UnixPeer peer(int uid, int gid) {
        return new UnixPeer(4242, uid, gid, java.util.Set.of());
    }

    /** Moves the publishers' keepalive clock forward and lets them check it (what the server does every second). */
    public void publisherSecondsPass(long seconds) {
        publisherClock.addAndGet(seconds * 1_000_000_000L);
        publishers.checkKeepalives();
    }

    /** The meters of the control server (e.g. refused calls). */
    public SimpleMeterRegistry registry() {
        return registry;
    }

    /** Sets what {@code show status} and the health service hear from one component. */
    public void component(String componentName, boolean connected, String detail) {
        components.put(componentName, new ComponentHealth() {
            @Override
            public String name() {
                return componentName;
            }

            @Override
            public boolean connected() {
                return connected;
            }

            @Override
            public String detail() {
                return detail;
            }
        });
    }

    /** Hands an event to the core and waits until the core has applied it and recomputed. */
    public void submit(SaEvent event) throws Exception {
        speaker.submit(event);
        settle();
    }

    /** With {@link #CONFIG}: a spoke (v4 and v6), a customer in VRF red and a branch on a VTI come up. */
    public void threeTunnelsUp() throws Exception {
        submit(new SaEvent.ChildUp(sa("spokes", 2, "192.0.2.2", "10.81.2.0/29", "fd00:81:2::/64")));
        submit(new SaEvent.ChildUp(sa("red-1", 3, "198.51.100.3", "10.50.0.0/24")));
        submit(new SaEvent.ChildUp(sa("branch-7", 4, "198.51.100.7", "10.5.0.0/16")));
    }

    /** Waits until the core ran everything queued so far (twice: a flush queues behind events). */
    public void settle() throws Exception {
        speaker.read(v -> null).get(5, TimeUnit.SECONDS);
        speaker.read(v -> null).get(5, TimeUnit.SECONDS);
    }

    /** A new in-process channel to the control server (closed with this). */
    public synchronized ManagedChannel channel() {
        ManagedChannel ch = InProcessChannelBuilder.forName(name).directExecutor().build();
        channels.add(ch);
        return ch;
    }

    /** The in-process name, for a channel the caller builds and owns itself. */
    public String serverName() {
        return name;
    }

    public Speaker speaker() {
        return speaker;
    }

    /** A CHILD_SA of {@code connection} from {@code peer}, IKE_SA 1, local selector 10.80.0.0/16. */
    public static ChildSa sa(String connection, long childId, String peer, String... remoteTs) {
        return new ChildSa(connection, 1, "lan", childId, 1, Addresses.parse("192.0.2.1"), Addresses.parse(peer),
                "spoke-" + childId, List.of(Prefix.parse("10.80.0.0/16")),
                Arrays.stream(remoteTs).map(Prefix::parse).toList(), 0, List.of());
    }

    private ReloadResponse reloadFromFile() {
        ReloadResponse.Builder out = ReloadResponse.newBuilder();
        Config next;
        try {
            next = ConfigParser.parse(file.toString(), Files.readString(file));
        } catch (ConfigException e) {
            e.problems().forEach(p -> out.addProblems(p.toString()));
            return out.setApplied(false).build();
        } catch (IOException e) {
            return out.setApplied(false).addProblems(file + ": " + e.getMessage()).build();
        }
        try {
            speaker.reload(next).get(5, TimeUnit.SECONDS);
            settle();
        } catch (Exception e) {
            return out.setApplied(false).addProblems("internal error: " + e).build();
        }
        next.notes().forEach(p -> out.addProblems(p.toString()));
        return out.setApplied(true).build();
    }

    @Override
    public synchronized void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        server.close();
        speaker.close();
    }
}
