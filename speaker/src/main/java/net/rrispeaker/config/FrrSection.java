package net.rrispeaker.config;

import java.time.Duration;
import net.rrispeaker.ios.ConfigLine;
import net.rrispeaker.ios.ConfigSection;
import net.rrispeaker.ios.Problems;

/**
 * {@code rri frr ...}: the FRR sink's settings ({@link FrrSettings}). Offered lines before
 * {@link RriSection}, so it claims the {@code rri frr} lines and leaves every other {@code rri} line
 * to that section. Any such line turns the sink on; {@code rri frr enable} does only that.
 */
final class FrrSection implements ConfigSection {
    private static final String EXPECTED = "enable, vtysh PATH, vty-socket DIR, batch-window MS, state-file PATH, "
            + "resync-interval SECONDS";

    private boolean on;
    private String vtysh = FrrSettings.DEFAULT_VTYSH;
    private String vtySocket;
    private Duration window = FrrSettings.defaults().batchWindow();
    private String stateFile = FrrSettings.DEFAULT_STATE_FILE;
    private Duration resync = FrrSettings.defaults().resyncInterval();

    @Override
    public boolean topLevel(ConfigLine line, Problems problems) {
        if (!line.startsWith("rri") || !"frr".equalsIgnoreCase(line.token(1))) {
            return false;
        }
        on = true;
        String k = line.token(2) == null ? "" : line.token(2).toLowerCase();
        switch (k) {
            case "enable" -> Args.noMore(line, 3, "rri frr enable", problems);
            case "vtysh" -> vtysh = absolute(line, "vtysh path", vtysh, problems);
            case "vty-socket" -> vtySocket = absolute(line, "vty socket directory", vtySocket, problems);
            case "state-file" -> stateFile = absolute(line, "state file", stateFile, problems);
            case "batch-window" -> {
                Long ms = Args.number(line, 3, "batch-window milliseconds", 0, 10_000, problems);
                window = ms == null ? window : Duration.ofMillis(ms);
                Args.noMore(line, 4, "rri frr batch-window MS", problems);
            }
            case "resync-interval" -> {
                Long s = Args.number(line, 3, "resync-interval seconds", 0, 86_400, problems);
                resync = s == null ? resync : Duration.ofSeconds(s);
                Args.noMore(line, 4, "rri frr resync-interval SECONDS", problems);
            }
            default -> problems.error(line, "unknown rri frr setting '" + (line.token(2) == null ? "" : line.token(2))
                    + "' (expected: " + EXPECTED + ")");
        }
        return true;
    }

    private static String absolute(ConfigLine line, String what, String old, Problems problems) {
        String p = Args.name(line, 3, what, problems);
        if (p == null) {
            return old;
        }
        Args.noMore(line, 4, "rri frr " + line.token(2) + " PATH", problems);
        if (!p.startsWith("/")) {
            problems.error(line, what + " '" + p + "' (expected: an absolute path)");
            return old;
        }
        return p;
    }

    @Override
    public boolean subMode(ConfigLine line, Problems problems) {
        return false;
    }

    @Override
    public void closeSubMode() {
    }

    /** The settings, or {@code null} when no {@code rri frr} line turned the sink on. */
    FrrSettings settings() {
        return on ? new FrrSettings(vtysh, vtySocket, window, stateFile, resync) : null;
    }
}
