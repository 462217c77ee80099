package net.rrispeaker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.rrispeaker.lab.HaLab;
import net.rrispeaker.lab.HaScenarios;
import net.rrispeaker.lab.HaScenarios.Result;
import net.rrispeaker.lab.SpeakerProcess;

/**
 * The HA harness: runs the fault scenarios of the redundant-headend lab ({@link HaScenarios}) with
 * real daemons, a longer rekey storm than the IT, prints the table and, with {@code --write FILE},
 * puts it between the {@code <!-- ha-bench:begin -->} and {@code <!-- ha-bench:end -->} markers of
 * FILE (docs/high-availability.md). A scenario that fails is reported as such and the lab healed
 * for the next one.
 *
 * <pre>java -cp ... net.rrispeaker.bench.HaBench [--storm-seconds 60] [--write docs/high-availability.md]</pre>
 */
public final class HaBench {
    private static final String BEGIN = "<!-- ha-bench:begin -->";
    private static final String END = "<!-- ha-bench:end -->";

    private HaBench() {
    }

    public static void main(String[] args) throws IOException {
        int stormSeconds = 60;
        Path write = null;
        Path jar = SpeakerProcess.defaultJar();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--storm-seconds" -> stormSeconds = Integer.parseInt(args[++i]);
                case "--write" -> write = Path.of(args[++i]);
                case "--speaker-jar" -> jar = Path.of(args[++i]).toAbsolutePath();
                default -> {
                    System.err.println("usage: HaBench [--storm-seconds N] [--write FILE] [--speaker-jar PATH]"
                            + "  (unknown argument: " + args[i] + ")");
                    System.exit(2);
                }
            }
        }
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> rows = new ArrayList<>();
        int failed = 0;
        Duration storm = Duration.ofSeconds(stormSeconds);
        try (HaLab lab = HaLab.start(jar); HaScenarios s = new HaScenarios(lab)) {
            List<Supplier<List<Result>>> runs = List.of(s::tunnelDies, s::primaryKilled,
                    () -> s.speakerKilledDuringBurst(Duration.ofSeconds(6)), () -> List.of(s.charonRestarted()),
                    () -> List.of(s.gobgpdRestarted()), () -> List.of(s.coreRestarted()),
                    () -> List.of(s.rekeyStorm(storm)),
                    () -> {
                        try {
                            return List.of(s.flappingSpokeDampened(5));
                        } finally {
                            s.undoDampening();
                        }
                    },
                    () -> List.of(s.primaryFrozen("no BFD yet: the core waits for the BGP hold time (9 s)")),
                    () -> List.of(s.primaryBlackholed("no BFD yet: the core waits for the BGP hold time (9 s)")));
            for (Supplier<List<Result>> run : runs) {
                try {
                    run.get().forEach(r -> rows.add(r.row()));
                } catch (RuntimeException | AssertionError e) {
                    failed++;
                    String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                    rows.add("| FAILED | " + msg.replace("|", "/") + " | | | | | | |");
                    System.err.println(e.getMessage());
                }
                lab.heal(Duration.ofSeconds(90));
            }
        }
        StringBuilder table = new StringBuilder();
        table.append("Run ").append(started).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs, rekey storm ").append(stormSeconds).append(" s:\n\n");
        table.append(Result.header()).append('\n');
        rows.forEach(r -> table.append(r).append('\n'));
        System.out.print(table);
        if (write != null) {
            String doc = Files.readString(write);
            int b = doc.indexOf(BEGIN);
            int e = doc.indexOf(END);
            if (b < 0 || e < b) {
                System.err.println(write + ": no " + BEGIN + " ... " + END + " markers (expected both, in order)");
                System.exit(2);
            }
            Files.writeString(write, doc.substring(0, b + BEGIN.length()) + "\n" + table + doc.substring(e));
            System.out.println("written into " + write);
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
