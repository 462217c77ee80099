package net.rrispeaker.sink.gobgp;

import com.google.protobuf.Empty;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import net.rrispeaker.gobgp.api.AddPathRequest;
import net.rrispeaker.gobgp.api.AddPathStreamRequest;
import net.rrispeaker.gobgp.api.AddVrfRequest;
import net.rrispeaker.gobgp.api.DeletePathRequest;
import net.rrispeaker.gobgp.api.DeleteVrfRequest;
import net.rrispeaker.gobgp.api.Family;
import net.rrispeaker.gobgp.api.GetBgpRequest;
import net.rrispeaker.gobgp.api.Global;
import net.rrispeaker.gobgp.api.GobgpApiGrpc;
import net.rrispeaker.gobgp.api.ListPathRequest;
import net.rrispeaker.gobgp.api.ListPathResponse;
import net.rrispeaker.gobgp.api.ListPeerRequest;
import net.rrispeaker.gobgp.api.ListPeerResponse;
import net.rrispeaker.gobgp.api.Peer;
import net.rrispeaker.gobgp.api.ListVrfRequest;
import net.rrispeaker.gobgp.api.ListVrfResponse;
import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.gobgp.api.TableType;
import net.rrispeaker.gobgp.api.Vrf;
import net.rrispeaker.gobgp.api.WatchEventRequest;
import net.rrispeaker.gobgp.api.WatchEventResponse;

/**
 * The GoBGP calls the sink makes, each with a deadline. Errors surface as
 * {@link StatusRuntimeException}; gobgpd reports its own errors as {@code UNKNOWN} with a text.
 */
final class GobgpClient {
    private final Channel channel;
    private final Duration deadline;
    private final Duration listDeadline;

    GobgpClient(Channel channel, Duration deadline, Duration listDeadline) {
        this.channel = channel;
        this.deadline = deadline;
        this.listDeadline = listDeadline;
    }

    private GobgpApiGrpc.GobgpApiBlockingStub blocking(Duration d) {
        return GobgpApiGrpc.newBlockingStub(channel).withDeadlineAfter(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    Global getBgp() {
        return blocking(deadline).getBgp(GetBgpRequest.getDefaultInstance()).getGlobal();
    }

    /**
     * Streams every path in one table to {@code each} as gobgpd sends it (one message per
     * destination), so a large table is processed while gobgpd is still serialising it and never
     * held twice in memory.
     */
    void listPath(TableType table, String vrf, Family family, java.util.function.Consumer<Path> each) {
        ListPathRequest.Builder r = ListPathRequest.newBuilder().setTableType(table).setFamily(family);
        if (table == TableType.VRF) {
            r.setName(vrf);
        }
        // the iterator runs under a cancellable context so an abandoned read does not leak the call
        try (Context.CancellableContext ctx = Context.current().withCancellation()) {
            Context prev = ctx.attach();
            try {
                Iterator<ListPathResponse> it = blocking(listDeadline).listPath(r.build());
                while (it.hasNext()) {
                    it.next().getDestination().getPathsList().forEach(each);
                }
            } finally {
                ctx.detach(prev);
            }
        }
    }

    /** Every configured neighbour (ListPeer with an empty address; advertised-route counting off: it is slow). */
    List<Peer> listPeer() {
        List<Peer> out = new ArrayList<>();
        Iterator<ListPeerResponse> it = blocking(listDeadline).listPeer(ListPeerRequest.getDefaultInstance());
        it.forEachRemaining(r -> out.add(r.getPeer()));
        return out;
    }

    List<Vrf> listVrf() {
        List<Vrf> out = new ArrayList<>();
        Iterator<ListVrfResponse> it = blocking(listDeadline).listVrf(ListVrfRequest.getDefaultInstance());
        it.forEachRemaining(r -> out.add(r.getVrf()));
        return out;
    }

    void addVrf(Vrf vrf) {
        blocking(deadline).addVrf(AddVrfRequest.newBuilder().setVrf(vrf).build());
    }

    void deleteVrf(String name) {
        blocking(deadline).deleteVrf(DeleteVrfRequest.newBuilder().setName(name).build());
    }

    void addPath(TableType table, String vrf, Path path) {
        blocking(deadline).addPath(AddPathRequest.newBuilder().setTableType(table).setVrfId(vrf).setPath(path).build());
    }

    /** Deletes exactly {@code path} (never an empty request: that would flush every local path). */
    void deletePath(TableType table, String vrf, Path path) {
        if (!path.hasNlri() || !path.hasFamily()) {
            throw new IllegalArgumentException("delete path: no nlri/family (expected: a full path)");
        }
        blocking(deadline).deletePath(DeletePathRequest.newBuilder().setTableType(table).setVrfId(vrf)
                .setFamily(path.getFamily()).setPath(path).build());
    }

    /**
     * Sends {@code messages} on one AddPathStream, half-closes and waits for the server's Empty:
     * only then is every message applied. Throws the stream's error status.
     */
    void addPathStream(Iterator<AddPathStreamRequest> messages, Duration timeout) {
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
        try {
            while (messages.hasNext()) {
                out.onNext(messages.next());
            }
        } catch (RuntimeException e) {
            out.onError(e); // cancels the call; gobgpd keeps what it applied, the caller replays
            throw e;
        }
        out.onCompleted();
        try {
            done.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StatusRuntimeException s ? s
                    : Status.fromThrowable(e.getCause()).asRuntimeException();
        } catch (TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("AddPathStream: no response").asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        }
    }

    /** A cancellable WatchEvent{peer} stream; {@code onEnd} runs once when it ends or fails. */
    interface Watch {
        void cancel();
    }

    Watch watchPeers(java.util.function.Consumer<Throwable> onEnd) {
        ClientResponseObserver<WatchEventRequest, WatchEventResponse> obs = new ClientResponseObserver<>() {
            private ClientCallStreamObserver<WatchEventRequest> call;

            @Override
            public void beforeStart(ClientCallStreamObserver<WatchEventRequest> requestStream) {
                call = requestStream;
            }

            @Override
            public void onNext(WatchEventResponse value) {
            }

            @Override
            public void onError(Throwable t) {
                onEnd.accept(t);
            }

            @Override
            public void onCompleted() {
                onEnd.accept(null);
            }
        };
        Context.CancellableContext ctx = Context.current().withCancellation();
        ctx.run(() -> GobgpApiGrpc.newStub(channel).watchEvent(WatchEventRequest.newBuilder()
                .setPeer(WatchEventRequest.Peer.getDefaultInstance()).build(), obs));
        return () -> ctx.cancel(null);
    }
}
