package net.rrispeaker.cli;

import java.util.ArrayList;
import java.util.List;
import net.rrispeaker.bfd.BfdStatus;
import net.rrispeaker.control.ComponentHealth;
import net.rrispeaker.model.SaEvent;
import net.rrispeaker.sink.frr.FrrStatus;
import net.rrispeaker.sink.gobgp.SinkStatus;

/**
 * What {@code show status} says about the daemon's connections: the VICI source (followed from the
 * events it emits: a snapshot means in sync, {@code SourceLost} means down), the GoBGP sink
 * (from its {@link SinkStatus}), the FRR sink ({@link FrrStatus}) and BFD ({@link BfdStatus}) when
 * configured. Thread-safe.
 */
final class HealthReport {
    private final String viciSocket;
    private final String gobgpApi;
    private final String frrWhere;
    private volatile Component vici;

    /** The addresses are the ones the source and sink were started with (a reload does not move them). */
    HealthReport(String viciSocket, String gobgpApi) {
        this(viciSocket, gobgpApi, "");
    }

    /** {@code frrWhere}: staticd's vty socket directory, for the FRR sink's line. */
    HealthReport(String viciSocket, String gobgpApi, String frrWhere) {
        this.viciSocket = viciSocket;
        this.gobgpApi = gobgpApi;
        this.frrWhere = frrWhere;
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
        return components(gobgp, null, null);
    }

    /**
     * The components, source first, then the GoBGP sink, the FRR sink ({@code frr == null}: not
     * configured) and BFD ({@code bfd == null}: not configured). BFD counts as connected only while
     * bfdd and gobgpd answer and every session of the speaker's is up, so a BFD session that is down
     * makes the speaker's health NOT_SERVING (degraded), with the reason in the detail.
     */
    List<ComponentHealth> components(SinkStatus gobgp, FrrStatus frr, BfdStatus bfd) {
        List<ComponentHealth> out = new ArrayList<>(List.of(vici,
                new Component("gobgp", gobgp.connected(), describe(gobgp, gobgpApi))));
        if (frr != null) {
            out.add(new Component("frr", frr.connected(), describe(frr, frrWhere)));
        }
        if (bfd != null) {
            out.add(new Component("bfd", bfd.healthy(), bfd.summary()));
        }
        return out;
    }

    /** One line about the FRR sink: where, how many routes it holds, in sync or not, the last error, resyncs. */
    static String describe(FrrStatus f, String where) {
        String state = f.connected()
                ? "connected to staticd " + where + ", " + f.routes() + " routes held, " + (f.inSync() ? "in sync" : "syncing")
                : "DOWN (staticd " + where + ")";
        if (!f.lastError().isEmpty()) {
            state += "; last error " + f.lastError() + (f.lastErrorAt() == null ? "" : " at " + f.lastErrorAt());
        }
        return state + "; resyncs " + f.resyncs();
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
