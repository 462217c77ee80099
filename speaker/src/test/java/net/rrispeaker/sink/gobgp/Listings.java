package net.rrispeaker.sink.gobgp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import net.rrispeaker.gobgp.api.ExtendedCommunitiesAttribute;
import net.rrispeaker.gobgp.api.IPAddressPrefix;
import net.rrispeaker.gobgp.api.LabeledVPNIPAddressPrefix;
import net.rrispeaker.gobgp.api.Path;
import net.rrispeaker.model.BgpPath;
import net.rrispeaker.model.VrfDefinition;

/**
 * Paths in the form gobgpd 3.10 lists them (see the package notes): a locally injected path shows
 * neighbor {@code <nil>}; a VRF path is listed from the global VPN table with the VRF's RD in its
 * NLRI and the VRF's export route targets appended to its own.
 */
final class Listings {
    private Listings() {
    }

    /** A global unicast path as listed, injected with {@code identifier}. */
    static Path global(BgpPath p, int identifier) {
        return PathCodec.announcement(p, identifier).toBuilder().setNeighborIp("<nil>").build();
    }

    /** A VRF path as listed from the VPN table, injected with {@code identifier} into {@code vrf}. */
    static Path vpn(BgpPath p, int identifier, VrfDefinition vrf) {
        try {
            Path.Builder b = PathCodec.announcement(p, identifier).toBuilder().setNeighborIp("<nil>");
            ExtendedCommunitiesAttribute.Builder ec = ExtendedCommunitiesAttribute.newBuilder();
            for (int i = 0; i < b.getPattrsCount(); i++) {
                if (b.getPattrs(i).is(ExtendedCommunitiesAttribute.class)) {
                    ec.mergeFrom(b.getPattrs(i).unpack(ExtendedCommunitiesAttribute.class));
                    b.removePattrs(i);
                    break;
                }
            }
            vrf.exportTargets().forEach(rt -> ec.addCommunities(ExtCommunities.routeTarget(rt)));
            if (ec.getCommunitiesCount() > 0) {
                b.addPattrs(Any.pack(ec.build()));
            }
            IPAddressPrefix n = b.getNlri().unpack(IPAddressPrefix.class);
            return b.setFamily(p.prefix().isIpv4() ? PathCodec.VPNV4 : PathCodec.VPNV6)
                    .setNlri(Any.pack(LabeledVPNIPAddressPrefix.newBuilder().addLabels(0)
                            .setRd(ExtCommunities.routeDistinguisher(vrf.rd()))
                            .setPrefix(n.getPrefix()).setPrefixLen(n.getPrefixLen()).build()))
                    .build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
