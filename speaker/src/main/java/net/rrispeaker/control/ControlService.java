package net.rrispeaker.control;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import net.rrispeaker.bfd.BfdStatus;
import net.rrispeaker.control.api.ComponentStatus;
import net.rrispeaker.config.DampeningSettings;
import net.rrispeaker.control.api.ShowBfdRequest;
import net.rrispeaker.control.api.ShowBfdResponse;
import net.rrispeaker.control.api.CryptoRoute;
import net.rrispeaker.control.api.DampenedPeer;
import net.rrispeaker.control.api.ShowDampeningRequest;
import net.rrispeaker.control.api.ShowDampeningResponse;
import net.rrispeaker.dampening.Dampening;
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
import net.rrispeaker.control.api.RedundancyGroupStatus;
import net.rrispeaker.control.api.VrrpNotifyRequest;
import net.rrispeaker.control.api.VrrpNotifyResponse;
import net.rrispeaker.redundancy.VrrpNotice;
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
    private final Supplier<BfdStatus> bfd;
    private final Publishers publishers;

    /** Without publishers: Publish is refused. */
    ControlService(Speaker speaker, Supplier<ReloadResponse> reloader, Supplier<List<ComponentHealth>> components) {
        this(speaker, reloader, components, () -> null, null);
    }

    ControlService(Speaker speaker, Supplier<ReloadResponse> reloader, Supplier<List<ComponentHealth>> components,
                   Supplier<BfdStatus> bfd, Publishers publishers) {
        this.speaker = speaker;
        this.reloader = reloader;
        this.components = components;
        this.bfd = bfd;
        this.publishers = publishers;
    }

    /** The BFD manager's last poll (not the core's state: answered on the calling thread). */
    @Override
    public void showBfd(ShowBfdRequest req, StreamObserver<ShowBfdResponse> out) {
        try {
            out.onNext(BfdFormatter.response(bfd.get()));
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
        }
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
            List<Route> all = v.routes();
            List<Route> dampened = v.dampenedRoutes();
            if (!dampened.isEmpty()) {
                all = new ArrayList<>(all);
                all.addAll(dampened);
                // stable: the route table's own order stays for what is announced
                all.sort(Comparator.comparing(Route::vrf).thenComparing(Route::prefix));
            }
            java.util.Set<Route> held = dampened.isEmpty() ? java.util.Set.of() : new java.util.HashSet<>(dampened);
            for (Route r : all) {
                if (!req.getVrf().isEmpty() && !req.getVrf().equals(r.vrf())) {
                    continue;
                }
                boolean isHeld = held.contains(r);
                int owners = isHeld ? 0 : v.refCount(r.key());
                String group = v.groupOf(r);
                b.addRoutes(CryptoRoute.newBuilder()
                        .setDampened(isHeld)
                        .setRedundancyGroup(group == null ? "" : group)
                        .setVrf(r.vrf())
                        .setPrefix(r.prefix().toString())
                        .setNextHop(r.nextHop() == null ? "" : Addresses.format(r.nextHop()))
                        .setInterface(r.iface() == null ? "" : r.iface())
                        .setDistance(r.distance())
                        .setTag(r.tag())
                        .setKind(r.kind().code())
                        .setOrigin(r.origin())
                        .setOwners(owners)
                        .setWithdrawing(owners == 0 && !isHeld));
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
                String dampened = v.dampened(sa) ? " (dampened)" : "";
                for (Prefix p : sa.localTs()) {
                    e.addLocalTs(p.toString());
                }
                for (Route r : v.routesOf(sa)) {
                    e.addRoutes(r.prefix() + " via " + (r.nextHop() != null ? Addresses.format(r.nextHop()) : r.iface())
                            + (r.vrf().isEmpty() ? "" : " vrf " + r.vrf()) + dampened);
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
    public void showDampening(ShowDampeningRequest req, StreamObserver<ShowDampeningResponse> out) {
        answer(out, () -> speaker.read(v -> {
            ShowDampeningResponse.Builder b = ShowDampeningResponse.newBuilder();
            DampeningSettings d = v.config().dampening();
            if (d == null) {
                return b.setEnabled(false).build();
            }
            b.setEnabled(true).setHalfLifeS((int) d.halfLife().toSeconds()).setReuse(d.reuse())
                    .setSuppress(d.suppress()).setMaxSuppressS((int) d.maxSuppress().toSeconds())
                    .setMaxPenalty((int) Math.min(Integer.MAX_VALUE, Math.round(d.maxPenalty())));
            long now = v.now();
            for (Dampening.PeerState p : v.dampeningHistory()) {
                int space = p.peer().indexOf(' ');
                b.addPeers(DampenedPeer.newBuilder()
                        .setRemoteHost(space < 0 ? p.peer() : p.peer().substring(0, space))
                        .setRemoteId(space < 0 ? "" : p.peer().substring(space + 1))
                        .setPenalty((int) Math.min(Integer.MAX_VALUE, Math.round(p.penalty())))
                        .setFlaps(p.flaps())
                        .setSuppressed(p.suppressed())
                        .setReuseInMs(p.suppressed() ? Math.max(0, (p.reuseAt() - now) / 1_000_000) : 0)
                        .setSinceFirstFlapMs(Math.max(0, (now - p.firstFlap()) / 1_000_000))
                        .setSas(p.sas())
                        .setDampenedRoutes(v.dampenedRoutesOf(p.peer())));
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
            return speaker.read(v -> {
                StatusResponse.Builder b = StatusResponse.newBuilder()
                        .setConfigFile(v.config().file())
                        .setSas(v.sas().size())
                        .setRoutes(v.routes().size())
                        .setDesiredPaths(v.desired().size())
                        .addAllComponents(cs);
                for (Speaker.GroupStatus g : v.redundancyGroups()) {
                    b.addRedundancyGroups(RedundancyGroupStatus.newBuilder().setName(g.name())
                            .setVrrpInstance(g.vrrpInstance()).setState(g.state()).setPriority(g.priority())
                            .setSinceSeconds(g.sinceSeconds()).setActive(g.active()).setStandby(g.standby())
                            .addAllMaps(g.maps()));
                }
                return b.build();
            });
        });
    }

    /** keepalived's notify script, through {@code rri-speaker vrrp-notify}: arguments checked like FIFO lines. */
    @Override
    public void vrrpNotify(VrrpNotifyRequest req, StreamObserver<VrrpNotifyResponse> out) {
        VrrpNotice notice;
        try {
            notice = VrrpNotice.of(req.getType(), req.getName(), req.getState(), req.getPriority());
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("vrrp-notify: " + e.getMessage()).asRuntimeException());
            return;
        }
        answer(out, () -> speaker.vrrpNotice(notice)
                .thenApply(changed -> VrrpNotifyResponse.newBuilder().addAllGroupsChanged(changed).build()));
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
