package net.rrispeaker.sink.gobgp;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.gobgp.api.Peer;
import net.rrispeaker.gobgp.api.PeerState;

/**
 * gobgpd's configured neighbours, read with ListPeer on a channel of its own (so the GoBGP sink's
 * work and reconnects are not disturbed). For the BFD manager, which keeps one BFD session per
 * neighbour. Thread-safe; {@link #close()} releases the channel.
 */
public final class GobgpNeighbours implements AutoCloseable {
    private final String target;
    private final ManagedChannel channel;
    private final GobgpClient client;

    /** @param target {@code host:port} or {@code unix:PATH} (gobgpd's {@code --api-hosts}) */
    public GobgpNeighbours(String target) {
        this.target = target;
        this.channel = GobgpSink.channel(target);
        this.client = new GobgpClient(channel, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /** Every configured neighbour; an IOException naming gobgpd and its status when it cannot be asked. */
    public List<Neighbour> list() throws IOException {
        List<Peer> peers;
        try {
            peers = client.listPeer();
        } catch (StatusRuntimeException e) {
            throw new IOException("gobgpd " + target + ": ListPeer: " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()), e);
        }
        List<Neighbour> out = new ArrayList<>(peers.size());
        for (Peer p : peers) {
            out.add(of(p));
        }
        return out;
    }

    static Neighbour of(Peer p) {
        String address = p.getConf().getNeighborAddress().isEmpty() ? p.getState().getNeighborAddress()
                : p.getConf().getNeighborAddress();
        return new Neighbour(address, p.getTransport().getLocalAddress(), p.getConf().getNeighborInterface(),
                p.getConf().getVrf(), p.getConf().getAdminDown() || p.getState().getAdminState() == PeerState.AdminState.DOWN,
                p.getState().getSessionState().name());
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
