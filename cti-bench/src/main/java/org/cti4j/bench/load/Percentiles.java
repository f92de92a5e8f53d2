package org.cti4j.bench.load;

import java.util.Arrays;

/**
 * The count, median, 99th percentile and maximum of a set of values (nearest-rank percentiles: the smallest value
 * that at least p % of the values do not exceed), in the values' own unit.
 *
 * @param count how many values
 * @param p50 the median; NaN when there are no values
 * @param p99 the 99th percentile; NaN when there are no values
 * @param max the largest value; NaN when there are no values
 */
public record Percentiles(int count, double p50, double p99, double max) {

    /** No values. */
    public static final Percentiles EMPTY = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);

    /** Returns the percentiles of {@code values} (copied and sorted; the argument is not changed). */
    public static Percentiles of(long... values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return ofSorted(copy);
    }

    /** Returns the percentiles of values already sorted in ascending order. */
    static Percentiles ofSorted(long[] sorted) {
        if (sorted.length == 0) {
            return EMPTY;
        }
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    /**
     * Returns the nearest-rank percentile {@code p} (0 &lt; p &le; 100) of sorted values: the value at rank
     * {@code ceil(p / 100 * n)}.
     *
     * @throws IllegalArgumentException if there are no values or p is out of range
     */
    public static long rank(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile " + p + " is not within (0, 100]");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /** Returns these percentiles divided by {@code divisor} (nanoseconds to milliseconds: 1e6). */
    public Percentiles scaled(double divisor) {
        return new Percentiles(count, p50 / divisor, p99 / divisor, max / divisor);
    }
}
