package net.rrispeaker.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Line charts as PNG with plain Java2D (headless): a latency CDF per scenario (log x axis) and
 * the cold-start arrival curves (paths in gobgpd over time). No plotting library.
 */
final class Plot {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    private static final int W = 1000;
    private static final int H = 620;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;

    /** One curve: points in data coordinates, drawn in the order given. */
    record Series(String name, double[] xs, double[] ys) {
    }

    /** A dashed vertical line at {@code x} with a label, e.g. a stage of the speaker's start. */
    record Marker(String label, double x) {
    }

    private Plot() {
    }

    /** The CDF of each latency list (nanoseconds) on a log millisecond axis; lists may be empty (skipped). */
    static void latencyCdf(Path png, String title, List<String> names, List<long[]> sortedNanos) throws IOException {
        List<Series> series = new ArrayList<>();
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int k = 0; k < names.size(); k++) {
            long[] s = sortedNanos.get(k);
            if (s.length == 0) {
                continue;
            }
            int points = Math.min(s.length, 2000);
            double[] xs = new double[points + 1];
            double[] ys = new double[points + 1];
            xs[0] = Math.max(s[0], 1) / 1e6;
            ys[0] = 0;
            for (int p = 1; p <= points; p++) {
                int idx = (int) ((long) p * s.length / points) - 1;
                xs[p] = Math.max(s[idx], 1) / 1e6;
                ys[p] = (idx + 1) / (double) s.length;
            }
            min = Math.min(min, xs[0]);
            max = Math.max(max, xs[points]);
            series.add(new Series(names.get(k) + String.format(" (n=%,d, p50 %s, p99 %s ms)", s.length,
                    ms(Latencies.percentile(s, 50)), ms(Latencies.percentile(s, 99))), xs, ys));
        }
        if (series.isEmpty()) {
            return;
        }
        double lo = Math.pow(10, Math.floor(Math.log10(min)));
        double hi = Math.pow(10, Math.ceil(Math.log10(max)));
        if (hi <= lo) {
            hi = lo * 10;
        }
        draw(png, title, "event-to-RIB latency, ms (log scale)", "fraction of events", series, List.of(), true, lo, hi, 0, 1);
    }

    private static String ms(long nanos) {
        double v = nanos / 1e6;
        return v >= 100 ? String.format("%.0f", v) : v >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
    }

    /** Cumulative paths in gobgpd over seconds since each one's start (arrival nanoTimes, ascending). */
    static void arrivals(Path png, String title, List<String> names, List<long[]> arrivals, List<Long> starts,
                         List<Marker> markers) throws IOException {
        List<Series> series = new ArrayList<>();
        double maxX = 0;
        double maxY = 0;
        for (int k = 0; k < names.size(); k++) {
            long[] a = arrivals.get(k);
            if (a.length == 0) {
                continue;
            }
            int points = Math.min(a.length, 2000);
            double[] xs = new double[points + 1];
            double[] ys = new double[points + 1];
            xs[0] = 0;
            ys[0] = 0;
            for (int p = 1; p <= points; p++) {
                int idx = (int) ((long) p * a.length / points) - 1;
                xs[p] = (a[idx] - starts.get(k)) / 1e9;
                ys[p] = idx + 1;
            }
            maxX = Math.max(maxX, xs[points]);
            maxY = Math.max(maxY, ys[points]);
            series.add(new Series(String.format("%s (first %.2f s, all %.2f s)", names.get(k),
                    (a[0] - starts.get(k)) / 1e9, xs[points]), xs, ys));
        }
        if (series.isEmpty()) {
            return;
        }
        for (Marker m : markers) {
            maxX = Math.max(maxX, m.x());
        }
        draw(png, title, "seconds since start", "paths in gobgpd's RIB", series, markers, false, 0, niceCeil(maxX), 0,
                niceCeil(maxY));
    }

    static void draw(Path png, String title, String xLabel, String yLabel, List<Series> series, List<Marker> markers, boolean logX,
                     double x0, double x1, double y0, double y1) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        Frame f = new Frame(logX, x0, x1, y0, y1, pw, ph);

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        centered(g, title, LEFT + pw / 2, 28);

        // grid and ticks
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        List<Double> xt = logX ? logTicks(x0, x1) : linearTicks(x0, x1);
        List<Double> yt = linearTicks(y0, y1);
        for (double t : xt) {
            int x = LEFT + f.px(t);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(x, TOP, x, TOP + ph);
            g.setColor(Color.DARK_GRAY);
            centered(g, label(t), x, TOP + ph + 18);
        }
        for (double t : yt) {
            int y = TOP + f.py(t);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, y, LEFT + pw, y);
            g.setColor(Color.DARK_GRAY);
            String s = label(t);
            g.drawString(s, LEFT - 8 - g.getFontMetrics().stringWidth(s), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        centered(g, xLabel, LEFT + pw / 2, H - 22);
        Graphics2D gy = (Graphics2D) g.create();
        gy.rotate(-Math.PI / 2);
        centered(gy, yLabel, -(TOP + ph / 2), 24);
        gy.dispose();

        // markers
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int k = 0; k < markers.size(); k++) {
            Marker m = markers.get(k);
            if (Double.isNaN(m.x())) {
                continue;
            }
            int x = LEFT + f.px(m.x());
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
            g.drawLine(x, TOP, x, TOP + ph);
            g.setColor(Color.DARK_GRAY);
            int width = g.getFontMetrics().stringWidth(m.label());
            g.drawString(m.label(), x + 4 + width > LEFT + pw ? x - 4 - width : x + 4, TOP + 16 + 16 * k);
        }

        // curves
        g.setClip(LEFT, TOP, pw + 1, ph + 1);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(PALETTE[k % PALETTE.length]);
            int px = -1;
            int py = -1;
            for (int p = 0; p < s.xs().length; p++) {
                int x = LEFT + f.px(s.xs()[p]);
                int y = TOP + f.py(s.ys()[p]);
                if (p > 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
        }
        g.setClip(null);

        // legend, bottom right inside the plot
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        int lw = 0;
        for (Series s : series) {
            lw = Math.max(lw, fm.stringWidth(s.name()));
        }
        int lh = series.size() * 20 + 10;
        int lx = LEFT + pw - lw - 50;
        int ly = TOP + ph - lh - 10;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(lx, ly, lw + 40, lh);
        g.setColor(Color.GRAY);
        g.drawRect(lx, ly, lw + 40, lh);
        for (int k = 0; k < series.size(); k++) {
            int y = ly + 20 + k * 20;
            g.setColor(PALETTE[k % PALETTE.length]);
            g.fillRect(lx + 8, y - 7, 20, 4);
            g.setColor(Color.BLACK);
            g.drawString(series.get(k).name(), lx + 34, y);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private record Frame(boolean logX, double x0, double x1, double y0, double y1, int pw, int ph) {
        int px(double x) {
            double f = logX ? (Math.log10(Math.max(x, x0)) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))
                    : (x - x0) / (x1 - x0);
            return (int) Math.round(f * pw);
        }

        int py(double y) {
            return (int) Math.round(ph - (y - y0) / (y1 - y0) * ph);
        }
    }

    private static void centered(Graphics2D g, String s, int x, int y) {
        g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, y);
    }

    static List<Double> logTicks(double lo, double hi) {
        List<Double> out = new ArrayList<>();
        for (double t = lo; t <= hi * 1.0001; t *= 10) {
            out.add(t);
        }
        return out;
    }

    static List<Double> linearTicks(double lo, double hi) {
        double step = niceStep((hi - lo) / 6);
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-6; t += step) {
            out.add(t);
        }
        return out;
    }

    private static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double r = raw / mag;
        return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 2.5 ? 2.5 : r <= 5 ? 5 : 10) * mag;
    }

    static double niceCeil(double v) {
        if (v <= 0) {
            return 1;
        }
        double step = niceStep(v / 6);
        return Math.ceil(v / step) * step;
    }

    private static String label(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format("%,d", (long) v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
