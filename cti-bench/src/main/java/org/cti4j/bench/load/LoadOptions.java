package org.cti4j.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one run of the {@link LoadHarness} does, read from its command line by {@link #parse(String...)}.
 *
 * @param mode duo callbacks or plain outbound calls
 * @param via how the harness reaches the engine: embedded in its process, through an RPC server and a
 *     {@code RemoteCtiEngine} over loopback WebSocket, or through a {@code ClusterCtiEngine} over {@code engines}
 *     RPC servers (all in the harness's process)
 * @param engines how many engines run, each with its own node id, SIP port and slice of {@code rtpPorts}: 1 to
 *     {@value #MAX_ENGINES}, more than one only {@code via} {@link Via#CLUSTER}
 * @param rate the offered rate of new duo callbacks (or calls), per second
 * @param concurrency the most duo callbacks (or calls) alive at once in the rate phase; a launch waits for a slot
 * @param hold how long each conversation lasts once bridged (or answered): the harness releases it then
 * @param count the most duo callbacks (or calls) the rate phase starts
 * @param duration the longest the rate phase launches for
 * @param out the folder the report, chart, samples and logs are written to
 * @param steadyPairs how many conversations the steady phase holds at once (0: no steady phase)
 * @param steadyTime how long the steady phase measures them once all are bridged
 * @param idle how long the engine is measured idle before any load (the baseline)
 * @param rest how long the warm engine rests with no call between the rate and the steady phase; the heap baseline
 *     is taken at its end (the SIP stack keeps finished transactions about 32 s)
 * @param warmup how many duo callbacks (or calls) run first, at the same rate and hold, left out of every figure
 * @param probeEvery every n-th duo callback's party 2 (or call) has its RTP received by the harness's probe (0: none)
 * @param rtpPorts the engine's RTP port range, {@code first-last}
 * @param sipPort the engine's SIP port (0: a free one)
 * @param sipp the SIPp program
 * @param metrics whether each engine's meters ({@code CtiMetrics}) are served over HTTP ({@code /metrics}) and
 *     scraped by the harness once a second
 * @param properties further engine properties ({@code --property key=value}), after the harness's own
 */
public record LoadOptions(Mode mode, Via via, int engines, double rate, int concurrency, Duration hold, int count,
        Duration duration, Path out, int steadyPairs, Duration steadyTime, Duration idle, Duration rest, int warmup,
        int probeEvery, String rtpPorts, int sipPort, Path sipp, boolean metrics, Map<String, String> properties) {

    /** What the harness drives. */
    public enum Mode {
        /** {@code ext.duo_callback}: party 1 on SIPp A, then party 2 on SIPp B, bridged. */
        DUO,
        /** {@code sys.call}: one outbound call to SIPp A. */
        CALL
    }

    /** How the harness's launcher and listeners reach the engine. */
    public enum Via {
        /** The {@code CtiEngine} itself, in the harness's process. */
        EMBEDDED,
        /**
         * A {@code RemoteCtiEngine} connected over loopback WebSocket to an {@code RpcServer} in front of the engine:
         * every construct, release and event crosses JSON-RPC, as for an application in another process.
         */
        RPC,
        /**
         * A {@code ClusterCtiEngine} over {@code --engines} RPC servers, one in front of each engine: new duo
         * callbacks go round-robin to the engines, and every construct, release and event crosses JSON-RPC.
         */
        CLUSTER
    }

    /** The most engines one run may start ({@code --engines}). */
    public static final int MAX_ENGINES = 8;

    /** The fewest RTP ports an engine's slice of {@code --rtp-ports} may hold: two RTP/RTCP pairs, one duo callback. */
    static final int MIN_PORTS_PER_ENGINE = 4;

    /** The engine properties the harness sets for each engine itself when there are several. */
    private static final List<String> PER_ENGINE_PROPERTIES = List.of("sip.port", "media.rtp-ports");

    /** The most duo callbacks (or calls) one run may start: the harness keeps a slot of timestamps for each. */
    public static final int MAX_CALLS = 5_000_000;

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");
    private static final Pattern PORTS = Pattern.compile("(\\d{4,5})-(\\d{4,5})");

    /** Checks the values that belong together. */
    public LoadOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(via, "via");
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(steadyTime, "steadyTime");
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(rest, "rest");
        Objects.requireNonNull(rtpPorts, "rtpPorts");
        Objects.requireNonNull(sipp, "sipp");
        properties = Map.copyOf(properties);
        if (steadyPairs > 0 && steadyTime.isZero()) {
            throw new UsageException("--steady-time must be positive when --steady-pairs is " + steadyPairs);
        }
        if ((long) warmup + count + steadyPairs > MAX_CALLS) {
            throw new UsageException("--warmup, --count and --steady-pairs together must not exceed " + MAX_CALLS);
        }
        checkEngines(via, engines, sipPort, properties);
        if (!PORTS.matcher(rtpPorts).matches()) {
            throw new UsageException("--rtp-ports: '" + rtpPorts + "' is not a range such as 30000-32767");
        }
        int slice = sliceSize(rtpPortRange(rtpPorts), engines);
        if (slice < MIN_PORTS_PER_ENGINE) {
            throw new UsageException("--rtp-ports: '" + rtpPorts + "' split between " + engines + " engines leaves"
                    + " each " + Math.max(0, slice) + " ports; each needs at least " + MIN_PORTS_PER_ENGINE
                    + " (two RTP/RTCP pairs)");
        }
    }

    private static void checkEngines(Via via, int engines, int sipPort, Map<String, String> properties) {
        if (engines < 1 || engines > MAX_ENGINES) {
            throw new UsageException("--engines: " + engines + " is not between 1 and " + MAX_ENGINES);
        }
        if (engines != 1 && via != Via.CLUSTER) {
            throw new UsageException("--engines: " + engines + " engines need --via cluster (a ClusterCtiEngine"
                    + " over them); --via " + via.name().toLowerCase(Locale.ROOT) + " drives one");
        }
        if (engines > 1 && sipPort != 0) {
            throw new UsageException("--sip-port: " + sipPort + " is one engine's port; with --engines " + engines
                    + " each engine takes a free port of its own");
        }
        for (String key : PER_ENGINE_PROPERTIES) {
            if (engines > 1 && properties.containsKey(key)) {
                throw new UsageException("--property " + key + ": each of the " + engines + " engines gets its own"
                        + " (a free SIP port, its slice of --rtp-ports)");
            }
        }
    }

    /** Returns the defaults: {@code --mode duo --rate 50 --concurrency 200 --hold 1s --count 1000 --duration 60s}. */
    public static LoadOptions defaults() {
        return parse();
    }

    /** Returns the first and last port of {@link #rtpPorts()}. */
    public int[] rtpPortRange() {
        return rtpPortRange(rtpPorts);
    }

    private static int[] rtpPortRange(String rtpPorts) {
        Matcher m = PORTS.matcher(rtpPorts);
        if (!m.matches()) {
            throw new IllegalStateException(rtpPorts);
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /**
     * Returns each engine's RTP port range, {@code first-last}: {@link #rtpPorts()} itself for one engine; for
     * several, the range from its first even port split into {@link #engines()} equal slices of an even number of
     * ports (an engine takes even ports for RTP, the next odd one for RTCP), what is left over going to the last.
     */
    public List<String> rtpPortSlices() {
        if (engines == 1) {
            return List.of(rtpPorts);
        }
        int[] range = rtpPortRange();
        int first = range[0] + (range[0] & 1);
        int size = sliceSize(range, engines);
        List<String> slices = new ArrayList<>(engines);
        for (int i = 0; i < engines; i++) {
            int from = first + i * size;
            int to = i == engines - 1 ? range[1] : from + size - 1;
            slices.add(from + "-" + to);
        }
        return slices;
    }

    /** Returns the ports of each engine's slice (see {@link #rtpPortSlices()}); the last may hold one or two more. */
    private static int sliceSize(int[] range, int engines) {
        if (engines == 1) {
            return range[1] - range[0] + 1;
        }
        int first = range[0] + (range[0] & 1);
        return ((range[1] - first + 1) / engines) & ~1;
    }

    /**
     * Reads the flags. Each is {@code --name value} or {@code --name=value}; the last of a repeated flag wins, except
     * {@code --property}, which adds.
     *
     * @throws UsageException naming the flag and what is wrong with its value, or the unknown flag
     */
    public static LoadOptions parse(String... args) {
        Map<String, String> flags = new LinkedHashMap<>();
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "': flags look like --rate 50");
            }
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else if (SWITCHES.contains(arg.substring(2))) {
                // a switch alone is "true"; it takes the next word only if that is true or false
                name = arg.substring(2);
                boolean valued = i + 1 < args.length && (args[i + 1].equalsIgnoreCase("true")
                        || args[i + 1].equalsIgnoreCase("false"));
                value = valued ? args[++i] : "true";
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (!FLAGS.containsKey(name)) {
                throw new UsageException("unknown flag --" + name + "; the flags are " + String.join(", ",
                        FLAGS.keySet().stream().map(f -> "--" + f).toList()));
            }
            if (name.equals("property")) {
                int sep = value.indexOf('=');
                if (sep <= 0) {
                    throw new UsageException("--property: '" + value + "' is not key=value");
                }
                properties.put(value.substring(0, sep).trim(), value.substring(sep + 1).trim());
            } else {
                flags.put(name, value);
            }
        }
        String modeText = flags.getOrDefault("mode", "duo").toLowerCase(Locale.ROOT);
        Mode mode = switch (modeText) {
            case "duo" -> Mode.DUO;
            case "call" -> Mode.CALL;
            default -> throw new UsageException("--mode: '" + modeText + "' is not duo or call");
        };
        String viaText = flags.getOrDefault("via", "embedded").toLowerCase(Locale.ROOT);
        Via via = switch (viaText) {
            case "embedded" -> Via.EMBEDDED;
            case "rpc" -> Via.RPC;
            case "cluster" -> Via.CLUSTER;
            default -> throw new UsageException("--via: '" + viaText + "' is not embedded, rpc or cluster");
        };
        int engines = wholeNumber("engines", flags.getOrDefault("engines", "1"), 1);
        double rate = positiveNumber("rate", flags.getOrDefault("rate", "50"));
        int concurrency = wholeNumber("concurrency", flags.getOrDefault("concurrency", "200"), 1);
        Duration hold = duration("hold", flags.getOrDefault("hold", "1s"));
        if (hold.toMillis() < 1) {
            throw new UsageException("--hold must be at least 1ms");
        }
        int count = wholeNumber("count", flags.getOrDefault("count", "1000"), 1);
        Duration duration = duration("duration", flags.getOrDefault("duration", "60s"));
        if (duration.isZero()) {
            throw new UsageException("--duration must be positive");
        }
        Path out = Path.of(flags.getOrDefault("out", "load-report"));
        int steadyPairs = wholeNumber("steady-pairs", flags.getOrDefault("steady-pairs", "200"), 0);
        Duration steadyTime = duration("steady-time", flags.getOrDefault("steady-time", "40s"));
        Duration idle = duration("idle", flags.getOrDefault("idle", "3s"));
        if (idle.toMillis() < 1000) {
            throw new UsageException("--idle must be at least 1s: the baseline is an average of 1 s samples");
        }
        Duration rest = duration("rest", flags.getOrDefault("rest", "40s"));
        if (rest.toMillis() < 2000) {
            throw new UsageException("--rest must be at least 2s: its second half is the CPU baseline");
        }
        int warmup = wholeNumber("warmup", flags.getOrDefault("warmup", "100"), 0);
        int probeEvery = wholeNumber("probe-every", flags.getOrDefault("probe-every", "10"), 0);
        String rtpPorts = flags.getOrDefault("rtp-ports", "30000-32767");
        Matcher ports = PORTS.matcher(rtpPorts);
        if (!ports.matches() || Integer.parseInt(ports.group(1)) < 1024 || Integer.parseInt(ports.group(2)) > 65535
                || Integer.parseInt(ports.group(1)) + 3 > Integer.parseInt(ports.group(2))) {
            throw new UsageException("--rtp-ports: '" + rtpPorts + "' is not a range such as 30000-32767 within"
                    + " 1024-65535 holding at least two RTP/RTCP pairs");
        }
        int sipPort = wholeNumber("sip-port", flags.getOrDefault("sip-port", "0"), 0);
        if (sipPort > 65535) {
            throw new UsageException("--sip-port: " + sipPort + " is not a port (0 picks a free one)");
        }
        Path sipp = Path.of(flags.getOrDefault("sipp", "/usr/bin/sipp"));
        String metricsText = flags.getOrDefault("metrics", "false").toLowerCase(Locale.ROOT);
        if (!metricsText.equals("true") && !metricsText.equals("false")) {
            throw new UsageException("--metrics: '" + metricsText + "' is not true or false (--metrics alone: true)");
        }
        return new LoadOptions(mode, via, engines, rate, concurrency, hold, count, duration, out, steadyPairs,
                steadyTime, idle, rest, warmup, probeEvery, rtpPorts, sipPort, sipp, metricsText.equals("true"),
                properties);
    }

    /** Returns the flags as they would be given to reproduce this run. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of("--mode", mode.name().toLowerCase(Locale.ROOT),
                "--via", via.name().toLowerCase(Locale.ROOT), "--engines", String.valueOf(engines),
                "--metrics", String.valueOf(metrics),
                "--rate", Format.number(rate), "--concurrency", String.valueOf(concurrency),
                "--hold", Format.duration(hold), "--count", String.valueOf(count),
                "--duration", Format.duration(duration), "--steady-pairs", String.valueOf(steadyPairs),
                "--steady-time", Format.duration(steadyTime), "--idle", Format.duration(idle),
                "--rest", Format.duration(rest), "--warmup", String.valueOf(warmup),
                "--probe-every", String.valueOf(probeEvery), "--rtp-ports", rtpPorts, "--out", out.toString()));
        properties.forEach((k, v) -> args.addAll(List.of("--property", k + "=" + v)));
        return args;
    }

    /** The flags and what each means, for {@code --help} and error messages. */
    static final Map<String, String> FLAGS = new LinkedHashMap<>();

    /** The flags that need no value: alone they mean {@code true}. */
    private static final Set<String> SWITCHES = Set.of("metrics");

    static {
        FLAGS.put("mode", "duo | call: duo callbacks (party 1 on SIPp A, party 2 on SIPp B) or outbound calls (duo)");
        FLAGS.put("via", "embedded | rpc | cluster: the engine in-process, through an RpcServer and a RemoteCtiEngine"
                + " over loopback WebSocket, or a ClusterCtiEngine over --engines RpcServers (embedded)");
        FLAGS.put("engines", "with --via cluster: how many engines, 1-" + MAX_ENGINES + ", each with its own node id,"
                + " SIP port and slice of --rtp-ports (1)");
        FLAGS.put("rate", "new duo callbacks (or calls) per second, offered (50)");
        FLAGS.put("concurrency", "the most alive at once in the rate phase (200)");
        FLAGS.put("hold", "how long each conversation lasts once bridged, e.g. 1s, 500ms (1s)");
        FLAGS.put("count", "the most the rate phase starts (1000)");
        FLAGS.put("duration", "the longest the rate phase launches for, e.g. 60s, 2m (60s)");
        FLAGS.put("steady-pairs", "conversations held at once in the steady phase; 0 skips it (200)");
        FLAGS.put("steady-time", "how long the steady phase measures once all are bridged (40s)");
        FLAGS.put("idle", "how long the idle engine is measured first, the baseline (3s)");
        FLAGS.put("rest", "the idle pause between the rate and steady phases; heap and CPU baseline at its end (40s)");
        FLAGS.put("warmup", "duo callbacks (calls) run first at the same rate and hold, left out of the figures (100)");
        FLAGS.put("probe-every", "every n-th party 2 (or call) sends its RTP to the harness's probe; 0: none (10)");
        FLAGS.put("rtp-ports", "the engine's RTP port range (30000-32767)");
        FLAGS.put("sip-port", "the engine's SIP port; 0 picks a free one (0)");
        FLAGS.put("sipp", "the SIPp program (/usr/bin/sipp)");
        FLAGS.put("out", "the folder for report.md, report.svg, samples.csv and logs (load-report)");
        FLAGS.put("metrics", "serve each engine's meters on /metrics over HTTP and scrape them every second;"
                + " alone or true | false (false)");
        FLAGS.put("property", "key=value: a further engine property, e.g. media.workers=2 (repeatable)");
    }

    /** Returns the usage text. */
    public static String usage() {
        StringBuilder text = new StringBuilder("usage: java -jar cti-load.jar [--flag value]...\n\n");
        FLAGS.forEach((name, help) -> text.append(String.format(Locale.ROOT, "  --%-14s %s%n", name, help)));
        return text.toString();
    }

    private static double positiveNumber(String flag, String value) {
        try {
            double number = Double.parseDouble(value);
            if (!(number > 0) || Double.isInfinite(number)) {
                throw new UsageException("--" + flag + ": '" + value + "' must be a positive number");
            }
            return number;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + flag + ": '" + value + "' is not a number");
        }
    }

    private static int wholeNumber(String flag, String value, int min) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number < min) {
                throw new UsageException("--" + flag + ": " + number + " must be at least " + min);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + flag + ": '" + value + "' is not a whole number");
        }
    }

    /** Reads {@code 1s}, {@code 500ms}, {@code 2m}, {@code 1h} or a plain number of seconds. */
    static Duration duration(String flag, String value) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException("--" + flag + ": '" + value + "' is not a duration such as 500ms, 1s, 2m");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            default -> amount * 3_600_000;
        };
        if (millis > Duration.ofDays(1).toMillis()) {
            throw new UsageException("--" + flag + ": '" + value + "' is longer than a day");
        }
        return Duration.ofMillis(Math.round(millis));
    }

    /** A command line that cannot be run; its message says which flag is wrong and why. */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /** Creates one with its message. */
        public UsageException(String message) {
            super(message);
        }
    }
}
