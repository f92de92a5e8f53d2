package org.cti4j.bench.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads what an engine's {@code /metrics} gives (Prometheus's text exposition format, version 0.0.4) and sums the
 * {@code cti4j_} series of several engines into the columns the harness records.
 *
 * <p>A series line is {@code name{label="value",...} value [timestamp]}; label values may hold escaped quotes,
 * backslashes and line feeds, commas and braces. {@code # TYPE} lines give each family's type. Lines that are
 * neither, or that cannot be read, are skipped: one odd line must not lose a whole scrape.
 */
final class PrometheusText {

    /** The prefix of the engine's own meters. */
    static final String PREFIX = "cti4j_";
    static final String LEGS_STARTED = "cti4j_legs_started_total";
    static final String LEGS_ANSWERED = "cti4j_legs_answered_total";
    static final String LEGS_ENDED = "cti4j_legs_ended_total";
    /** Legs ended that had been answered: {@code cti4j_legs_ended_total} with {@code answered="true"}. */
    static final String LEGS_ENDED_ANSWERED = "cti4j_legs_ended_total{answered=true}";
    /** Legs ended that never were (a set-up that failed): {@code answered="false"}. */
    static final String LEGS_ENDED_UNANSWERED = "cti4j_legs_ended_total{answered=false}";
    static final String CALLS_LIVE = "cti4j_calls_live";
    static final String DUO_CALLBACKS_LIVE = "cti4j_duo_callbacks_live";
    /** The columns every sample has, in this order; the other {@code cti4j_} series follow, by name. */
    static final List<String> FIXED_COLUMNS = List.of(LEGS_STARTED, LEGS_ANSWERED, LEGS_ENDED, LEGS_ENDED_ANSWERED,
            LEGS_ENDED_UNANSWERED, CALLS_LIVE, DUO_CALLBACKS_LIVE);

    private static final List<String> SUFFIXES = List.of("_total", "_count", "_sum", "_bucket", "_created");

    private PrometheusText() {
    }

    /**
     * One series of a scrape.
     *
     * @param name the series' name, such as {@code cti4j_legs_ended_total}
     * @param labels its labels, in the order given
     * @param value its value ({@code NaN}, {@code +Inf} and {@code -Inf} included)
     */
    record Series(String name, Map<String, String> labels, double value) {
    }

    /** Returns the series of a scrape, in order; comments, blank and unreadable lines are left out. */
    static List<Series> series(String body) {
        List<Series> series = new ArrayList<>();
        for (String line : body.split("\n", -1)) {
            Series one = parseLine(line);
            if (one != null) {
                series.add(one);
            }
        }
        return series;
    }

    /** Returns each family's type from the {@code # TYPE name type} lines of a scrape. */
    static Map<String, String> types(String body) {
        Map<String, String> types = new HashMap<>();
        for (String line : body.split("\n", -1)) {
            String[] words = line.trim().split("\\s+", -1);
            if (words.length == 4 && words[0].equals("#") && words[1].equals("TYPE")) {
                types.put(words[2], words[3].toLowerCase(Locale.ROOT));
            }
        }
        return types;
    }

    /** Returns the series on one line, or null for a comment, a blank line or a line that cannot be read. */
    static Series parseLine(String line) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        int i = 0;
        while (i < text.length() && isNameChar(text.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0) {
            return null;
        }
        String name = text.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < text.length() && text.charAt(i) == '{') {
            i = labels(text, i + 1, labels);
            if (i < 0) {
                return null;
            }
        }
        String[] rest = text.substring(i).strip().split("\\s+", -1);
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
            return null;
        }
        double value;
        try {
            value = switch (rest[0]) {
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(rest[0]);
            };
        } catch (NumberFormatException e) {
            return null;
        }
        return new Series(name, labels, value);
    }

    /** Reads {@code a="x",b="y"}} from {@code from} into {@code labels}; returns the index after '}', or -1. */
    private static int labels(String text, int from, Map<String, String> labels) {
        int i = from;
        while (true) {
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == ',')) {
                i++;
            }
            if (i >= text.length()) {
                return -1;
            }
            if (text.charAt(i) == '}') {
                return i + 1;
            }
            int nameStart = i;
            while (i < text.length() && isNameChar(text.charAt(i), i == nameStart) && text.charAt(i) != ':') {
                i++;
            }
            String key = text.substring(nameStart, i);
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            if (key.isEmpty() || i >= text.length() || text.charAt(i) != '=') {
                return -1;
            }
            i++;
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            if (i >= text.length() || text.charAt(i) != '"') {
                return -1;
            }
            StringBuilder value = new StringBuilder();
            for (i++; i < text.length() && text.charAt(i) != '"'; i++) {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < text.length()) {
                    char escaped = text.charAt(++i);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            if (i >= text.length()) {
                return -1;
            }
            labels.put(key, value.toString());
            i++;
        }
    }

    private static boolean isNameChar(char c, boolean first) {
        boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        return letter || (!first && c >= '0' && c <= '9');
    }

    /**
     * Returns the {@code cti4j_} columns of one or more scrapes (one per engine) summed: each counter, gauge or
     * untyped series by name over all its labels and all the engines, a {@code _max} gauge as the largest of them,
     * and {@link #LEGS_ENDED_ANSWERED} and {@link #LEGS_ENDED_UNANSWERED} split by the {@code answered} label. The
     * series of histograms and summaries ({@code _bucket}, {@code _count}, {@code _sum}) and {@code _created}
     * timestamps are left out. The {@link #FIXED_COLUMNS} are always there, 0 until their meters appear (a counter
     * with labels is registered at its first increment).
     */
    static Map<String, Double> columns(List<String> bodies) {
        Map<String, Double> columns = new TreeMap<>();
        for (String column : FIXED_COLUMNS) {
            columns.put(column, 0.0);
        }
        for (String body : bodies) {
            Map<String, String> types = types(body);
            for (Series s : series(body)) {
                if (!s.name().startsWith(PREFIX) || !isCounterOrGauge(s.name(), types)) {
                    continue;
                }
                if (s.name().endsWith("_max")) {
                    columns.merge(s.name(), s.value(), Math::max);
                } else {
                    columns.merge(s.name(), s.value(), Double::sum);
                }
                if (s.name().equals(LEGS_ENDED)) {
                    String answered = s.labels().get("answered");
                    if ("true".equals(answered)) {
                        columns.merge(LEGS_ENDED_ANSWERED, s.value(), Double::sum);
                    } else if ("false".equals(answered)) {
                        columns.merge(LEGS_ENDED_UNANSWERED, s.value(), Double::sum);
                    }
                }
            }
        }
        return columns;
    }

    /** Returns the columns in the order of a CSV line: {@link #FIXED_COLUMNS}, then the others by name. */
    static List<String> order(Iterable<String> names) {
        List<String> ordered = new ArrayList<>(FIXED_COLUMNS);
        List<String> others = new ArrayList<>();
        for (String name : names) {
            if (!FIXED_COLUMNS.contains(name) && !others.contains(name)) {
                others.add(name);
            }
        }
        others.sort(null);
        ordered.addAll(others);
        return ordered;
    }

    /**
     * Returns whether a series is a counter, a gauge or untyped: its family's type is looked up under its own name,
     * then under its name without a suffix the format adds ({@code _total}, {@code _count}, ...).
     */
    private static boolean isCounterOrGauge(String name, Map<String, String> types) {
        if (name.endsWith("_created")) {
            return false;
        }
        String type = types.get(name);
        for (int i = 0; type == null && i < SUFFIXES.size(); i++) {
            if (name.endsWith(SUFFIXES.get(i))) {
                type = types.get(name.substring(0, name.length() - SUFFIXES.get(i).length()));
            }
        }
        return type == null || type.equals("counter") || type.equals("gauge") || type.equals("untyped");
    }
}
