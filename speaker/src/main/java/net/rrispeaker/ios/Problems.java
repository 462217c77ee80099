package net.rrispeaker.ios;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of one parse, so a user sees them all at once (not just the first). */
public final class Problems {
    private final List<ConfigProblem> all = new ArrayList<>();

    public void error(ConfigLine line, String message) {
        all.add(new ConfigProblem(ConfigProblem.Severity.ERROR, line.file(), line.number(), message));
    }

    public void warning(ConfigLine line, String message) {
        all.add(new ConfigProblem(ConfigProblem.Severity.WARNING, line.file(), line.number(), message));
    }

    public void ignored(ConfigLine line, String message) {
        all.add(new ConfigProblem(ConfigProblem.Severity.IGNORED, line.file(), line.number(), message));
    }

    /** An error not tied to one line (e.g. a missing reference found after parsing): give the referring line. */
    public void error(String file, int line, String message) {
        all.add(new ConfigProblem(ConfigProblem.Severity.ERROR, file, line, message));
    }

    public void warning(String file, int line, String message) {
        all.add(new ConfigProblem(ConfigProblem.Severity.WARNING, file, line, message));
    }

    public boolean hasErrors() {
        return all.stream().anyMatch(p -> p.severity() == ConfigProblem.Severity.ERROR);
    }

    public List<ConfigProblem> all() {
        return List.copyOf(all);
    }

    public List<ConfigProblem> errors() {
        return all.stream().filter(p -> p.severity() == ConfigProblem.Severity.ERROR).toList();
    }
}
