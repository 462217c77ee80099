package net.rrispeaker.bench;

import java.util.concurrent.TimeUnit;
import net.rrispeaker.source.vici.ViciBenchFixture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The VICI thread's cost per record: decoding a frame (a real {@code ViciDecoder} over a heap
 * buffer) and converting it into SA events, with the transcripts of a real charon as input.
 * <ul>
 *   <li>{@code listSaRecord}: the {@code list-sa} record "real-after-rekey" (one IKE_SA, two
 *       CHILD_SAs: one DELETED, one INSTALLED), decoded and converted as during {@code list-sas}.</li>
 *   <li>{@code childRekey}: the {@code child-rekey} event "B-child-rekey", decoded, converted and
 *       delivered (counted) to a sink that keeps it.</li>
 *   <li>{@code selectorV4}, {@code selectorV6}: one typical selector text each through the selector
 *       parser's string entry ({@code 10.81.2.0/29}, {@code 2001:db8:81::/48}).</li>
 *   <li>{@code selectorsFromWire}: both of them as one list read from message bytes, the way the
 *       conversion reads selectors (added after the byte parser existed; no "before").</li>
 * </ul>
 * Run with {@code -prof gc} for bytes per operation; see docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ViciDecodeBenchmark {
    private ViciBenchFixture listSa;
    private ViciBenchFixture rekey;
    private final ViciBenchFixture.WireSelectors wireSelectors = new ViciBenchFixture.WireSelectors("10.81.2.0/29", "2001:db8:81::/48");

    @Setup
    public void setUp() {
        listSa = new ViciBenchFixture("list-sa-events.txt", "real-after-rekey");
        rekey = new ViciBenchFixture("transcript-events.txt", "B-child-rekey");
        if (listSa.installed() != 1) {
            throw new IllegalStateException("list-sa fixture: expected one installed CHILD_SA");
        }
        if (!rekey.lastEvent().startsWith("ChildRekeyed")) {
            throw new IllegalStateException("rekey fixture: " + rekey.lastEvent());
        }
    }

    @Benchmark
    public Object listSaRecord() {
        return listSa.listSa();
    }

    @Benchmark
    public Object childRekey() {
        return rekey.event();
    }

    @Benchmark
    public Object selectorV4() {
        return ViciBenchFixture.selector("10.81.2.0/29");
    }

    @Benchmark
    public Object selectorV6() {
        return ViciBenchFixture.selector("2001:db8:81::/48");
    }

    @Benchmark
    public Object selectorsFromWire() {
        return wireSelectors.parse();
    }
}
