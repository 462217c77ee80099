package net.rrispeaker.sink.gobgp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.engine.Addresses;
import net.rrispeaker.engine.Prefix;
import net.rrispeaker.gobgp.api.AsPathAttribute;
import net.rrispeaker.gobgp.api.AsSegment;
import net.rrispeaker.gobgp.api.CommunitiesAttribute;
import net.rrispeaker.gobgp.api.ExtendedCommunitiesAttribute;
import net.rrispeaker.gobgp.api.Family;
import net.rrispeaker.gobgp.api.IPAddressPrefix;
import net.rrispeaker.gobgp.api.LabeledVPNIPAddressPrefix;
import net.rrispeaker.gobgp.api.LargeCommunitiesAttribute;
import net.rrispeaker.gobgp.api.LargeCommunity;
import net.rrispeaker.gobgp.api.LocalPrefAttribute;
import net.rrispeaker.gobgp.api.MpReachNLRIAttribute;
import net.rrispeaker.gobgp.api.MultiExitDiscAttribute;
import net.rrispeaker.gobgp.api.NextHopAttribute;
import net.rrispeaker.gobgp.api.OriginAttribute;
import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.policy.BgpPath;

/**
 * {@link BgpPath} to GoBGP API {@link Path} and back. Every path we create carries our path
 * identifier; that identifier is also what lets a resync tell our paths from anyone else's.
 */
final class PathCodec {
    static final Family IPV4_UNICAST = Family.newBuilder().setAfi(Family.Afi.AFI_IP).setSafi(Family.Safi.SAFI_UNICAST).build();
    static final Family IPV6_UNICAST = Family.newBuilder().setAfi(Family.Afi.AFI_IP6).setSafi(Family.Safi.SAFI_UNICAST).build();
    static final Family VPNV4 = Family.newBuilder().setAfi(Family.Afi.AFI_IP).setSafi(Family.Safi.SAFI_MPLS_VPN).build();
    static final Family VPNV6 = Family.newBuilder().setAfi(Family.Afi.AFI_IP6).setSafi(Family.Safi.SAFI_MPLS_VPN).build();

    private PathCodec() {
    }

    static Family family(Prefix p) {
        return p.isIpv4() ? IPV4_UNICAST : IPV6_UNICAST;
    }

    static Any nlri(Prefix p) {
        return Any.pack(IPAddressPrefix.newBuilder().setPrefix(p.address()).setPrefixLen(p.length()).build());
    }

    /**
     * The announcement for {@code path}. IPv4 uses NEXT_HOP; IPv6 uses MP_REACH_NLRI with the
     * prefix repeated in {@code nlris} (gobgpd rejects an MP_REACH without NLRI). A {@code null}
     * next hop ("self") is sent as the unspecified address, which gobgpd replaces by its own
     * address toward each peer.
     */
    static Path announcement(BgpPath path, int identifier) {
        Prefix prefix = path.prefix();
        Any nlri = nlri(prefix);
        Path.Builder b = Path.newBuilder().setFamily(family(prefix)).setNlri(nlri).setIdentifier(identifier);
        b.addPattrs(Any.pack(OriginAttribute.newBuilder().setOrigin(path.origin()).build()));
        if (prefix.isIpv4()) {
            String nh = path.nextHop() == null ? PathAttributes.SELF_V4 : Addresses.format(path.nextHop());
            b.addPattrs(Any.pack(NextHopAttribute.newBuilder().setNextHop(nh).build()));
        } else {
            String nh = path.nextHop() == null ? PathAttributes.SELF_V6 : Addresses.format(path.nextHop());
            b.addPattrs(Any.pack(MpReachNLRIAttribute.newBuilder().setFamily(IPV6_UNICAST)
                    .addNextHops(nh).addNlris(nlri).build()));
        }
        if (!path.asPathPrepend().isEmpty()) {
            AsSegment.Builder seg = AsSegment.newBuilder().setType(AsSegment.Type.AS_SEQUENCE);
            path.asPathPrepend().forEach(n -> seg.addNumbers(n.intValue()));
            b.addPattrs(Any.pack(AsPathAttribute.newBuilder().addSegments(seg).build()));
        }
        if (path.med() != null) {
            b.addPattrs(Any.pack(MultiExitDiscAttribute.newBuilder().setMed(path.med().intValue()).build()));
        }
        if (path.localPref() != null) {
            b.addPattrs(Any.pack(LocalPrefAttribute.newBuilder().setLocalPref(path.localPref().intValue()).build()));
        }
        if (!path.communities().isEmpty()) {
            CommunitiesAttribute.Builder c = CommunitiesAttribute.newBuilder();
            path.communities().forEach(v -> c.addCommunities(v.intValue()));
            b.addPattrs(Any.pack(c.build()));
        }
        if (!path.largeCommunities().isEmpty()) {
            LargeCommunitiesAttribute.Builder c = LargeCommunitiesAttribute.newBuilder();
            for (BgpPath.LargeCommunity lc : path.largeCommunities()) {
                c.addCommunities(LargeCommunity.newBuilder().setGlobalAdmin((int) lc.global())
                        .setLocalData1((int) lc.local1()).setLocalData2((int) lc.local2()));
            }
            b.addPattrs(Any.pack(c.build()));
        }
        if (!path.routeTargets().isEmpty()) {
            ExtendedCommunitiesAttribute.Builder e = ExtendedCommunitiesAttribute.newBuilder();
            path.routeTargets().forEach(rt -> e.addCommunities(ExtCommunities.routeTarget(rt)));
            b.addPattrs(Any.pack(e.build()));
        }
        return b.build();
    }

    /**
     * The withdrawal of our path for {@code key}: family, NLRI and identifier are the path's identity
     * in gobgpd; {@code is_withdraw} both withdraws (in a stream) and waives the next-hop check (in
     * DeletePath). Never sent without an NLRI: an empty DeletePath would flush every local path.
     */
    static Path withdrawal(BgpPath.Key key, int identifier) {
        return Path.newBuilder().setFamily(family(key.prefix())).setNlri(nlri(key.prefix()))
                .setIdentifier(identifier).setIsWithdraw(true).build();
    }

    /**
     * A path as gobgpd holds it: its prefix, route distinguisher ({@code ""} for a plain unicast
     * NLRI), identifier and normalised attributes.
     */
    record Held(Prefix prefix, String rd, int identifier, PathAttributes attributes) {
    }

    /** Decodes a path from ListPath; throws {@link IllegalArgumentException} naming what is wrong. */
    static Held decode(Path p) {
        try {
            Prefix prefix = decodePrefix(p.getNlri());
            String rd = p.getNlri().is(LabeledVPNIPAddressPrefix.class)
                    ? ExtCommunities.rdText(p.getNlri().unpack(LabeledVPNIPAddressPrefix.class).getRd()) : "";
            int origin = 2;
            String nextHop = null;
            Long med = null;
            Long localPref = null;
            List<Long> communities = new ArrayList<>();
            List<String> large = new ArrayList<>();
            List<String> rts = new ArrayList<>();
            List<Long> asPath = new ArrayList<>();
            for (Any a : p.getPattrsList()) {
                if (a.is(OriginAttribute.class)) {
                    origin = a.unpack(OriginAttribute.class).getOrigin();
                } else if (a.is(NextHopAttribute.class)) {
                    nextHop = a.unpack(NextHopAttribute.class).getNextHop();
                } else if (a.is(MpReachNLRIAttribute.class)) {
                    MpReachNLRIAttribute mp = a.unpack(MpReachNLRIAttribute.class);
                    if (mp.getNextHopsCount() > 0) {
                        nextHop = mp.getNextHops(0);
                    }
                } else if (a.is(MultiExitDiscAttribute.class)) {
                    med = Integer.toUnsignedLong(a.unpack(MultiExitDiscAttribute.class).getMed());
                } else if (a.is(LocalPrefAttribute.class)) {
                    localPref = Integer.toUnsignedLong(a.unpack(LocalPrefAttribute.class).getLocalPref());
                } else if (a.is(CommunitiesAttribute.class)) {
                    a.unpack(CommunitiesAttribute.class).getCommunitiesList()
                            .forEach(c -> communities.add(Integer.toUnsignedLong(c)));
                } else if (a.is(LargeCommunitiesAttribute.class)) {
                    for (LargeCommunity lc : a.unpack(LargeCommunitiesAttribute.class).getCommunitiesList()) {
                        large.add(new BgpPath.LargeCommunity(Integer.toUnsignedLong(lc.getGlobalAdmin()),
                                Integer.toUnsignedLong(lc.getLocalData1()),
                                Integer.toUnsignedLong(lc.getLocalData2())).toString());
                    }
                } else if (a.is(ExtendedCommunitiesAttribute.class)) {
                    for (Any ec : a.unpack(ExtendedCommunitiesAttribute.class).getCommunitiesList()) {
                        String rt = ExtCommunities.routeTargetText(ec);
                        if (rt != null) {
                            rts.add(rt);
                        }
                    }
                } else if (a.is(AsPathAttribute.class)) {
                    for (AsSegment s : a.unpack(AsPathAttribute.class).getSegmentsList()) {
                        s.getNumbersList().forEach(n -> asPath.add(Integer.toUnsignedLong(n)));
                    }
                }
            }
            String nh = nextHop == null || nextHop.isEmpty()
                    ? (prefix.isIpv4() ? PathAttributes.SELF_V4 : PathAttributes.SELF_V6)
                    : Addresses.format(Addresses.parse(nextHop));
            return new Held(prefix, rd, p.getIdentifier(),
                    new PathAttributes(origin, nh, med, localPref, communities, large, rts, asPath));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("path attribute: " + e.getMessage(), e);
        }
    }

    private static Prefix decodePrefix(Any nlri) throws InvalidProtocolBufferException {
        String addr;
        int len;
        if (nlri.is(IPAddressPrefix.class)) {
            IPAddressPrefix n = nlri.unpack(IPAddressPrefix.class);
            addr = n.getPrefix();
            len = n.getPrefixLen();
        } else if (nlri.is(LabeledVPNIPAddressPrefix.class)) {
            LabeledVPNIPAddressPrefix n = nlri.unpack(LabeledVPNIPAddressPrefix.class);
            addr = n.getPrefix();
            len = n.getPrefixLen();
        } else {
            throw new IllegalArgumentException("nlri: " + nlri.getTypeUrl()
                    + " (expected: IPAddressPrefix or LabeledVPNIPAddressPrefix)");
        }
        return new Prefix(Addresses.parse(addr), len);
    }
}
