package net.rrispeaker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.rrispeaker.config.FrrSettings;
import net.rrispeaker.lab.Exec;
import net.rrispeaker.lab.FrrRouter;
import net.rrispeaker.metrics.Meters;
import net.rrispeaker.model.Prefix;
import net.rrispeaker.model.Route;
import net.rrispeaker.model.RouteKind;
import net.rrispeaker.sink.frr.FrrSink;

/**
 * N routes into a real FRR (zebra + staticd in a network namespace of their own, {@link FrrRouter}):
 * how long until zebra's RIB holds all N static routes. Not a test: a plain {@code main}; see
 * docs/benchmarks.md, "Routes into FRR". Root only (network namespace).
 *
 * <p>Modes, each against a fresh FRR: {@code vtysh} the same N lines the sink writes, in one
 * {@code vtysh -d staticd -f FILE} (the floor); {@code sink} an {@link FrrSink} from cold start
 * given the complete set; {@code burst} the sink given N one-route changes in a row (N tunnels
 * coming up), which its batch window folds into few transactions; {@code resync} a second sink
 * started against the populated FRR with the first one's state file (a speaker restart: must
 * write nothing). Options: {@code --size 10000}, {@code --window-ms 100}.
 */
public final class FrrSinkBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(10);

    private FrrSinkBench() {
    }

    public static void main(String[] args) throws Exception {
        int size = 10_000;
        long windowMs = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--window-ms" -> windowMs = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("option " + args[i] + " (expected: --size N, --window-ms MS)");
            }
        }
        List<Route> routes = routes(size);
        System.out.printf("FRR %s, %d routes, batch window %d ms, load average %s%n", frrVersion(), size, windowMs,
                Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        System.out.println("| mode | seconds to all N in zebra's RIB | vtysh transactions | note |");
        System.out.println("|---|---|---|---|");
        try (FrrRouter frr = FrrRouter.start("", "")) {
            Path file = Files.createTempFile("rri-frr-bench-", ".conf");
            try {
                StringBuilder b = new StringBuilder();
                for (Route r : routes) {
                    b.append("ip route ").append(r.prefix()).append(' ').append(r.nextHop().getHostAddress())
                            .append(" tag 5 20\n");
                }
                Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
                long t0 = System.nanoTime();
                Exec.run(WAIT, Map.of(), List.of("vtysh", "--vty_socket", frr.dir().toString(), "-d", "staticd", "-f",
                        file.toString())).check();
                awaitRib(frr, size);
                row("vtysh", t0, "1", "one `vtysh -f` of the same lines");
            } finally {
                Files.deleteIfExists(file);
            }
        }
        Path state = Files.createTempFile("rri-frr-bench-", ".state");
        try (FrrRouter frr = FrrRouter.start("", "")) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            FrrSettings settings = new FrrSettings("/usr/bin/vtysh", frr.dir().toString(), Duration.ofMillis(windowMs),
                    state.toString(), Duration.ZERO);
            long t0 = System.nanoTime();
            FrrSink sink = new FrrSink(settings, registry);
            sink.start();
            sink.resync(routes);
            await(sink);
            awaitRib(frr, size);
            row("sink", t0, Long.toString(transactions(registry)), "cold start, complete set");
            sink.close();

            SimpleMeterRegistry again = new SimpleMeterRegistry();
            long t1 = System.nanoTime();
            FrrSink restarted = new FrrSink(settings, again);
            restarted.start();
            restarted.resync(routes);
            await(restarted);
            double changes = again.get(Meters.SINK_CHANGES).tag("op", "add").counter().count()
                    + again.get(Meters.SINK_CHANGES).tag("op", "remove").counter().count();
            row("resync", t1, Long.toString(transactions(again)), "speaker restart: " + (long) changes + " changes");
            restarted.close();
        } finally {
            Files.deleteIfExists(state);
        }
        Path state2 = Files.createTempFile("rri-frr-bench-", ".state");
        try (FrrRouter frr = FrrRouter.start("", "")) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            FrrSettings settings = new FrrSettings("/usr/bin/vtysh", frr.dir().toString(), Duration.ofMillis(windowMs),
                    state2.toString(), Duration.ZERO);
            FrrSink sink = new FrrSink(settings, registry);
            sink.start();
            sink.resync(List.of());
            await(sink);
            long t0 = System.nanoTime();
            for (Route r : routes) {
                sink.changed(List.of(), List.of(r));
            }
            await(sink);
            awaitRib(frr, size);
            row("burst", t0, Long.toString(transactions(registry)), size + " one-route changes in a row");
            sink.close();
        } finally {
            Files.deleteIfExists(state2);
        }
    }

    /** Route i: the /32 {@code 10.100.0.0 + i} via one of 200 next hops on the router's link, tag 5, distance 20. */
    static List<Route> routes(int n) throws IOException {
        List<Route> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int a = 0x0A640000 + i;
            InetAddress dst = InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8),
                (byte) a});
            InetAddress nh = InetAddress.getByAddress(new byte[] {10, (byte) 255, 0, (byte) (2 + i % 200)});
            out.add(new Route("", new Prefix(dst, 32), nh, null, 20, 5, RouteKind.RRI, "bench"));
        }
        return out;
    }

    private static void await(FrrSink sink) throws InterruptedException {
        if (!sink.awaitInSync(WAIT)) {
            throw new IllegalStateException("FRR sink not in sync after " + WAIT + ": " + sink.status());
        }
    }

    private static long transactions(SimpleMeterRegistry registry) {
        return registry.get(Meters.SINK_RECONCILE).tag("sink", "frr").timer().count();
    }

    /** Polls {@code show ip route summary json} until zebra counts {@code n} static routes. */
    private static void awaitRib(FrrRouter frr, int n) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String out = frr.vtysh("zebra", List.of("show ip route summary json")).check().stdout();
            for (JsonNode r : JSON.readTree(out).path("routes")) {
                if ("static".equals(r.path("type").asText()) && r.path("fib").asInt() >= n) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("zebra has not all " + n + " static routes: " + out);
            }
            Thread.sleep(20);
        }
    }

    private static void row(String mode, long t0, String transactions, String note) {
        System.out.printf("| %s | %.2f | %s | %s |%n", mode, (System.nanoTime() - t0) / 1e9, transactions, note);
    }

    private static String frrVersion() {
        String v = Exec.run(Duration.ofSeconds(10), Map.of(), List.of("/usr/lib/frr/zebra", "--version")).stdout();
        return v.lines().findFirst().orElse("?").strip();
    }
}
