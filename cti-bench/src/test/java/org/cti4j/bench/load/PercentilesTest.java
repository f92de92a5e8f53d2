package org.cti4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankPercentilesOfOneToHundred() {
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100L - i; // unsorted on purpose
        }
        Percentiles p = Percentiles.of(values);
        assertThat(p.count()).isEqualTo(100);
        assertThat(p.p50()).isEqualTo(50);
        assertThat(p.p99()).isEqualTo(99);
        assertThat(p.max()).isEqualTo(100);
        assertThat(values[0]).as("the argument is not sorted in place").isEqualTo(100);
    }

    @Test
    void theNinetyNinthPercentileOfFewValuesIsTheirMaximum() {
        Percentiles p = Percentiles.of(3, 1, 2);
        assertThat(p.p50()).isEqualTo(2);
        assertThat(p.p99()).isEqualTo(3);
        assertThat(Percentiles.of(7).p99()).isEqualTo(7);
    }

    @Test
    void oneOutlierInAThousandStaysAboveTheNinetyNinthPercentile() {
        long[] values = new long[1000];
        java.util.Arrays.fill(values, 10);
        values[500] = 1_000_000;
        Percentiles p = Percentiles.of(values);
        assertThat(p.p99()).isEqualTo(10);
        assertThat(p.max()).isEqualTo(1_000_000);
    }

    @Test
    void noValuesGiveNotANumber() {
        assertThat(Percentiles.of().count()).isZero();
        assertThat(Percentiles.of().p99()).isNaN();
        assertThat(new LongSamples().percentiles()).isEqualTo(Percentiles.EMPTY);
    }

    @Test
    void scalingConvertsNanosecondsToMilliseconds() {
        Percentiles ms = Percentiles.of(1_000_000, 2_000_000, 3_000_000).scaled(1e6);
        assertThat(ms.p50()).isEqualTo(2.0);
        assertThat(ms.max()).isEqualTo(3.0);
        assertThat(ms.count()).isEqualTo(3);
    }

    @Test
    void aPercentileOutOfRangeIsRefused() {
        assertThatThrownBy(() -> Percentiles.rank(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.rank(new long[] {1}, 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.rank(new long[0], 50)).hasMessageContaining("no values");
    }

    @Test
    void longSamplesGrowPastTheirFirstCapacity() {
        LongSamples samples = new LongSamples(16);
        for (int i = 0; i < 10_000; i++) {
            samples.add(i);
        }
        assertThat(samples.size()).isEqualTo(10_000);
        assertThat(samples.get(9_999)).isEqualTo(9_999);
        assertThat(samples.percentiles().p50()).isEqualTo(4_999);
    }
}
