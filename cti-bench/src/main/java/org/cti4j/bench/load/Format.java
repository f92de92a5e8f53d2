package org.cti4j.bench.load;

import java.time.Duration;
import java.util.Locale;

/** How the harness writes numbers and durations: always with a dot, never in the platform's locale. */
final class Format {

    private Format() {
    }

    /** Writes {@code value} with at most {@code decimals} decimals, trailing zeros removed; "n/a" for NaN. */
    static String number(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
        if (text.indexOf('.') >= 0) {
            text = text.replaceAll("0+$", "");
            if (text.endsWith(".")) {
                text = text.substring(0, text.length() - 1);
            }
        }
        return text.equals("-0") ? "0" : text;
    }

    /** Writes {@code value} with up to three decimals. */
    static String number(double value) {
        return number(value, 3);
    }

    /** Writes a duration as the flags read it: {@code 1s}, {@code 500ms}, {@code 2m}. */
    static String duration(Duration d) {
        long millis = d.toMillis();
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }

    /** Writes nanoseconds as milliseconds with two decimals. */
    static String millis(double nanos) {
        return number(nanos / 1e6, 2);
    }
}
