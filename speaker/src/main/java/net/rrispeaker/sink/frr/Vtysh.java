package net.rrispeaker.sink.frr;

import java.io.IOException;

/** How the sink talks to staticd: vtysh in production ({@link ProcessVtysh}), a fake in tests. */
interface Vtysh {

    /** The result of applying a configuration text: vtysh's exit code and what it printed. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** staticd's running configuration ({@code show running-config}); fails if staticd is not reachable. */
    String runningConfig() throws IOException;

    /** Applies {@code text} as one transaction ({@code vtysh -f}); fails only if vtysh could not be run. */
    Result apply(String text) throws IOException;

    /**
     * Something that changes when staticd restarts (its vty socket file's inode and change time),
     * or {@code null} while staticd is not there.
     */
    Object daemonIdentity();

    /** Where staticd is, for messages. */
    String describe();
}
