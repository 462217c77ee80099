package net.rrispeaker.control;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import net.rrispeaker.control.api.ComponentStatus;
import net.rrispeaker.control.api.CryptoRoute;
import net.rrispeaker.control.api.PublishReply;
import net.rrispeaker.control.api.PublishRequest;
import net.rrispeaker.control.api.ReloadRequest;
import net.rrispeaker.control.api.ReloadResponse;
import net.rrispeaker.control.api.RriControlGrpc;
import net.rrispeaker.control.api.SaEntry;
import net.rrispeaker.control.api.ShowCryptoRouteRequest;
import net.rrispeaker.control.api.ShowCryptoRouteResponse;
import net.rrispeaker.control.api.ShowSaRequest;
import net.rrispeaker.control.api.ShowSaResponse;
import net.rrispeaker.control.api.StatusRequest;
import net.rrispeaker.control.api.StatusResponse;
import net.rrispeaker.core.Speaker;
import net.rrispeaker.guard.Refusal;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.ChildSa;

/** The control API: reads the core through {@link Speaker#read}, reloads through a supplier. */
final class ControlService extends RriControlGrpc.RriControlImplBase {
    private static final long CORE_TIMEOUT_SECONDS = 10;
    private final Speaker speaker;
    private final Supplier<ReloadResponse> reloader;
    private final Supplier<List<ComponentHealth>> components;
    private final Publishers publishers;

    /** Without publishers: Publish is refused. */
    ControlService(Speaker speaker, Supplier<ReloadResponse> reloader, Supplier<List<ComponentHealth>> components) {
        this(speaker, reloader, components, null);
    }

    ControlService(Speaker speaker, Supplier<ReloadResponse> reloader, Supplier<List<ComponentHealth>> components,
                   Publishers publishers) {
        this.speaker = speaker;
        this.reloader = reloader;
        this.components = components;
        this.publishers = publishers;
    }

    /** A publisher's stream; {@link ControlAccess} has admitted the caller (and says under which rules). */
    @Override
    public StreamObserver<PublishRequest> publish(StreamObserver<PublishReply> out) {
        ControlAccess.Publishing who = ControlAccess.PUBLISHER.get();
        if (who == null || who.rules().isEmpty() || publishers == null) {
            // not reachable through ControlAccess; a server without it publishes nothing
            out.onError(Status.PERMISSION_DENIED.withDescription("not a publisher").asRuntimeException());
            return new StreamObserver<>() {
                @Override
                public void onNext(PublishRequest value) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }
        return publishers.open(who, out);
    }

    @Override
    public void showCryptoRoute(ShowCryptoRouteRequest req, StreamObserver<ShowCryptoRouteResponse> out) {
        answer(out, () -> speaker.read(v -> {
            ShowCryptoRouteResponse.Builder b = ShowCryptoRouteResponse.newBuilder();
            for (Route r : v.routes()) {
                if (!req.getVrf().isEmpty() && !req.getVrf().equals(r.vrf())) {
                    continue;
                }
                int owners = v.refCount(r.key());
                b.addRoutes(CryptoRoute.newBuilder()
                        .setVrf(r.vrf())
                        .setPrefix(r.prefix().toString())
                        .setNextHop(r.nextHop() == null ? "" : Addresses.format(r.nextHop()))
                        .setInterface(r.iface() == null ? "" : r.iface())
                        .setDistance(r.distance())
                        .setTag(r.tag())
                        .setKind(r.kind().code())
                        .setOrigin(r.origin())
                        .setOwners(owners)
                        .setWithdrawing(owners == 0));
            }
            return b.build();
        }));
    }

    @Override
    public void showSa(ShowSaRequest req, StreamObserver<ShowSaResponse> out) {
        answer(out, () -> speaker.read(v -> {
            ShowSaResponse.Builder b = ShowSaResponse.newBuilder();
            for (ChildSa sa : v.sas()) {
                SaEntry.Builder e = SaEntry.newBuilder()
                        .setSource(sa.source())
                        .setConnection(sa.connection()).setIkeId(sa.ikeId())
                        .setChild(sa.child()).setChildId(sa.childId()).setReqid(sa.reqid())
                        .setRemoteHost(Addresses.format(sa.remoteHost())).setRemoteId(sa.remoteId())
                        .setLocalHost(sa.localHost() == null ? "" : Addresses.format(sa.localHost()))
                        .setIfId(sa.ifId()).addAllUnroutableTs(sa.unroutableTs());
                for (Prefix p : sa.remoteTs()) {
                    e.addRemoteTs(p.toString());
                }
                for (Prefix p : sa.localTs()) {
                    e.addLocalTs(p.toString());
                }
                for (Route r : v.routesOf(sa)) {
                    e.addRoutes(r.prefix() + " via " + (r.nextHop() != null ? Addresses.format(r.nextHop()) : r.iface())
                            + (r.vrf().isEmpty() ? "" : " vrf " + r.vrf()));
                }
                for (Refusal r : v.refusalsOf(sa)) {
                    e.addRefused(r.summary());
                }
                b.addSas(e);
            }
            return b.build();
        }));
    }

    @Override
    public void reload(ReloadRequest req, StreamObserver<ReloadResponse> out) {
        try {
            out.onNext(reloader.get());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(Status.INTERNAL.withDescription("reload failed: " + e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void status(StatusRequest req, StreamObserver<StatusResponse> out) {
        answer(out, () -> {
            // Asked here, not on the core thread: a component's state must not hold the core up.
            List<ComponentStatus> cs = new ArrayList<>();
            for (ComponentHealth h : components.get()) {
                cs.add(ComponentStatus.newBuilder().setName(h.name()).setConnected(h.connected())
                        .setDetail(h.detail() == null ? "" : h.detail()).build());
            }
            return speaker.read(v -> StatusResponse.newBuilder()
                    .setConfigFile(v.config().file())
                    .setSas(v.sas().size())
                    .setRoutes(v.routes().size())
                    .setDesiredPaths(v.desired().size())
                    .addAllComponents(cs)
                    .build());
        });
    }

    private interface Call<T> {
        CompletableFuture<T> start();
    }

    /** Waits for the core's answer; a core that is gone or stuck is an error the CLI can name. */
    private static <T> void answer(StreamObserver<T> out, Call<T> call) {
        try {
            out.onNext(call.start().get(CORE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            out.onCompleted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.onError(Status.CANCELLED.asRuntimeException());
        } catch (RejectedExecutionException e) {
            out.onError(Status.UNAVAILABLE.withDescription("the speaker is stopping").asRuntimeException());
        } catch (TimeoutException e) {
            out.onError(Status.DEADLINE_EXCEEDED
                    .withDescription("the core did not answer within " + CORE_TIMEOUT_SECONDS + " s").asRuntimeException());
        } catch (ExecutionException e) {
            out.onError(Status.INTERNAL.withDescription(String.valueOf(e.getCause())).asRuntimeException());
        } catch (RuntimeException e) {
            out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
        }
    }
}
