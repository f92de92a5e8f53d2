package org.cti4j.bench.load;

import java.util.Arrays;

/**
 * A growable array of {@code long} values with exact percentiles. Not thread-safe: one writer, read after it stops.
 *
 * <p>Exact percentiles over every sample, rather than a histogram: a run keeps at most a few million values (8 bytes
 * each), so sorting a copy is cheap, and no dependency is needed.
 */
final class LongSamples {

    private long[] values;
    private int size;

    LongSamples(int initialCapacity) {
        values = new long[Math.max(16, initialCapacity)];
    }

    LongSamples() {
        this(1024);
    }

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    long get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        return values[index];
    }

    /** Returns a sorted copy of the values. */
    long[] sorted() {
        long[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }

    /** Returns the percentiles of the values (see {@link Percentiles#of(long[])}). */
    Percentiles percentiles() {
        return Percentiles.ofSorted(sorted());
    }
}
