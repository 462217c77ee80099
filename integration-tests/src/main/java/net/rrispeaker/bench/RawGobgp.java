package net.rrispeaker.bench;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.gobgp.api.AddPathRequest;
import net.rrispeaker.gobgp.api.AddPathStreamRequest;
import net.rrispeaker.gobgp.api.CommunitiesAttribute;
import net.rrispeaker.gobgp.api.Family;
import net.rrispeaker.gobgp.api.GetTableRequest;
import net.rrispeaker.gobgp.api.GobgpApiGrpc;
import net.rrispeaker.gobgp.api.IPAddressPrefix;
import net.rrispeaker.gobgp.api.ListPathRequest;
import net.rrispeaker.gobgp.api.ListPathResponse;
import net.rrispeaker.gobgp.api.LocalPrefAttribute;
import net.rrispeaker.gobgp.api.NextHopAttribute;
import net.rrispeaker.gobgp.api.OriginAttribute;
import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.gobgp.api.TableType;

/**
 * The baseline client: the GoBGP API stubs used directly, with no speaker code in between. Paths
 * are built like an RRI path (ORIGIN incomplete, NEXT_HOP self, LOCAL_PREF, one community) but by
 * hand, so the baseline measures gobgpd and the transport only.
 */
final class RawGobgp {
    static final Family IPV4_UNICAST = Family.newBuilder().setAfi(Family.Afi.AFI_IP)
            .setSafi(Family.Safi.SAFI_UNICAST).build();

    private final Channel channel;

    RawGobgp(Channel channel) {
        this.channel = channel;
    }

    /** One IPv4 path as the speaker would send it for tag/distance → community/LOCAL_PREF. */
    static Path path(BenchData.Entry e, int identifier) {
        return Path.newBuilder()
                .setFamily(IPV4_UNICAST)
                .setNlri(Any.pack(IPAddressPrefix.newBuilder().setPrefix(e.address()).setPrefixLen(e.length()).build()))
                .setIdentifier(identifier)
                .addPattrs(Any.pack(OriginAttribute.newBuilder().setOrigin(2).build()))
                .addPattrs(Any.pack(NextHopAttribute.newBuilder().setNextHop("0.0.0.0").build()))
                .addPattrs(Any.pack(LocalPrefAttribute.newBuilder().setLocalPref(BenchData.LOCAL_PREF).build()))
                .addPattrs(Any.pack(CommunitiesAttribute.newBuilder().addCommunities(BenchData.COMMUNITY).build()))
                .build();
    }

    /** The N paths cut into AddPathStream messages of {@code batch} paths (global table). */
    static List<AddPathStreamRequest> messages(List<Path> paths, int batch) {
        List<AddPathStreamRequest> out = new ArrayList<>();
        for (int from = 0; from < paths.size(); from += batch) {
            out.add(AddPathStreamRequest.newBuilder().setTableType(TableType.GLOBAL)
                    .addAllPaths(paths.subList(from, Math.min(paths.size(), from + batch))).build());
        }
        return out;
    }

    /** Sends all messages on one AddPathStream, half-closes, waits for the server's Empty. */
    void stream(List<AddPathStreamRequest> messages, Duration timeout) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<AddPathStreamRequest> out = GobgpApiGrpc.newStub(channel)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .addPathStream(new StreamObserver<>() {
                    @Override
                    public void onNext(Empty value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        for (AddPathStreamRequest m : messages) {
            out.onNext(m);
        }
        out.onCompleted();
        done.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    /** One unary AddPath per path, each awaited before the next. */
    void unary(List<Path> paths) {
        GobgpApiGrpc.GobgpApiBlockingStub stub = GobgpApiGrpc.newBlockingStub(channel);
        for (Path p : paths) {
            stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .addPath(AddPathRequest.newBuilder().setTableType(TableType.GLOBAL).setPath(p).build());
        }
    }

    /** Reads the whole global IPv4 unicast table with ListPath; returns the number of paths. */
    long listAll(Duration timeout) {
        long count = 0;
        Iterator<ListPathResponse> it = GobgpApiGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .listPath(ListPathRequest.newBuilder().setTableType(TableType.GLOBAL).setFamily(IPV4_UNICAST).build());
        while (it.hasNext()) {
            count += it.next().getDestination().getPathsCount();
        }
        return count;
    }

    /** num_path of gobgpd's global IPv4 unicast table. */
    long numPaths() {
        return GobgpApiGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .getTable(GetTableRequest.newBuilder().setTableType(TableType.GLOBAL).setFamily(IPV4_UNICAST).build())
                .getNumPath();
    }

    /** Polls GetTable every 5 ms until it shows {@code n} paths; fails after {@code timeout}. */
    void awaitPaths(long n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        long seen = -1;
        while (System.nanoTime() < end) {
            seen = numPaths();
            if (seen == n) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("gobgpd num_path: " + seen + " (expected: " + n + " within " + timeout + ")");
    }
}
