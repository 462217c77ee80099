package net.rrispeaker.sink.frr;

import java.io.IOException;

/**
 * How the speaker talks to one FRR daemon: vtysh in production ({@link ProcessVtysh}), a fake in
 * tests. The FRR sink drives staticd with it; the BFD manager ({@code bfd} package) drives bfdd.
 */
public interface Vtysh {

    /** The result of applying a configuration text: vtysh's exit code and what it printed. */
    record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** The daemon's running configuration ({@code show running-config}); fails if it is not reachable. */
    default String runningConfig() throws IOException {
        return show("show running-config");
    }

    /** The output of one show command ({@code vtysh -c COMMAND}); fails if the daemon is not reachable or refuses it. */
    String show(String command) throws IOException;

    /** Applies {@code text} as one transaction ({@code vtysh -f}); fails only if vtysh could not be run. */
    Result apply(String text) throws IOException;

    /**
     * Something that changes when the daemon restarts (its vty socket file's inode and change time),
     * or {@code null} while it is not there.
     */
    Object daemonIdentity();

    /** Where the daemon is, for messages. */
    String describe();
}
