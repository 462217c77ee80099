package net.rrispeaker.sink.gobgp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.model.Prefix;
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
import net.rrispeaker.model.BgpPath;

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

    // Any.is(Class)/unpack(Class) look the default instance up by reflection on every call, which
    // dominated a 100,000-path resync; dispatch on the type URL and parse the bytes instead.
    private static final String ORIGIN = OriginAttribute.getDescriptor().getFullName();
    private static final String NEXT_HOP = NextHopAttribute.getDescriptor().getFullName();
    private static final String MP_REACH = MpReachNLRIAttribute.getDescriptor().getFullName();
    private static final String MED = MultiExitDiscAttribute.getDescriptor().getFullName();
    private static final String LOCAL_PREF = LocalPrefAttribute.getDescriptor().getFullName();
    private static final String COMMUNITIES = CommunitiesAttribute.getDescriptor().getFullName();
    private static final String LARGE = LargeCommunitiesAttribute.getDescriptor().getFullName();
    private static final String EXTENDED = ExtendedCommunitiesAttribute.getDescriptor().getFullName();
    private static final String AS_PATH = AsPathAttribute.getDescriptor().getFullName();
    private static final String PREFIX = IPAddressPrefix.getDescriptor().getFullName();
    private static final String VPN_PREFIX = LabeledVPNIPAddressPrefix.getDescriptor().getFullName();

    /** The message type an {@link Any} carries: its type URL after the last '/'. */
    static String typeName(Any a) {
        String url = a.getTypeUrl();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** Decodes a path from ListPath; throws {@link IllegalArgumentException} naming what is wrong. */
    static Held decode(Path p) {
        try {
            String rd = "";
            Prefix prefix;
            String nlriType = typeName(p.getNlri());
            if (nlriType.equals(PREFIX)) {
                IPAddressPrefix n = IPAddressPrefix.parseFrom(p.getNlri().getValue());
                prefix = prefix(n.getPrefix(), n.getPrefixLen());
            } else if (nlriType.equals(VPN_PREFIX)) {
                LabeledVPNIPAddressPrefix n = LabeledVPNIPAddressPrefix.parseFrom(p.getNlri().getValue());
                prefix = prefix(n.getPrefix(), n.getPrefixLen());
                rd = ExtCommunities.rdText(n.getRd());
            } else {
                throw new IllegalArgumentException("nlri: " + p.getNlri().getTypeUrl()
                        + " (expected: IPAddressPrefix or LabeledVPNIPAddressPrefix)");
            }
            int origin = 2;
            String nextHop = null;
            Long med = null;
            Long localPref = null;
            List<Long> communities = new ArrayList<>();
            List<String> large = new ArrayList<>();
            List<String> rts = new ArrayList<>();
            List<Long> asPath = new ArrayList<>();
            for (Any a : p.getPattrsList()) {
                String t = typeName(a);
                if (t.equals(ORIGIN)) {
                    origin = OriginAttribute.parseFrom(a.getValue()).getOrigin();
                } else if (t.equals(NEXT_HOP)) {
                    nextHop = NextHopAttribute.parseFrom(a.getValue()).getNextHop();
                } else if (t.equals(MP_REACH)) {
                    MpReachNLRIAttribute mp = MpReachNLRIAttribute.parseFrom(a.getValue());
                    if (mp.getNextHopsCount() > 0) {
                        nextHop = mp.getNextHops(0);
                    }
                } else if (t.equals(MED)) {
                    med = Integer.toUnsignedLong(MultiExitDiscAttribute.parseFrom(a.getValue()).getMed());
                } else if (t.equals(LOCAL_PREF)) {
                    localPref = Integer.toUnsignedLong(LocalPrefAttribute.parseFrom(a.getValue()).getLocalPref());
                } else if (t.equals(COMMUNITIES)) {
                    CommunitiesAttribute.parseFrom(a.getValue()).getCommunitiesList()
                            .forEach(c -> communities.add(Integer.toUnsignedLong(c)));
                } else if (t.equals(LARGE)) {
                    for (LargeCommunity lc : LargeCommunitiesAttribute.parseFrom(a.getValue()).getCommunitiesList()) {
                        large.add(new BgpPath.LargeCommunity(Integer.toUnsignedLong(lc.getGlobalAdmin()),
                                Integer.toUnsignedLong(lc.getLocalData1()),
                                Integer.toUnsignedLong(lc.getLocalData2())).toString());
                    }
                } else if (t.equals(EXTENDED)) {
                    for (Any ec : ExtendedCommunitiesAttribute.parseFrom(a.getValue()).getCommunitiesList()) {
                        String rt = ExtCommunities.routeTargetText(ec);
                        if (rt != null) {
                            rts.add(rt);
                        }
                    }
                } else if (t.equals(AS_PATH)) {
                    for (AsSegment s : AsPathAttribute.parseFrom(a.getValue()).getSegmentsList()) {
                        s.getNumbersList().forEach(n -> asPath.add(Integer.toUnsignedLong(n)));
                    }
                }
            }
            String nh;
            if (nextHop == null || nextHop.isEmpty()) {
                nh = prefix.isIpv4() ? PathAttributes.SELF_V4 : PathAttributes.SELF_V6;
            } else if (nextHop.equals(PathAttributes.SELF_V4) || nextHop.equals(PathAttributes.SELF_V6)) {
                nh = nextHop; // already canonical; the common case (next hop self)
            } else {
                nh = Addresses.format(Addresses.parse(nextHop));
            }
            return new Held(prefix, rd, p.getIdentifier(),
                    new PathAttributes(origin, nh, med, localPref, communities, large, rts, asPath));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("path attribute: " + e.getMessage(), e);
        }
    }

    /** gobgpd prints IPv4 prefixes as dotted quads; parse those without the IPAddress library. */
    private static Prefix prefix(String addr, int len) {
        InetAddress a = dottedQuad(addr);
        return new Prefix(a != null ? a : Addresses.parse(addr), len);
    }

    /** {@code a.b.c.d} with each part 0..255 and no leading '+'/'-'; {@code null} for anything else. */
    static InetAddress dottedQuad(String s) {
        byte[] b = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (value == 0) {
                    return null; // a leading zero: leave the reading of "010" to the library
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else if (c == '.' && value >= 0 && part < 3) {
                b[part++] = (byte) value;
                value = -1;
            } else {
                return null;
            }
        }
        if (part != 3 || value < 0) {
            return null;
        }
        b[3] = (byte) value;
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 bytes
        }
    }
}
