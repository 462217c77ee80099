package net.rrispeaker.engine;

import java.util.List;
import net.rrispeaker.config.Config;
import net.rrispeaker.source.ChildSa;

/** The RRI rules of the seeds: which routes an SA, or the configuration alone, justifies. Pure. */
public final class RriEngine {
    private RriEngine() {
    }

    /** Routes one installed CHILD_SA justifies under this configuration (empty if no map covers it). */
    public static List<Route> routesFor(Config config, ChildSa sa) {
        return List.of();
    }

    /** Routes the configuration alone justifies: {@code reverse-route static} maps and {@code ip route}. */
    public static List<Route> configRoutes(Config config) {
        return List.of();
    }
}
