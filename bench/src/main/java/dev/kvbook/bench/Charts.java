package dev.kvbook.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The charts, each as PNG and SVG (XChart): one bar chart of throughput per workload (log scale:
 * the contenders span six orders of magnitude), the cost of a put against N, and the write
 * amplification against N (both log-log, so a line rising one decade per decade is O(N) per put).
 */
final class Charts {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;

    private Charts() {
    }

    /** Writes every chart into {@code dir}. */
    static void write(Path dir, List<Measurement> measurements, List<ScalingRow> scaling) throws IOException {
        Files.createDirectories(dir);
        for (String workload : distinct(measurements.stream().map(Measurement::workload).toList())) {
            save(throughput(workload, measurements.stream().filter(m -> m.workload().equals(workload)).toList()),
                    dir.resolve("throughput-" + workload));
        }
        XYChart cost = versusN("Cost of a put while loading N keys (relaxed)", "ns per put", scaling,
                ScalingRow::nanosPerPut);
        if (cost != null) {
            save(cost, dir.resolve("cost-per-put"));
        }
        XYChart amplification = versusN("Write amplification: bytes written / bytes asked (116 per put)",
                "bytes written per user byte", scaling, ScalingRow::writeAmplification);
        if (amplification != null) {
            save(amplification, dir.resolve("write-amplification"));
        }
    }

    private static CategoryChart throughput(String workload, List<Measurement> figures) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(workload + ": operations per second (log scale)").xAxisTitle("store").yAxisTitle("ops/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(90);
        // XChart skips every other category label when categories are closer than this hint (74 px
        // by default); with fifteen contenders they are about 60 px apart, and every name must show
        chart.getStyler().setXAxisTickMarkSpacingHint(20);
        List<String> stores = distinct(figures.stream().map(Measurement::store).toList());
        double smallest = Double.POSITIVE_INFINITY;
        for (String variant : distinct(figures.stream().map(Measurement::variant).toList())) {
            List<Double> scores = new ArrayList<>();
            for (String store : stores) {
                double score = figures.stream().filter(m -> m.store().equals(store) && m.variant().equals(variant))
                        .mapToDouble(Measurement::score).filter(s -> s > 0).findFirst().orElse(Double.NaN);
                scores.add(score);
                smallest = Double.isNaN(score) ? smallest : Math.min(smallest, score);
            }
            chart.addSeries(variant, stores, scores);
        }
        // Bars grow from the axis minimum, which XChart takes as 0 unless told: a log axis needs a
        // positive floor, so start at the power of ten below the smallest figure
        if (smallest < Double.POSITIVE_INFINITY) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
        }
        return chart;
    }

    /** A log-log chart of {@code y} against N, one line per contender; null when nothing has a value. */
    private static XYChart versusN(String title, String yTitle, List<ScalingRow> rows, ToDoubleFunction<ScalingRow> y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("N (keys loaded)")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        int lines = 0;
        for (String store : distinct(rows.stream().map(ScalingRow::store).toList())) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (ScalingRow row : rows) {
                double value = y.applyAsDouble(row);
                if (row.store().equals(store) && value > 0 && row.keysLoaded() > 0) {
                    xs.add((double) row.keysLoaded());
                    ys.add(value);
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(store, xs, ys);
                lines++;
            }
        }
        return lines == 0 ? null : chart;
    }

    // XChart 4.0.3 marks these encoder methods deprecated, and every overload that saves a chart
    // takes the same deprecated form (javap lists no other); the warning is the dependency's,
    // so it is silenced here and nowhere else.
    @SuppressWarnings("deprecation")
    private static void save(Chart<?, ?> chart, Path withoutExtension) throws IOException {
        BitmapEncoder.saveBitmap(chart, withoutExtension + ".png", BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, withoutExtension + ".svg",
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    private static List<String> distinct(List<String> values) {
        Set<String> seen = new LinkedHashSet<>(values);
        return new ArrayList<>(seen);
    }
}
