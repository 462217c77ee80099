package net.rrispeaker.bench;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.rrispeaker.gobgp.api.AddPathRequest;
import net.rrispeaker.gobgp.api.DeletePathRequest;
import net.rrispeaker.gobgp.api.GobgpApiGrpc;
import net.rrispeaker.gobgp.api.IPAddressPrefix;
import net.rrispeaker.gobgp.api.NextHopAttribute;
import net.rrispeaker.gobgp.api.OriginAttribute;
import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.gobgp.api.TableType;
import net.rrispeaker.gobgp.api.WatchEventRequest;
import net.rrispeaker.gobgp.api.WatchEventResponse;

/**
 * gobgpd's best-path event stream (WatchEvent, table filter BEST, no initial dump) as the
 * benchmark's clock on the RIB side. Each message is timestamped with {@link System#nanoTime()}
 * when it arrives, before it is decoded. Paths of the benchmark's routes ({@link BenchData}) are
 * mapped to their index by arithmetic, so 100,000 routes cost no map:
 *
 * <ul>
 *   <li>which routes are in the RIB now ({@link #present()}), when the first arrived after a
 *       {@link #mark}, and the arrival time of every route that became present (cold-start
 *       curve);</li>
 *   <li>expectations ({@link #expect}): "route i will be announced/withdrawn, its cause was sent at
 *       t"; the next event of that kind for route i adds {@code arrival - t} to the announce or
 *       withdraw latencies;</li>
 *   <li>every path change of a benchmark route since the mark ({@link #changes()}); changes no
 *       expectation explains ({@link #unexpected()}).</li>
 * </ul>
 *
 * <p>The stream is proven live by a probe path outside the benchmark's prefixes
 * ({@value #PROBE}/29, added and deleted through the API), {@link #barrier()}.
 */
final class RibWatch implements AutoCloseable {
    static final String PROBE = "192.0.2.248";
    private static final int PROBE_BITS = 0xC00002F8;
    private static final long NONE = 0;

    private final ManagedChannel channel;
    private final int n;
    private final long epoch;
    private final BitSet present;
    private final long[] pendingAnnounce; // per route: 0 = nothing expected; else sent - epoch
    private final long[] pendingWithdraw;
    private int presentCount;
    private long firstArrival = -1;
    private long[] arrivals = new long[1024];
    private int arrivalCount;
    private boolean recordArrivals;
    private long changes;
    private long unexpected;
    private long overwritten;
    private long probeAnnounces;
    private long probeWithdraws;
    private long foreign;
    private final Latencies announceLatency = new Latencies();
    private final Latencies withdrawLatency = new Latencies();
    private long withdrawOffsetNanos;
    private volatile boolean open;
    private volatile Throwable failure;
    private Context.CancellableContext context;

    RibWatch(ManagedChannel channel, int n) {
        this.channel = channel;
        this.n = n;
        this.epoch = System.nanoTime() - 1;
        this.present = new BitSet(n);
        this.pendingAnnounce = new long[n];
        this.pendingWithdraw = new long[n];
    }

    /** Opens the stream and returns once it is proven live. */
    void start() throws InterruptedException {
        WatchEventRequest req = WatchEventRequest.newBuilder()
                .setTable(WatchEventRequest.Table.newBuilder().addFilters(WatchEventRequest.Table.Filter.newBuilder()
                        .setType(WatchEventRequest.Table.Filter.Type.BEST).setInit(false)))
                .build();
        context = Context.current().withCancellation();
        open = true;
        context.run(() -> GobgpApiGrpc.newStub(channel).watchEvent(req, new StreamObserver<>() {
            @Override
            public void onNext(WatchEventResponse value) {
                long now = System.nanoTime();
                if (value.hasTable()) {
                    onPaths(value.getTable(), now);
                }
            }

            @Override
            public void onError(Throwable t) {
                failure = t;
                open = false;
            }

            @Override
            public void onCompleted() {
                open = false;
            }
        }));
        barrier();
    }

    private synchronized void onPaths(WatchEventResponse.TableEvent table, long now) {
        for (Path p : table.getPathsList()) {
            int address;
            int length;
            try {
                IPAddressPrefix ip = IPAddressPrefix.parseFrom(p.getNlri().getValue());
                address = dottedQuad(ip.getPrefix());
                length = ip.getPrefixLen();
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                foreign++;
                continue;
            }
            boolean withdraw = p.getIsWithdraw();
            if (address == PROBE_BITS && length == 29) {
                if (withdraw) {
                    probeWithdraws++;
                } else {
                    probeAnnounces++;
                }
                notifyAll();
                continue;
            }
            int i = BenchData.indexOf(address, length, n);
            if (i < 0) {
                foreign++;
                continue;
            }
            changes++;
            if (withdraw) {
                if (present.get(i)) {
                    present.clear(i);
                    presentCount--;
                }
            } else {
                if (firstArrival < 0) {
                    firstArrival = now;
                }
                if (!present.get(i)) {
                    present.set(i);
                    presentCount++;
                    if (recordArrivals) {
                        if (arrivalCount == arrivals.length) {
                            arrivals = java.util.Arrays.copyOf(arrivals, arrivalCount * 2);
                        }
                        arrivals[arrivalCount++] = now;
                    }
                }
            }
            long[] slot = withdraw ? pendingWithdraw : pendingAnnounce;
            long want = slot[i];
            if (want != NONE) {
                slot[i] = NONE;
                long sent = want + epoch;
                if (withdraw) {
                    withdrawLatency.add(now - sent - withdrawOffsetNanos);
                } else {
                    announceLatency.add(now - sent);
                }
            } else {
                unexpected++;
            }
        }
        notifyAll();
    }

    /** Parses {@code a.b.c.d} without a library (gobgpd writes plain dotted quads). */
    static int dottedQuad(String s) {
        int value = 0;
        int octet = 0;
        int dots = 0;
        int digits = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '.') {
                if (digits == 0 || ++dots > 3) {
                    throw new IllegalArgumentException("not an IPv4 address: " + s);
                }
                value = value << 8 | octet;
                octet = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                octet = octet * 10 + (c - '0');
                digits++;
                if (octet > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: " + s);
                }
            } else {
                throw new IllegalArgumentException("not an IPv4 address: " + s);
            }
        }
        if (dots != 3 || digits == 0) {
            throw new IllegalArgumentException("not an IPv4 address: " + s);
        }
        return value << 8 | octet;
    }

    /**
     * Starts a new observation: clears the first-arrival time, the change counters, the
     * latencies and expectations; keeps which routes are present. {@code recordArrivals}: log the
     * arrival time of every route that becomes present. {@code withdrawOffsetNanos} is subtracted
     * from every withdraw latency (the speaker's configured withdraw delay).
     */
    synchronized void mark(boolean recordArrivals, long withdrawOffsetNanos) {
        this.recordArrivals = recordArrivals;
        this.withdrawOffsetNanos = withdrawOffsetNanos;
        firstArrival = -1;
        arrivalCount = 0;
        changes = 0;
        unexpected = 0;
        overwritten = 0;
        foreign = 0;
        java.util.Arrays.fill(pendingAnnounce, NONE);
        java.util.Arrays.fill(pendingWithdraw, NONE);
        announceLatency.clear();
        withdrawLatency.clear();
    }

    /**
     * Route {@code i} will be withdrawn (or announced); its cause was sent at {@code sentNanos}.
     * One announcement and one withdrawal may be outstanding per route at a time, so a route
     * that goes down and up again before the withdrawal reached gobgpd is still measured right.
     */
    synchronized void expect(int i, boolean withdraw, long sentNanos) {
        long[] slot = withdraw ? pendingWithdraw : pendingAnnounce;
        if (slot[i] != NONE) {
            overwritten++;
        }
        slot[i] = sentNanos - epoch;
    }

    /**
     * Routes still waiting for an expected change, not counting {@link #coalesced()} ones
     * (O(N): poll it, do not use it as an {@link #await} condition).
     */
    synchronized int waiting() {
        int k = 0;
        for (int i = 0; i < n; i++) {
            boolean a = pendingAnnounce[i] != NONE;
            boolean w = pendingWithdraw[i] != NONE;
            if ((a || w) && !(a && w && present.get(i))) {
                k += (a ? 1 : 0) + (w ? 1 : 0);
            }
        }
        return k;
    }

    /**
     * Routes whose withdrawal and re-announcement are both still expected while the route is in
     * the RIB: the speaker got the down and the up before it handed the change over and, being
     * level-triggered, rightly changed nothing. Each is two events without a latency.
     */
    synchronized int coalesced() {
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (pendingAnnounce[i] != NONE && pendingWithdraw[i] != NONE && present.get(i)) {
                k++;
            }
        }
        return k;
    }

    synchronized int present() {
        return presentCount;
    }

    synchronized boolean isPresent(int i) {
        return present.get(i);
    }

    /** nanoTime of the first announcement after the mark, or -1. */
    synchronized long firstArrival() {
        return firstArrival;
    }

    /** nanoTime of every route that became present since the mark, in arrival order. */
    synchronized long[] arrivals() {
        return java.util.Arrays.copyOf(arrivals, arrivalCount);
    }

    synchronized long changes() {
        return changes;
    }

    /** Expectations replaced by a newer one for the same route before they were met (lost events). */
    synchronized long overwritten() {
        return overwritten;
    }

    synchronized long unexpected() {
        return unexpected;
    }

    /** Paths of prefixes that are neither the benchmark's routes nor the probe. */
    synchronized long foreign() {
        return foreign;
    }

    Latencies announceLatency() {
        return announceLatency;
    }

    Latencies withdrawLatency() {
        return withdrawLatency;
    }

    /** Waits (in wait/notify, no polling of gobgpd) until {@code condition} holds; false on timeout. */
    synchronized boolean await(BooleanSupplier condition, long timeoutNanos) throws InterruptedException {
        long end = System.nanoTime() + timeoutNanos;
        while (!condition.getAsBoolean()) {
            checkOpen();
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
        return true;
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("gobgpd WatchEvent stream ended" + (failure == null ? "" : ": " + failure));
        }
    }

    /**
     * Adds the probe path and deletes it again, waiting for both events: afterwards every event
     * gobgpd raised before this call has been delivered. Retries the add while the stream is not
     * registered yet.
     */
    void barrier() throws InterruptedException {
        GobgpApiGrpc.GobgpApiBlockingStub stub = GobgpApiGrpc.newBlockingStub(channel);
        Path probe = Path.newBuilder()
                .setFamily(RawGobgp.IPV4_UNICAST)
                .setNlri(Any.pack(IPAddressPrefix.newBuilder().setPrefix(PROBE).setPrefixLen(29).build()))
                .addPattrs(Any.pack(OriginAttribute.newBuilder().setOrigin(2).build()))
                .addPattrs(Any.pack(NextHopAttribute.newBuilder().setNextHop("0.0.0.0").build()))
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long announcesBefore;
            long withdrawsBefore;
            synchronized (this) {
                announcesBefore = probeAnnounces;
                withdrawsBefore = probeWithdraws;
            }
            stub.withDeadlineAfter(10, TimeUnit.SECONDS).addPath(
                    AddPathRequest.newBuilder().setTableType(TableType.GLOBAL).setPath(probe).build());
            boolean seen = await(() -> probeAnnounces > announcesBefore, TimeUnit.MILLISECONDS.toNanos(500));
            stub.withDeadlineAfter(10, TimeUnit.SECONDS).deletePath(DeletePathRequest.newBuilder()
                    .setTableType(TableType.GLOBAL).setFamily(RawGobgp.IPV4_UNICAST).setPath(probe).build());
            if (seen) {
                if (!await(() -> probeWithdraws > withdrawsBefore, TimeUnit.SECONDS.toNanos(30))) {
                    throw new IllegalStateException("gobgpd WatchEvent: probe " + PROBE + "/29 withdrawal not reported in 30 s");
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gobgpd WatchEvent: probe " + PROBE + "/29 never reported");
            }
        }
    }

    @Override
    public void close() {
        Context.CancellableContext c = context;
        if (c != null) {
            c.cancel(null);
        }
    }
}
