package net.rrispeaker.ios;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem of one parse, so a user sees them all at once (not just the first).
 *
 * <p>At most {@value #MAX_LISTED} problems of each severity are kept; past that they are only
 * counted, and {@link #all()} ends the list with one line per severity saying how many more there
 * were (at the line of the first one left out). A file of millions of bad lines thus costs a
 * bounded amount of memory and output, and is still refused; {@link ConfigText} stops reading at
 * the {@value #MAX_LISTED}th error.
 */
public final class Problems {
    /** Problems of one severity that are listed; the rest are counted. */
    public static final int MAX_LISTED = 1000;

    private final List<ConfigProblem> all = new ArrayList<>();
    private final int[] listed = new int[ConfigProblem.Severity.values().length];
    private final ConfigProblem[] firstLeftOut = new ConfigProblem[listed.length];
    private final long[] leftOut = new long[listed.length];

    public void error(ConfigLine line, String message) {
        add(new ConfigProblem(ConfigProblem.Severity.ERROR, line.file(), line.number(), message));
    }

    public void warning(ConfigLine line, String message) {
        add(new ConfigProblem(ConfigProblem.Severity.WARNING, line.file(), line.number(), message));
    }

    public void ignored(ConfigLine line, String message) {
        add(new ConfigProblem(ConfigProblem.Severity.IGNORED, line.file(), line.number(), message));
    }

    /** An error not tied to one line (e.g. a missing reference found after parsing): give the referring line. */
    public void error(String file, int line, String message) {
        add(new ConfigProblem(ConfigProblem.Severity.ERROR, file, line, message));
    }

    public void warning(String file, int line, String message) {
        add(new ConfigProblem(ConfigProblem.Severity.WARNING, file, line, message));
    }

    /** An error listed even past the limit: the one that says why reading stopped. */
    public void finalError(String file, int line, String message) {
        listed[ConfigProblem.Severity.ERROR.ordinal()]++;
        all.add(new ConfigProblem(ConfigProblem.Severity.ERROR, file, line, message));
    }

    private void add(ConfigProblem p) {
        int s = p.severity().ordinal();
        if (listed[s] < MAX_LISTED) {
            listed[s]++;
            all.add(p);
        } else {
            if (firstLeftOut[s] == null) {
                firstLeftOut[s] = p;
            }
            leftOut[s]++;
        }
    }

    /** True once {@value #MAX_LISTED} errors are listed: the reader stops there (as javac does at -Xmaxerrs). */
    public boolean errorsFull() {
        return listed[ConfigProblem.Severity.ERROR.ordinal()] >= MAX_LISTED;
    }

    public boolean hasErrors() {
        return listed[ConfigProblem.Severity.ERROR.ordinal()] > 0;
    }

    /** Every listed problem, then one summary line per severity that had more than {@value #MAX_LISTED}. */
    public List<ConfigProblem> all() {
        List<ConfigProblem> out = new ArrayList<>(all);
        for (ConfigProblem.Severity s : ConfigProblem.Severity.values()) {
            ConfigProblem first = firstLeftOut[s.ordinal()];
            if (first != null) {
                String kind = switch (s) {
                    case ERROR -> "errors";
                    case WARNING -> "warnings";
                    case IGNORED -> "ignored lines";
                };
                out.add(new ConfigProblem(s, first.file(), first.line(), leftOut[s.ordinal()] + " more " + kind
                        + " from this line on are not listed (at most " + MAX_LISTED + " are)"));
            }
        }
        return out;
    }

    public List<ConfigProblem> errors() {
        return all().stream().filter(p -> p.severity() == ConfigProblem.Severity.ERROR).toList();
    }
}
