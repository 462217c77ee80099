package net.rrispeaker.bench;

/**
 * One measurement of {@link SpeakerBench}: the figures a scenario has, the rest left empty
 * ({@code NaN} / -1). Built with chained setters.
 */
final class Row {
    final String scenario;
    final int sas;
    int rate = -1;
    long events = -1;
    double achievedRate = Double.NaN;
    double firstSeconds = Double.NaN;
    double allSeconds = Double.NaN;
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    double max = Double.NaN;
    double announceP99 = Double.NaN;
    double withdrawP99 = Double.NaN;
    long lost = -1;
    long unexpected = -1;
    long coalesced = -1;
    long changes = -1;
    double cpuSeconds = Double.NaN;
    double cpuMicrosPerEvent = Double.NaN;
    double rssMib = Double.NaN;
    double heapUsedMib = Double.NaN;
    double liveMib = Double.NaN;
    double liveBytesPerSa = Double.NaN;
    double rssBytesPerSa = Double.NaN;
    String load = "";
    String note = "";

    Row(String scenario, int sas) {
        this.scenario = scenario;
        this.sas = sas;
    }

    Row rate(int r) {
        rate = r;
        return this;
    }

    Row events(long n, double achieved) {
        events = n;
        achievedRate = achieved;
        return this;
    }

    Row first(double s) {
        firstSeconds = s;
        return this;
    }

    Row all(double s) {
        allSeconds = s;
        return this;
    }

    Row latency(Latencies all, Latencies announce, Latencies withdraw) {
        p50 = all.percentileMillis(50);
        p99 = all.percentileMillis(99);
        max = all.maxMillis();
        announceP99 = announce.percentileMillis(99);
        withdrawP99 = withdraw.percentileMillis(99);
        return this;
    }

    Row lost(long n) {
        lost = n;
        return this;
    }

    Row coalesced(long n) {
        coalesced = n;
        return this;
    }

    Row unexpected(long n) {
        unexpected = n;
        return this;
    }

    Row changes(long n) {
        changes = n;
        return this;
    }

    /** CPU ticks (10 ms) used; per event in microseconds when {@code perEvents > 0}. */
    Row cpu(long ticks, long perEvents) {
        cpuSeconds = ticks / 100.0;
        if (perEvents > 0) {
            cpuMicrosPerEvent = ticks * 10_000.0 / perEvents;
        }
        return this;
    }

    /** Memory after a forced GC; per SA against {@code empty} (the 0-SA speaker) when given. */
    Row memory(SpeakerJvm.Memory m, SpeakerJvm.Memory empty, int n) {
        rssMib = m.rssKib() / 1024.0;
        heapUsedMib = m.heapUsedKib() / 1024.0;
        liveMib = m.liveBytes() / (1024.0 * 1024.0);
        if (empty != null && n > 0) {
            liveBytesPerSa = (m.liveBytes() - empty.liveBytes()) / (double) n;
            rssBytesPerSa = (m.rssKib() - empty.rssKib()) * 1024.0 / n;
        }
        return this;
    }

    Row load(String s) {
        load = s;
        return this;
    }

    Row note(String s) {
        note = s;
        return this;
    }
}
