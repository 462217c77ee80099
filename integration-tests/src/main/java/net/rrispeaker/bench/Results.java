package net.rrispeaker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rows of one {@link SpeakerBench} run: {@code results.csv} (one line per row, every column)
 * and {@code summary.md} (Markdown tables per kind of scenario, as printed at the end).
 */
final class Results {
    static final List<String> COLUMNS = List.of("scenario", "sas", "rate_per_s", "events", "achieved_rate_per_s",
            "first_path_s", "all_paths_s", "paths_per_s", "p50_ms", "p99_ms", "max_ms", "announce_p99_ms",
            "withdraw_p99_ms", "lost", "coalesced", "unexpected_changes", "path_changes", "cpu_s", "cpu_us_per_event", "rss_mib",
            "heap_used_mib", "live_heap_mib", "live_bytes_per_sa", "rss_bytes_per_sa", "load_1min", "note");

    private final List<Row> rows = new ArrayList<>();
    private String header = "";
    private String footer = "";

    synchronized void add(Row r) {
        rows.add(r);
        System.err.println("bench: result " + csvLine(r));
    }

    void header(String s) {
        header = s;
    }

    void footer(String s) {
        footer = s;
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    void write(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Row r : rows()) {
            sb.append(csvLine(r)).append('\n');
        }
        Files.writeString(dir.resolve("results.csv"), sb);
        Files.writeString(dir.resolve("summary.md"), markdown());
    }

    static String csvLine(Row r) {
        List<String> v = List.of(r.scenario, Integer.toString(r.sas), i(r.rate), i(r.events), d(r.achievedRate, 1),
                d(r.firstSeconds, 3), d(r.allSeconds, 3), d(r.allSeconds > 0 ? r.sas / r.allSeconds : Double.NaN, 0),
                d(r.p50, 3), d(r.p99, 3), d(r.max, 3), d(r.announceP99, 3), d(r.withdrawP99, 3), i(r.lost),
                i(r.coalesced), i(r.unexpected), i(r.changes), d(r.cpuSeconds, 2), d(r.cpuMicrosPerEvent, 1), d(r.rssMib, 1),
                d(r.heapUsedMib, 1), d(r.liveMib, 1), d(r.liveBytesPerSa, 0), d(r.rssBytesPerSa, 0), r.load, r.note);
        List<String> out = new ArrayList<>();
        for (String s : v) {
            out.add(csv(s));
        }
        return String.join(",", out);
    }

    /** RFC 4180 quoting where needed. */
    static String csv(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    private static String i(long v) {
        return v < 0 ? "" : Long.toString(v);
    }

    private static String d(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Like {@link #d} with thousands separators, for the tables; "—" when empty. */
    private static String t(double v, int decimals) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private static String t(long v) {
        return v < 0 ? "—" : String.format(Locale.ROOT, "%,d", v);
    }

    synchronized String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("```\n").append(header.strip()).append('\n').append(footer.strip()).append("\n```\n\n");
        List<Row> cold = rows.stream().filter(r -> Set.of("mrt", "raw", "cold").contains(r.scenario)).toList();
        if (!cold.isEmpty()) {
            sb.append("| scenario | SAs | first path s | all paths s | paths/s | x raw | speaker CPU s | load 1 min | note |\n");
            sb.append("|---|---:|---:|---:|---:|---:|---:|---|---|\n");
            for (Row r : cold) {
                double raw = rows.stream().filter(x -> x.scenario.equals("raw") && x.sas == r.sas)
                        .mapToDouble(x -> x.allSeconds).findFirst().orElse(Double.NaN);
                sb.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s | %s |%n", r.scenario, r.sas,
                        t(r.firstSeconds, 3), t(r.allSeconds, 3), t(r.sas / r.allSeconds, 0), t(r.allSeconds / raw, 2),
                        t(r.cpuSeconds, 2), r.load, r.note));
            }
            sb.append('\n');
        }
        List<Row> events = rows.stream().filter(r -> Set.of("churn", "rekey").contains(r.scenario)).toList();
        if (!events.isEmpty()) {
            sb.append("| scenario | SAs | rate/s (achieved) | events | p50 ms | p99 ms | max ms | announce p99 | withdraw p99 "
                    + "| lost | coalesced | unexpected / path changes | CPU µs per event | load 1 min | note |\n");
            sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
            for (Row r : events) {
                String changes = r.scenario.equals("rekey") ? "**" + t(r.changes) + "**" : t(r.unexpected);
                sb.append(String.format(Locale.ROOT, "| %s | %,d | %s (%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        r.scenario, r.sas, r.rate == 0 ? "unpaced" : t(r.rate), t(r.achievedRate, 0), t(r.events),
                        t(r.p50, 2), t(r.p99, 2), t(r.max, 2), t(r.announceP99, 2), t(r.withdrawP99, 2), t(r.lost),
                        t(r.coalesced), changes, t(r.cpuMicrosPerEvent, 0), r.load, r.note));
            }
            sb.append('\n');
        }
        List<Row> mem = rows.stream().filter(r -> r.scenario.equals("memory")).toList();
        if (!mem.isEmpty()) {
            sb.append("| SAs | RSS MiB | heap used after GC MiB | live objects MiB | live bytes per SA | RSS bytes per SA | load 1 min | note |\n");
            sb.append("|---:|---:|---:|---:|---:|---:|---|---|\n");
            for (Row r : mem) {
                sb.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s | %s | %s |%n", r.sas, t(r.rssMib, 1),
                        t(r.heapUsedMib, 1), t(r.liveMib, 1), t(r.liveBytesPerSa, 0), t(r.rssBytesPerSa, 0), r.load, r.note));
            }
            sb.append('\n');
        }
        List<Row> failed = rows.stream().filter(r -> r.note.startsWith("FAILED")).toList();
        for (Row r : failed) {
            sb.append("- ").append(r.scenario).append(": ").append(r.note).append('\n');
        }
        return sb.toString();
    }
}
