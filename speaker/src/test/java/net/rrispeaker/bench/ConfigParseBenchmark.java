package net.rrispeaker.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.rrispeaker.config.Config;
import net.rrispeaker.config.ConfigParser;
import net.rrispeaker.ios.ConfigException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Configuration parsing time for large files: {@code lines} lines of one kind, read by
 * {@link ConfigParser#parse(String, String)} from text to a validated {@link Config}. Kinds:
 * {@code acl} (one named extended access list), {@code prefixList} (one prefix-list with
 * {@code le}), {@code routeMaps} (one route-map per three lines, each matching a prefix-list and
 * setting a tag). Reading must stay linear: a list built by remove-and-sort per line, or a
 * route-map name looked up by scanning every map, made these take seconds to minutes.
 *
 * <p>Run: see docs/benchmarks.md, "Configuration parsing".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConfigParseBenchmark {
    @Param({"acl", "prefixList", "routeMaps"})
    public String kind;

    @Param({"50000"})
    public int lines;

    private String text;

    @Setup
    public void setUp() {
        Random r = new Random(11);
        StringBuilder b = new StringBuilder();
        switch (kind) {
            case "acl" -> {
                b.append("ip access-list extended BIG\n");
                for (int i = 1; i < lines; i++) {
                    b.append(' ').append(r.nextBoolean() ? "permit" : "deny").append(" ip 10.").append(r.nextInt(256))
                            .append('.').append(r.nextInt(256)).append(".0 0.0.0.255 any\n");
                }
            }
            case "prefixList" -> {
                for (int i = 0; i < lines; i++) {
                    b.append("ip prefix-list BIG permit 10.").append(r.nextInt(256)).append('.').append(r.nextInt(256))
                            .append(".0/24 le 32\n");
                }
            }
            case "routeMaps" -> {
                b.append("ip prefix-list P permit 10.0.0.0/8 le 32\n");
                for (int i = 0; i < lines / 3; i++) {
                    b.append("route-map M").append(i).append(" permit 10\n match ip address prefix-list P\n set tag ")
                            .append(i).append('\n');
                }
            }
            default -> throw new IllegalArgumentException(kind);
        }
        text = b.toString();
    }

    @Benchmark
    public Config parse() throws ConfigException {
        return ConfigParser.parse("bench.conf", text);
    }
}
