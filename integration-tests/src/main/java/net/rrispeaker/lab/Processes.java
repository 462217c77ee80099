package net.rrispeaker.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every daemon one lab started, so that closing the lab can stop each by its PID. */
final class Processes {
    private final List<Daemon> started = new ArrayList<>();

    synchronized Daemon start(String name, Path log, Map<String, String> env, List<String> command) {
        Daemon d = Daemon.start(name, log, env, command);
        started.add(d);
        return d;
    }

    /** Stops every daemon still alive, the most recent first. */
    void stopAll(Duration grace) {
        List<Daemon> copy;
        synchronized (this) {
            copy = new ArrayList<>(started);
        }
        for (int i = copy.size() - 1; i >= 0; i--) {
            copy.get(i).stop(grace);
        }
    }

    /** SIGKILL to every daemon still alive, then waits for each (a lab torn down needs no goodbyes). */
    void killAll() {
        List<Daemon> copy;
        synchronized (this) {
            copy = new ArrayList<>(started);
        }
        for (Daemon d : copy) {
            if (d.alive()) {
                d.signal("KILL");
            }
        }
        for (Daemon d : copy) {
            d.kill();
        }
    }

    synchronized List<Daemon> all() {
        return List.copyOf(started);
    }
}
