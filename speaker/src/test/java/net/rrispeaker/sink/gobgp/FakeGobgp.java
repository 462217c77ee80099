package net.rrispeaker.sink.gobgp;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.gobgp.api.AddPathRequest;
import net.rrispeaker.gobgp.api.AddPathResponse;
import net.rrispeaker.gobgp.api.AddPathStreamRequest;
import net.rrispeaker.gobgp.api.AddVrfRequest;
import net.rrispeaker.gobgp.api.DeletePathRequest;
import net.rrispeaker.gobgp.api.DeleteVrfRequest;
import net.rrispeaker.gobgp.api.Destination;
import net.rrispeaker.gobgp.api.ExtendedCommunitiesAttribute;
import net.rrispeaker.gobgp.api.Family;
import net.rrispeaker.gobgp.api.LabeledVPNIPAddressPrefix;
import net.rrispeaker.gobgp.api.GetBgpRequest;
import net.rrispeaker.gobgp.api.GetBgpResponse;
import net.rrispeaker.gobgp.api.Global;
import net.rrispeaker.gobgp.api.GobgpApiGrpc;
import net.rrispeaker.gobgp.api.IPAddressPrefix;
import net.rrispeaker.gobgp.api.ListPathRequest;
import net.rrispeaker.gobgp.api.ListPathResponse;
import net.rrispeaker.gobgp.api.ListVrfRequest;
import net.rrispeaker.gobgp.api.ListVrfResponse;
import net.rrispeaker.gobgp.api.OriginAttribute;
import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.gobgp.api.TableType;
import net.rrispeaker.gobgp.api.Vrf;
import net.rrispeaker.gobgp.api.WatchEventRequest;
import net.rrispeaker.gobgp.api.WatchEventResponse;

/**
 * A gobgpd stand-in with the 3.10 rules the sink depends on: a path's identity is (vrf, prefix,
 * identifier); ORIGIN is mandatory; one bad path aborts a stream (earlier messages stay applied);
 * an empty DeletePath flushes; VRF paths get the VRF's export RTs appended; a restart empties
 * everything and ends the watch streams. Records every request.
 */
final class FakeGobgp extends GobgpApiGrpc.GobgpApiImplBase {
    /** vrf + "|" + prefix/len + "|" + identifier -> path as stored. */
    final Map<String, Path> rib = Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, Vrf> vrfs = new ConcurrentHashMap<>();
    final List<AddPathStreamRequest> streamMessages = Collections.synchronizedList(new ArrayList<>());
    final List<AddPathRequest> unaryAdds = Collections.synchronizedList(new ArrayList<>());
    final List<DeletePathRequest> unaryDeletes = Collections.synchronizedList(new ArrayList<>());
    final List<AddVrfRequest> addVrfs = Collections.synchronizedList(new ArrayList<>());
    final List<String> deletedVrfs = Collections.synchronizedList(new ArrayList<>());
    final Set<String> rejectPrefixes = ConcurrentHashMap.newKeySet();
    private final List<StreamObserver<WatchEventResponse>> watchers = Collections.synchronizedList(new ArrayList<>());
    volatile int asn = 65000;
    volatile int getBgpCalls;
    /** While set, each stream message waits until it opens: holds the sink's worker in the middle of a write. */
    volatile CountDownLatch streamGate;
    /** Released once per stream message that reached {@link #streamGate}. */
    final Semaphore streamHeld = new Semaphore(0);

    /** gobgpd restarted: no paths, no VRFs, watch streams broken. */
    void restart() {
        rib.clear();
        vrfs.clear();
        endWatches();
    }

    /** The watch streams end (a client sees the connection drop) but gobgpd keeps its state. */
    void endWatches() {
        List<StreamObserver<WatchEventResponse>> w;
        synchronized (watchers) {
            w = new ArrayList<>(watchers);
            watchers.clear();
        }
        w.forEach(o -> o.onError(Status.UNAVAILABLE.withDescription("gobgpd restarted").asRuntimeException()));
    }

    /** Deletes every path of a prefix straight from the RIB, as another client (or an operator) would. */
    void delete(String vrf, String prefix) {
        synchronized (rib) {
            rib.keySet().removeIf(k -> k.startsWith(vrf + "|" + prefix + "|"));
        }
    }

    /** Puts a path straight into the RIB, as another client (or an earlier speaker) would have. */
    void seed(String vrf, Path p) {
        rib.put(key(vrf, p), p);
    }

    List<Path> paths(String vrf) {
        synchronized (rib) {
            return rib.entrySet().stream().filter(e -> e.getKey().startsWith(vrf + "|")).map(Map.Entry::getValue).toList();
        }
    }

    int streamedPaths() {
        synchronized (streamMessages) {
            return streamMessages.stream().mapToInt(AddPathStreamRequest::getPathsCount).sum();
        }
    }

    static String prefixOf(Path p) {
        try {
            IPAddressPrefix n = p.getNlri().unpack(IPAddressPrefix.class);
            return n.getPrefix() + "/" + n.getPrefixLen();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(String vrf, Path p) {
        return vrf + "|" + prefixOf(p) + "|" + p.getIdentifier();
    }

    /** Applies one path like gobgpd; returns an error status or null. */
    private Status apply(TableType table, String vrf, Path p) {
        if (!p.hasFamily()) {
            return Status.UNKNOWN.withDescription("family cannot be nil");
        }
        String v = table == TableType.VRF ? vrf : "";
        if (!v.isEmpty() && !vrfs.containsKey(v)) {
            return Status.UNKNOWN.withDescription("vrf " + v + " not found");
        }
        if (p.getIsWithdraw()) {
            rib.remove(key(v, p));
            return null;
        }
        if (rejectPrefixes.contains(prefixOf(p))) {
            return Status.UNKNOWN.withDescription("invalid nexthop address");
        }
        if (p.getPattrsList().stream().noneMatch(a -> a.is(OriginAttribute.class))) {
            return Status.UNKNOWN.withDescription("no origin path attr");
        }
        Path.Builder stored = p.toBuilder();
        if (!v.isEmpty()) {
            appendExportTargets(stored, vrfs.get(v));
        }
        rib.put(key(v, p), stored.build());
        return null;
    }

    private static void appendExportTargets(Path.Builder b, Vrf vrf) {
        try {
            ExtendedCommunitiesAttribute.Builder ec = ExtendedCommunitiesAttribute.newBuilder();
            for (int i = 0; i < b.getPattrsCount(); i++) {
                if (b.getPattrs(i).is(ExtendedCommunitiesAttribute.class)) {
                    ec.mergeFrom(b.getPattrs(i).unpack(ExtendedCommunitiesAttribute.class));
                    b.removePattrs(i);
                    break;
                }
            }
            ec.addAllCommunities(vrf.getExportRtList());
            if (ec.getCommunitiesCount() > 0) {
                b.addPattrs(Any.pack(ec.build()));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void getBgp(GetBgpRequest request, StreamObserver<GetBgpResponse> out) {
        getBgpCalls++;
        out.onNext(GetBgpResponse.newBuilder().setGlobal(Global.newBuilder().setAsn(asn).setRouterId("10.0.0.1")).build());
        out.onCompleted();
    }

    @Override
    public void watchEvent(WatchEventRequest request, StreamObserver<WatchEventResponse> out) {
        watchers.add(out);
        out.onNext(WatchEventResponse.newBuilder().setPeer(WatchEventResponse.PeerEvent.newBuilder()
                .setType(WatchEventResponse.PeerEvent.Type.END_OF_INIT)).build());
    }

    @Override
    public void addPath(AddPathRequest r, StreamObserver<AddPathResponse> out) {
        unaryAdds.add(r);
        Status s = asn == 0 ? Status.UNKNOWN.withDescription("bgp server hasn't started yet")
                : apply(r.getTableType(), r.getVrfId(), r.getPath());
        if (s != null) {
            out.onError(s.asRuntimeException());
            return;
        }
        out.onNext(AddPathResponse.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void deletePath(DeletePathRequest r, StreamObserver<Empty> out) {
        unaryDeletes.add(r);
        if (!r.hasPath() && r.getUuid().isEmpty()) {
            rib.clear(); // gobgpd: an empty DeletePath deletes every local path
        } else {
            Status s = apply(r.getTableType(), r.getVrfId(), r.getPath().toBuilder().setIsWithdraw(true).build());
            if (s != null) {
                out.onError(s.asRuntimeException());
                return;
            }
        }
        out.onNext(Empty.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public StreamObserver<AddPathStreamRequest> addPathStream(StreamObserver<Empty> out) {
        return new StreamObserver<>() {
            private boolean failed;

            @Override
            public void onNext(AddPathStreamRequest m) {
                if (failed) {
                    return;
                }
                CountDownLatch gate = streamGate;
                if (gate != null) {
                    streamHeld.release();
                    try {
                        gate.await(10, TimeUnit.SECONDS); // a liveness bound: the test opens it
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                streamMessages.add(m);
                // gobgpd converts the whole message first: one bad path and none of it is applied
                for (Path p : m.getPathsList()) {
                    if (!p.getIsWithdraw() && rejectPrefixes.contains(prefixOf(p))) {
                        failed = true;
                        out.onError(Status.UNKNOWN.withDescription("invalid nexthop address").asRuntimeException());
                        return;
                    }
                }
                for (Path p : m.getPathsList()) {
                    Status s = apply(m.getTableType(), m.getVrfId(), p);
                    if (s != null) {
                        failed = true;
                        out.onError(s.asRuntimeException());
                        return;
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                if (!failed) {
                    out.onNext(Empty.getDefaultInstance());
                    out.onCompleted();
                }
            }
        };
    }

    /**
     * GLOBAL unicast: the global paths; GLOBAL VPN: every VRF's paths in VPN form (RD in the NLRI);
     * VRF: like gobgpd 3.10, only paths carrying an RT the VRF imports.
     */
    @Override
    public void listPath(ListPathRequest r, StreamObserver<ListPathResponse> out) {
        boolean vpn = r.getFamily().getSafi() == Family.Safi.SAFI_MPLS_VPN;
        Family unicast = r.getFamily().toBuilder().setSafi(Family.Safi.SAFI_UNICAST).build();
        List<Map.Entry<String, Path>> entries;
        synchronized (rib) {
            entries = List.copyOf(rib.entrySet());
        }
        for (Map.Entry<String, Path> e : entries) {
            String vrf = e.getKey().substring(0, e.getKey().indexOf('|'));
            Path p = e.getValue();
            if (!p.getFamily().equals(unicast)) {
                continue;
            }
            boolean show = r.getTableType() == TableType.VRF
                    ? vrf.equals(r.getName()) && imports(vrfs.get(vrf), p)
                    : vpn ? !vrf.isEmpty() : vrf.isEmpty();
            if (show) {
                Path shown = vpn ? toVpn(p, vrfs.get(vrf)) : p;
                out.onNext(ListPathResponse.newBuilder().setDestination(Destination.newBuilder()
                        .setPrefix(prefixOf(p)).addPaths(shown)).build());
            }
        }
        out.onCompleted();
    }

    private static boolean imports(Vrf vrf, Path p) {
        try {
            for (Any a : p.getPattrsList()) {
                if (a.is(ExtendedCommunitiesAttribute.class)
                        && a.unpack(ExtendedCommunitiesAttribute.class).getCommunitiesList().stream()
                        .anyMatch(vrf.getImportRtList()::contains)) {
                    return true;
                }
            }
            return false;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path toVpn(Path p, Vrf vrf) {
        try {
            IPAddressPrefix n = p.getNlri().unpack(IPAddressPrefix.class);
            return p.toBuilder().setFamily(p.getFamily().toBuilder().setSafi(Family.Safi.SAFI_MPLS_VPN))
                    .setNlri(Any.pack(LabeledVPNIPAddressPrefix.newBuilder().addLabels(0).setRd(vrf.getRd())
                            .setPrefix(n.getPrefix()).setPrefixLen(n.getPrefixLen()).build()))
                    .setNeighborIp("<nil>").build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void addVrf(AddVrfRequest r, StreamObserver<Empty> out) {
        addVrfs.add(r);
        if (!r.getVrf().hasRd()) {
            out.onError(Status.UNKNOWN.withDescription("failed to unmarshal rd").asRuntimeException());
            return;
        }
        if (vrfs.putIfAbsent(r.getVrf().getName(), r.getVrf()) != null) {
            out.onError(Status.UNKNOWN.withDescription("vrf " + r.getVrf().getName() + " already exists").asRuntimeException());
            return;
        }
        out.onNext(Empty.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void deleteVrf(DeleteVrfRequest r, StreamObserver<Empty> out) {
        deletedVrfs.add(r.getName());
        vrfs.remove(r.getName());
        out.onNext(Empty.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void listVrf(ListVrfRequest r, StreamObserver<ListVrfResponse> out) {
        vrfs.values().forEach(v -> out.onNext(ListVrfResponse.newBuilder().setVrf(v).build()));
        out.onCompleted();
    }
}
