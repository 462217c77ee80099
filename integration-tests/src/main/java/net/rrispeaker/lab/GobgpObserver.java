package net.rrispeaker.lab;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.gobgp.api.AddPathRequest;
import net.rrispeaker.gobgp.api.CommunitiesAttribute;
import net.rrispeaker.gobgp.api.DeletePathRequest;
import net.rrispeaker.gobgp.api.Family;
import net.rrispeaker.gobgp.api.GobgpApiGrpc;
import net.rrispeaker.gobgp.api.IPAddressPrefix;
import net.rrispeaker.gobgp.api.ListPathRequest;
import net.rrispeaker.gobgp.api.ListPathResponse;
import net.rrispeaker.gobgp.api.LocalPrefAttribute;
import net.rrispeaker.gobgp.api.MpReachNLRIAttribute;
import net.rrispeaker.gobgp.api.NextHopAttribute;
import net.rrispeaker.gobgp.api.OriginAttribute;
import net.rrispeaker.gobgp.api.TableType;
import net.rrispeaker.gobgp.api.WatchEventRequest;
import net.rrispeaker.gobgp.api.WatchEventResponse;

/**
 * Watches gobgpd through its gRPC API (the project's own stubs) over the lab's unix socket:
 * {@link #list} reads the global RIB of a family, {@link #watch()} records every best-path event
 * (a WatchEvent table stream, filter BEST, init false) with its withdraw flag, so a test can say
 * "no withdrawal happened during X".
 */
public final class GobgpObserver implements AutoCloseable {
    /** IPv4 unicast. */
    public static final Family IPV4 = family(Family.Afi.AFI_IP);
    /** IPv6 unicast. */
    public static final Family IPV6 = family(Family.Afi.AFI_IP6);

    private final ManagedChannel channel;
    private final GobgpApiGrpc.GobgpApiBlockingStub blocking;
    private final GobgpApiGrpc.GobgpApiStub async;
    private final List<PathView> events = new CopyOnWriteArrayList<>();
    private volatile Context.CancellableContext watch;
    private volatile boolean watching;

    /** One path as gobgpd shows it (ListPath) or reports it (WatchEvent). */
    public record PathView(String prefix, boolean withdraw, String nextHop, List<String> communities,
                           Integer localPref, Integer origin, long identifier, boolean best, Instant seen) {
        /** Origin code 2: INCOMPLETE. */
        public static final int ORIGIN_INCOMPLETE = 2;
    }

    public GobgpObserver(Path socket) {
        channel = Grpc.newChannelBuilder("unix://" + socket, InsecureChannelCredentials.create()).build();
        blocking = GobgpApiGrpc.newBlockingStub(channel);
        async = GobgpApiGrpc.newStub(channel);
    }

    private static Family family(Family.Afi afi) {
        return Family.newBuilder().setAfi(afi).setSafi(Family.Safi.SAFI_UNICAST).build();
    }

    /** Every path of every destination in gobgpd's global RIB for {@code family}. */
    public List<PathView> list(Family family) {
        ListPathRequest req = ListPathRequest.newBuilder().setTableType(TableType.GLOBAL).setFamily(family).build();
        List<PathView> out = new ArrayList<>();
        Iterator<ListPathResponse> it = blocking.withDeadlineAfter(10, TimeUnit.SECONDS).listPath(req);
        while (it.hasNext()) {
            ListPathResponse r = it.next();
            for (net.rrispeaker.gobgp.api.Path p : r.getDestination().getPathsList()) {
                out.add(view(p));
            }
        }
        return out;
    }

    /** The paths gobgpd holds for {@code prefix} (either family). */
    public List<PathView> paths(String prefix) {
        return list(prefix.contains(":") ? IPV6 : IPV4).stream().filter(p -> p.prefix().equals(prefix)).toList();
    }

    /**
     * Starts (or restarts, after gobgpd went away) the best-path event stream and returns once
     * it is live (see {@link #barrier()}). Events are recorded from then on; a restart keeps what
     * was recorded.
     */
    public void watch() {
        startStream();
        barrier();
    }

    /**
     * Proves the event stream is live and has delivered everything that happened before this
     * call: adds a probe path ({@value #PROBE_PREFIX}, path identifier {@value #PROBE_ID}, not one
     * the speaker owns) and deletes it again, waiting for both events. Call it after an
     * observation window so that no event of the window is still in flight.
     */
    public void barrier() {
        net.rrispeaker.gobgp.api.Path probe = probePath();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // the stream may not be registered yet when the first probe goes in: repeat (withdraw +
        // announce) until one announcement and then one withdrawal are seen
        while (true) {
            int before = mark();
            blocking.withDeadlineAfter(10, TimeUnit.SECONDS).addPath(
                    AddPathRequest.newBuilder().setTableType(TableType.GLOBAL).setPath(probe).build());
            boolean seen = seenWithin(before, false, 300);
            blocking.withDeadlineAfter(10, TimeUnit.SECONDS).deletePath(DeletePathRequest.newBuilder()
                    .setTableType(TableType.GLOBAL).setFamily(IPV4).setPath(probe).build());
            if (seen) {
                Await.until(java.time.Duration.ofSeconds(10), "probe " + PROBE_PREFIX + " withdrawn on the event stream",
                        () -> eventsSince(before).stream().anyMatch(e -> e.prefix().equals(PROBE_PREFIX) && e.withdraw()));
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new Await.TimeoutError("gobgpd event stream: probe " + PROBE_PREFIX + " never reported (stream "
                        + (watching ? "open" : "closed") + ")");
            }
        }
    }

    private boolean seenWithin(int since, boolean withdraw, long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        do {
            if (eventsSince(since).stream().anyMatch(e -> e.prefix().equals(PROBE_PREFIX) && e.withdraw() == withdraw)) {
                return true;
            }
            Netns.sleepQuietly(20);
        } while (System.nanoTime() - end < 0);
        return false;
    }

    /** Prefix of the barrier probe (outside the spoke LANs). */
    public static final String PROBE_PREFIX = "10.81.255.248/29";
    /** Path identifier of the barrier probe. */
    public static final int PROBE_ID = 7;

    private static net.rrispeaker.gobgp.api.Path probePath() {
        return net.rrispeaker.gobgp.api.Path.newBuilder()
                .setFamily(IPV4)
                .setIdentifier(PROBE_ID)
                .setNlri(Any.pack(IPAddressPrefix.newBuilder().setPrefix("10.81.255.248").setPrefixLen(29).build()))
                .addPattrs(Any.pack(OriginAttribute.newBuilder().setOrigin(2).build()))
                .addPattrs(Any.pack(NextHopAttribute.newBuilder().setNextHop("0.0.0.0").build()))
                .build();
    }

    private void startStream() {
        stopWatch();
        WatchEventRequest req = WatchEventRequest.newBuilder()
                .setTable(WatchEventRequest.Table.newBuilder().addFilters(WatchEventRequest.Table.Filter.newBuilder()
                        .setType(WatchEventRequest.Table.Filter.Type.BEST).setInit(false)))
                .build();
        Context.CancellableContext ctx = Context.current().withCancellation();
        watch = ctx;
        watching = true;
        ctx.run(() -> async.watchEvent(req, new StreamObserver<>() {
            @Override
            public void onNext(WatchEventResponse value) {
                if (value.hasTable()) {
                    for (net.rrispeaker.gobgp.api.Path p : value.getTable().getPathsList()) {
                        events.add(view(p));
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                watching = false;
            }

            @Override
            public void onCompleted() {
                watching = false;
            }
        }));
    }

    /** False once the event stream ended (gobgpd stopped); call {@link #watch()} again. */
    public boolean watching() {
        return watching;
    }

    private void stopWatch() {
        Context.CancellableContext w = watch;
        if (w != null) {
            w.cancel(null);
        }
    }

    /** A position in the event record, for {@link #eventsSince}. */
    public int mark() {
        return events.size();
    }

    /** Events recorded after {@code mark}. */
    public List<PathView> eventsSince(int mark) {
        List<PathView> all = List.copyOf(events);
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    /** Withdrawal events recorded after {@code mark}, the barrier probe excluded. */
    public List<PathView> withdrawalsSince(int mark) {
        return eventsSince(mark).stream().filter(PathView::withdraw).filter(e -> !e.prefix().equals(PROBE_PREFIX)).toList();
    }

    static PathView view(net.rrispeaker.gobgp.api.Path p) {
        String prefix = prefixOf(p.getNlri());
        String nextHop = null;
        List<String> communities = new ArrayList<>();
        Integer localPref = null;
        Integer origin = null;
        try {
            for (Any a : p.getPattrsList()) {
                if (a.is(NextHopAttribute.class)) {
                    nextHop = a.unpack(NextHopAttribute.class).getNextHop();
                } else if (a.is(MpReachNLRIAttribute.class)) {
                    MpReachNLRIAttribute mp = a.unpack(MpReachNLRIAttribute.class);
                    if (mp.getNextHopsCount() > 0) {
                        nextHop = mp.getNextHops(0);
                    }
                } else if (a.is(CommunitiesAttribute.class)) {
                    for (int c : a.unpack(CommunitiesAttribute.class).getCommunitiesList()) {
                        communities.add((c >>> 16) + ":" + (c & 0xffff));
                    }
                } else if (a.is(LocalPrefAttribute.class)) {
                    localPref = a.unpack(LocalPrefAttribute.class).getLocalPref();
                } else if (a.is(OriginAttribute.class)) {
                    origin = a.unpack(OriginAttribute.class).getOrigin();
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("gobgpd path attribute: not decodable (" + e.getMessage() + ")", e);
        }
        return new PathView(prefix, p.getIsWithdraw(), nextHop, List.copyOf(communities), localPref, origin,
                Integer.toUnsignedLong(p.getIdentifier()), p.getBest(), Instant.now());
    }

    private static String prefixOf(Any nlri) {
        if (nlri.is(IPAddressPrefix.class)) {
            try {
                IPAddressPrefix ip = nlri.unpack(IPAddressPrefix.class);
                return ip.getPrefix() + "/" + ip.getPrefixLen();
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("gobgpd nlri: not decodable (" + e.getMessage() + ")", e);
            }
        }
        return nlri.getTypeUrl();
    }

    /** True when the API answers (gobgpd is up). */
    public boolean reachable() {
        try {
            list(IPV4);
            return true;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stopWatch();
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
