package dev.echo4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Learning curves as a PNG: one panel per metric, one line per run (e.g. the GRPO and ECHO arms). */
public final class LearningCurves {

    private LearningCurves() {
    }

    /**
     * @param runs    run label to its metric rows (each row has {@code step} and the metrics)
     * @param metrics metric names, one panel each
     */
    public static void write(Path png, String title, Map<String, List<Map<String, Object>>> runs, List<String> metrics) {
        int columns = Math.min(3, metrics.size());
        int rows = (metrics.size() + columns - 1) / columns;
        List<XYChart> charts = new ArrayList<>();
        for (String metric : metrics) {
            XYChart chart = new XYChartBuilder().width(420).height(300).title(metric).xAxisTitle("step").build();
            chart.getStyler().setLegendVisible(runs.size() > 1);
            chart.getStyler().setMarkerSize(3);
            runs.forEach((label, series) -> addSeries(chart, label, series, metric));
            if (!chart.getSeriesMap().isEmpty()) {
                charts.add(chart);
            }
        }
        if (charts.isEmpty()) {
            return;
        }
        try {
            String base = png.toString().replaceFirst("\\.png$", "");
            BitmapEncoder.saveBitmap(charts, rows, columns, base, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + png + " (" + title + ")", e);
        }
    }

    private static void addSeries(XYChart chart, String label, List<Map<String, Object>> rows, String metric) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            if (row.get(metric) instanceof Number value && Double.isFinite(value.doubleValue())) {
                x.add(((Number) row.get("step")).doubleValue());
                y.add(value.doubleValue());
            }
        }
        if (!x.isEmpty()) {
            XYSeries s = chart.addSeries(label, x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
    }
}
