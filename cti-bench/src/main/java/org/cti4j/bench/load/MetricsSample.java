package org.cti4j.bench.load;

import java.util.List;
import java.util.Map;

/**
 * One scrape of every engine's {@code /metrics} ({@code --metrics}): the {@code cti4j_} columns of each engine and
 * summed over them (see {@link PrometheusText#columns}).
 *
 * @param seconds when it was taken, from the start of the run
 * @param phase the run's phase then
 * @param perEngine each engine's columns, in the order of the engines' node ids
 * @param total the columns summed over the engines
 */
public record MetricsSample(double seconds, String phase, List<Map<String, Double>> perEngine,
        Map<String, Double> total) {

    /** Returns the value of a summed column, 0 if no engine has that meter. */
    public double get(String column) {
        return total.getOrDefault(column, 0.0);
    }
}
