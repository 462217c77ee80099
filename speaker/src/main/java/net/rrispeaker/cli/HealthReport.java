package net.rrispeaker.cli;

import java.util.List;
import net.rrispeaker.control.ComponentHealth;
import net.rrispeaker.model.SaEvent;
import net.rrispeaker.sink.gobgp.SinkStatus;

/**
 * What {@code show status} says about the daemon's connections: the VICI source (followed from the
 * events it emits: a snapshot means in sync, {@code SourceLost} means down) and the GoBGP sink
 * (from its {@link SinkStatus}). Thread-safe.
 */
final class HealthReport {
    private final String viciSocket;
    private final String gobgpApi;
    private volatile Component vici;

    /** The addresses are the ones the source and sink were started with (a reload does not move them). */
    HealthReport(String viciSocket, String gobgpApi) {
        this.viciSocket = viciSocket;
        this.gobgpApi = gobgpApi;
        this.vici = new Component("vici", false, "connecting");
    }

    /** Follows the source's state; call with every event the source emits. */
    void sourceEvent(SaEvent event) {
        if (event instanceof SaEvent.Snapshot) {
            vici = new Component("vici", true, "connected to " + viciSocket);
        } else if (event instanceof SaEvent.SourceLost lost) {
            vici = new Component("vici", false, "DOWN: " + lost.reason());
        }
    }

    /** The components, source first. */
    List<ComponentHealth> components(SinkStatus gobgp) {
        return List.of(vici, new Component("gobgp", gobgp.connected(), describe(gobgp, gobgpApi)));
    }

    /** One line about the GoBGP sink: where, how many paths, in sync or not, the last error, resyncs. */
    static String describe(SinkStatus g, String where) {
        String state = g.connected()
                ? "connected to " + where + ", " + g.announced() + " paths announced, " + (g.inSync() ? "in sync" : "syncing")
                : "DOWN (" + where + ")";
        if (!g.lastError().isEmpty()) {
            state += "; last error " + g.lastError() + (g.lastErrorAt() == null ? "" : " at " + g.lastErrorAt());
        }
        return state + "; resyncs " + g.resyncs();
    }

    private record Component(String name, boolean connected, String detail) implements ComponentHealth {
    }
}
