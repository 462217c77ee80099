package net.rrispeaker.source.libreswan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * One libreswan IPsec SA as the speaker is told of it.
 *
 * @param connection the connection's base name ({@code PLUTO_CONNECTION}; road-warrior instances
 *                   share it): what {@code match ipsec-connection} matches
 * @param peer       the peer's outer address: the RRI next hop
 * @param peerClient the peer's protected subnet, {@code addr/len}: the route
 * @param peerId     the peer's ID, for display only (peer-chosen)
 * @param reqid      pluto's reqid, 0 when unknown (the reconcile does not see it)
 */
public record LibreswanSa(String connection, String peer, String peerClient, String peerId, long reqid) {
    /**
     * The SA's id within the connection, the same for the hook and the reconcile: pluto's 4.x hook
     * gets no SA serial, and the reconcile no reqid, so both derive it from what both see, the
     * peer's outer address and its subnet (lower-cased; the first's length in front, so no
     * pair of values can be shifted into another). Rekeys keep it, as the routes stay. The
     * first 63 bits of a SHA-256, so a peer cannot choose its values to meet another peer's id.
     */
    public long childId() {
        return childId(peer, peerClient);
    }

    static long childId(String peer, String peerClient) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(
                    (peer.length() + ":" + peer.toLowerCase(Locale.ROOT) + peerClient.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v & Long.MAX_VALUE;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
