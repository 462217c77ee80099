package net.rrispeaker.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples ({@code jdk.ExecutionSample}) of a JFR recording of the speaker:
 * per thread, the top frames by self time, and the first frame of the speaker's own code
 * ({@code net.rrispeaker.}) on each sample's stack, i.e. which speaker method the time is spent
 * under; and a timeline: samples per thread group in each second of the recording (which stage
 * of a cold start is busy when). Run: {@code java -cp ... net.rrispeaker.bench.JfrTop FILE.jfr [TOP]}.
 */
public final class JfrTop {
    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrTop FILE.jfr [TOP]");
            System.exit(2);
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> speakerFrame = new HashMap<>();
        int total = 0;
        java.util.TreeMap<Long, Map<String, Integer>> timeline = new java.util.TreeMap<>();
        java.time.Instant first = null;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            total++;
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            threads.merge(threadGroup(thread), 1, Integer::sum);
            if (first == null || e.getStartTime().isBefore(first)) {
                first = e.getStartTime();
            }
            timeline.computeIfAbsent(e.getStartTime().getEpochSecond(), k -> new HashMap<>())
                    .merge(threadGroup(thread), 1, Integer::sum);
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            String own = "(no speaker frame)";
            for (RecordedFrame f : frames) {
                if (f.getMethod() != null && f.getMethod().getType().getName().startsWith("net.rrispeaker.")) {
                    own = name(f);
                    break;
                }
            }
            speakerFrame.merge(own, 1, Integer::sum);
        }
        System.out.printf("%,d execution samples in %s%n", total, args[0]);
        print("threads", threads, total, top);
        print("top frames (self)", self, total, top);
        print("innermost speaker frame on the stack", speakerFrame, total, top);
        if (first != null) {
            System.out.printf("%ntimeline (samples per second per thread group, seconds since the first sample):%n");
            long t0 = first.getEpochSecond();
            for (var en : timeline.entrySet()) {
                StringBuilder sb = new StringBuilder();
                en.getValue().entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                        .forEach(x -> sb.append(' ').append(x.getKey()).append('=').append(x.getValue()));
                System.out.printf("  %4d s:%s%n", en.getKey() - t0, sb);
            }
        }
    }

    /** Thread names without their numbers (grpc-default-executor-3 and -4 are one group). */
    static String threadGroup(String name) {
        return name.replaceAll("-\\d+(-\\d+)?$", "-N");
    }

    private static String name(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "?";
        }
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + " (" + type.substring(0,
                Math.max(0, type.lastIndexOf('.'))) + ")";
    }

    private static void print(String title, Map<String, Integer> counts, int total, int top) {
        System.out.printf("%n%s:%n", title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> System.out.printf("  %5.1f %%  %6d  %s%n", 100.0 * en.getValue() / total, en.getValue(), en.getKey()));
    }
}
