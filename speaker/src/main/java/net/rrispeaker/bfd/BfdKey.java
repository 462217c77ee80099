package net.rrispeaker.bfd;

import java.util.ArrayList;
import java.util.List;

/**
 * What names one bfdd peer: {@code peer ADDR [multihop] [local-address ADDR] [interface IF] [vrf NAME]}.
 * Addresses are in canonical text (dotted quad, RFC 5952 IPv6), as bfdd prints them.
 *
 * @param peer     the remote address
 * @param multihop a multihop session (the speaker creates single-hop ones only)
 * @param local    the local address, {@code null} when none is configured
 * @param iface    the interface, {@code null} when none is configured
 * @param vrf      the VRF, {@code "default"} for the default one
 */
public record BfdKey(String peer, boolean multihop, String local, String iface, String vrf) {
    public static final String DEFAULT_VRF = "default";

    public BfdKey {
        local = local == null || local.isEmpty() ? null : local;
        iface = iface == null || iface.isEmpty() ? null : iface;
        vrf = vrf == null || vrf.isEmpty() ? DEFAULT_VRF : vrf;
    }

    /** The bfdd command that enters (or, after {@code no }, removes) this peer. */
    public String command() {
        List<String> t = new ArrayList<>(List.of("peer", peer));
        if (multihop) {
            t.add("multihop");
        }
        if (local != null) {
            t.add("local-address");
            t.add(local);
        }
        if (iface != null) {
            t.add("interface");
            t.add(iface);
        }
        if (!DEFAULT_VRF.equals(vrf)) {
            t.add("vrf");
            t.add(vrf);
        }
        return String.join(" ", t);
    }

    /** Same remote address in the same VRF: two such sessions would answer the same neighbour. */
    boolean sameNeighbour(BfdKey o) {
        return peer.equals(o.peer) && vrf.equals(o.vrf);
    }

    @Override
    public String toString() {
        return command();
    }
}
