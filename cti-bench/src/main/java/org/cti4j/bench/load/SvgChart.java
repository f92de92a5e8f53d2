package org.cti4j.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws a run's time series as one SVG of stacked panels (calls per second, concurrency, CPU, heap, latency, RTP
 * timing), written by hand: no charting library. The phases are shaded and named along the top.
 */
final class SvgChart {

    /** One line of a panel: values at times, NaN for "nothing measured" (the line breaks there). */
    // A series is only drawn, never compared or hashed.
    @SuppressWarnings("ArrayRecordComponent")
    record Series(String name, String color, double[] x, double[] y) {
    }

    /** One panel. */
    record Panel(String title, List<Series> series) {
    }

    /** A span of the run, shaded in every panel. */
    record Phase(String name, double from, double to) {
    }

    private static final int WIDTH = 1060;
    private static final int LEFT = 64;
    private static final int RIGHT = 250;
    private static final int TOP = 58;
    private static final int PANEL = 150;
    private static final int GAP = 46;

    private SvgChart() {
    }

    /** Returns the chart of a run. */
    static String write(RunReport r) {
        List<Sample> s = r.samples();
        double[] t = new double[s.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = s.get(i).seconds();
        }
        List<RunReport.TimingSample> timing = r.timing();
        double[] tt = new double[timing.size()];
        for (int i = 0; i < tt.length; i++) {
            tt[i] = timing.get(i).seconds();
        }
        List<Panel> panels = new ArrayList<>(List.of(
                new Panel("Calls per second", List.of(
                        new Series("bridged/s", "#1f77b4", t, col(s, Sample::setupsPerSecond)),
                        new Series("launched/s", "#aec7e8", t, col(s, Sample::launchesPerSecond)),
                        new Series("refused/s", "#ff7f0e", t, col(s, Sample::refusalsPerSecond)))),
                new Panel("Concurrent", List.of(
                        new Series("live resources", "#2ca02c", t, col(s, x -> x.liveResources())),
                        new Series("bridged pairs", "#98df8a", t, col(s, x -> x.bridged())))),
                new Panel("CPU, % of one core", List.of(
                        new Series("engine", "#d62728", t, col(s, Sample::engineCpu)),
                        new Series("harness threads", "#ff9896", t, col(s, Sample::harnessCpu)),
                        new Series("SIPp", "#9467bd", t, col(s, Sample::sippCpu)),
                        new Series("machine", "#7f7f7f", t, col(s, Sample::machineCpu)))),
                new Panel("Heap, MB", List.of(
                        new Series("used", "#8c564b", t, col(s, Sample::heapUsedMb)),
                        new Series("after last GC", "#c49c94", t, col(s, Sample::heapAfterGcMb)))),
                new Panel("Latency p99 per second, ms", List.of(
                        new Series("construct → INVITE", "#e377c2", tt, tcol(timing, 0)),
                        new Series("200 OK → CONNECTED", "#17becf", tt, tcol(timing, 1)))),
                new Panel("RTP send-interval deviation, ms", List.of(
                        new Series("p99 per second", "#bcbd22", tt, tcol(timing, 2)),
                        new Series("max per second", "#dbdb8d", tt, tcol(timing, 3))))));
        if (r.metrics() != null && !r.metrics().samples().isEmpty()) {
            panels.add(metricsPanel(r.metrics().samples(), r.engines().size()));
        }
        int engines = r.engines().size();
        return write("cti4j load run, " + r.options().mode().name().toLowerCase(java.util.Locale.ROOT) + " mode, "
                + (engines > 1 ? engines + " engines, " : "") + r.machine().cores() + " cores", panels, phases(s));
    }

    /**
     * Returns the panel of the engines' {@code /metrics}, summed over them: legs started and ended per second (the
     * counters' increase from one scrape to the next) and the calls and duo callbacks live.
     */
    static Panel metricsPanel(List<MetricsSample> samples, int engines) {
        int n = samples.size();
        double[] x = new double[n];
        double[] started = new double[n];
        double[] ended = new double[n];
        for (int i = 0; i < n; i++) {
            MetricsSample now = samples.get(i);
            x[i] = now.seconds();
            if (i == 0) {
                started[i] = Double.NaN;
                ended[i] = Double.NaN;
                continue;
            }
            MetricsSample before = samples.get(i - 1);
            double seconds = now.seconds() - before.seconds();
            started[i] = seconds > 0 ? (now.get(PrometheusText.LEGS_STARTED) - before.get(PrometheusText.LEGS_STARTED))
                    / seconds : Double.NaN;
            ended[i] = seconds > 0 ? (now.get(PrometheusText.LEGS_ENDED) - before.get(PrometheusText.LEGS_ENDED))
                    / seconds : Double.NaN;
        }
        return new Panel("/metrics of the " + engines + (engines == 1 ? " engine" : " engines") + ", summed", List.of(
                new Series("legs started/s", "#1f77b4", x, started),
                new Series("legs ended/s", "#d62728", x, ended),
                new Series("calls live", "#2ca02c", x, metricsCol(samples, PrometheusText.CALLS_LIVE)),
                new Series("duo callbacks live", "#98df8a", x,
                        metricsCol(samples, PrometheusText.DUO_CALLBACKS_LIVE))));
    }

    private static double[] metricsCol(List<MetricsSample> samples, String column) {
        double[] values = new double[samples.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = samples.get(i).get(column);
        }
        return values;
    }

    /** Returns the phases of the samples, each from its first sample's start to its last sample. */
    static List<Phase> phases(List<Sample> samples) {
        List<Phase> phases = new ArrayList<>();
        double start = 0;
        for (int i = 0; i < samples.size(); i++) {
            boolean last = i == samples.size() - 1;
            if (last || !samples.get(i + 1).phase().equals(samples.get(i).phase())) {
                phases.add(new Phase(samples.get(i).phase(), start, samples.get(i).seconds()));
                start = samples.get(i).seconds();
            }
        }
        return phases;
    }

    /** Returns the SVG of the panels, the phases shaded. */
    static String write(String title, List<Panel> panels, List<Phase> phases) {
        double maxX = 1;
        for (Panel p : panels) {
            for (Series series : p.series()) {
                for (double x : series.x()) {
                    maxX = Math.max(maxX, x);
                }
            }
        }
        for (Phase phase : phases) {
            maxX = Math.max(maxX, phase.to());
        }
        int height = TOP + panels.size() * (PANEL + GAP) + 10;
        int plotWidth = WIDTH - LEFT - RIGHT;
        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, LEFT, 18, escape(title), "start", "14");
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            int top = TOP + p * (PANEL + GAP) + 18;
            double maxY = niceCeiling(maxY(panel));
            for (int i = 0; i < phases.size(); i++) {
                Phase phase = phases.get(i);
                double x0 = LEFT + plotWidth * phase.from() / maxX;
                double x1 = LEFT + plotWidth * phase.to() / maxX;
                if (i % 2 == 1) {
                    svg.append("<rect x=\"").append(n(x0)).append("\" y=\"").append(top).append("\" width=\"")
                            .append(n(Math.max(0, x1 - x0))).append("\" height=\"").append(PANEL)
                            .append("\" fill=\"#f2f2f2\"/>\n");
                }
                if (p == 0) {
                    // two rows, so that the names of short phases side by side do not run into each other
                    text(svg, (x0 + x1) / 2, top - (i % 2 == 0 ? 4 : 15), escape(phase.name()), "middle", "10");
                }
            }
            text(svg, LEFT, top - (p == 0 ? 28 : 6), escape(panel.title()), "start", "12");
            svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(top).append("\" width=\"")
                    .append(plotWidth).append("\" height=\"").append(PANEL)
                    .append("\" fill=\"none\" stroke=\"#444\" stroke-width=\"0.6\"/>\n");
            for (int k = 0; k <= 2; k++) {
                double value = maxY * k / 2;
                double y = top + PANEL - PANEL * value / maxY;
                svg.append("<line x1=\"").append(LEFT - 3).append("\" y1=\"").append(n(y)).append("\" x2=\"")
                        .append(LEFT + plotWidth).append("\" y2=\"").append(n(y))
                        .append("\" stroke=\"#ddd\" stroke-width=\"0.5\"/>\n");
                text(svg, LEFT - 5, y + 4, Format.number(value, 2), "end", "10");
            }
            for (int k = 0; k <= 5; k++) {
                double value = maxX * k / 5;
                double x = LEFT + plotWidth * k / 5.0;
                text(svg, x, top + PANEL + 13, Format.number(value, 0) + " s", "middle", "10");
            }
            for (int i = 0; i < panel.series().size(); i++) {
                Series series = panel.series().get(i);
                polyline(svg, series, top, plotWidth, maxX, maxY);
                int ly = top + 12 + 16 * i;
                svg.append("<line x1=\"").append(WIDTH - RIGHT + 12).append("\" y1=\"").append(ly - 4)
                        .append("\" x2=\"").append(WIDTH - RIGHT + 30).append("\" y2=\"").append(ly - 4)
                        .append("\" stroke=\"").append(series.color()).append("\" stroke-width=\"2\"/>\n");
                text(svg, WIDTH - RIGHT + 35, ly, escape(series.name()) + " (max "
                        + Format.number(max(series.y()), 1) + ")", "start", "10");
            }
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void polyline(StringBuilder svg, Series series, int top, int plotWidth, double maxX, double maxY) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i <= series.x().length; i++) {
            boolean gap = i == series.x().length || Double.isNaN(series.y()[i]) || Double.isInfinite(series.y()[i]);
            if (gap) {
                if (points.length() > 0) {
                    svg.append("<polyline fill=\"none\" stroke=\"").append(series.color())
                            .append("\" stroke-width=\"1.5\" points=\"").append(points.toString().trim())
                            .append("\"/>\n");
                    points.setLength(0);
                }
                continue;
            }
            double x = LEFT + plotWidth * series.x()[i] / maxX;
            double y = top + PANEL - PANEL * Math.min(series.y()[i], maxY) / maxY;
            points.append(n(x)).append(',').append(n(y)).append(' ');
        }
    }

    private static double maxY(Panel panel) {
        double max = 0;
        for (Series series : panel.series()) {
            max = Math.max(max, max(series.y()));
        }
        return max;
    }

    private static double max(double[] values) {
        double max = 0;
        for (double v : values) {
            if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                max = Math.max(max, v);
            }
        }
        return max;
    }

    /** Returns the smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code value} (1 for 0). */
    static double niceCeiling(double value) {
        if (!(value > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static void text(StringBuilder svg, double x, double y, String content, String anchor, String size) {
        svg.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"")
                .append(anchor).append("\" font-size=\"").append(size).append("\">").append(content)
                .append("</text>\n");
    }

    private static String n(double v) {
        return Format.number(v, 1);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static double[] col(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
        double[] values = new double[samples.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = f.applyAsDouble(samples.get(i));
        }
        return values;
    }

    private static double[] tcol(List<RunReport.TimingSample> timing, int which) {
        double[] values = new double[timing.size()];
        for (int i = 0; i < values.length; i++) {
            RunReport.TimingSample s = timing.get(i);
            values[i] = switch (which) {
                case 0 -> s.inviteP99();
                case 1 -> s.bridgeP99();
                case 2 -> s.rtpDeviationP99();
                default -> s.rtpDeviationMax();
            };
        }
        return values;
    }
}
