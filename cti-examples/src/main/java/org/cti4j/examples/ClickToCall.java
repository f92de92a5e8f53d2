package org.cti4j.examples;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;

/**
 * Click-to-call against real phones or a gateway: one duo callback, configured by command-line arguments, with
 * every event and CDR printed. Exits 0 when the conversation took place, 1 when it failed, 2 on bad arguments.
 *
 * <pre>
 *   java ... org.cti4j.examples.ClickToCall --to1 sip:1001@192.0.2.10 --to2 13898877785@192.0.2.20
 *       [--from1 sip:400@192.0.2.1] [--from2 sip:400@192.0.2.1] [--max-connect 1800] [--max-ring 50]
 *       [--ring-file please-wait.wav] [--ring-mode 0|1|2] [--record call.wav] [--record-mode 0|1|2]
 *       [--record-format 1-6] [--sip-host 0.0.0.0] [--sip-port 5060] [--transport udp|tcp]
 *       [--proxy sip:gw@192.0.2.20] [--username u --password p] [--rtp-ports 20000-29999]
 *       [--remote ws://host:8088/rpc]
 * </pre>
 * With {@code --remote}, the duo callback runs on the engine of a running cti4j server (token in the environment
 * variable {@code CTI4J_TOKEN}); the SIP and RTP options are then the server's business, and the CDRs are written
 * by the server. {@code --ring-file} and {@code --record} are then names in the server's sounds and recordings
 * directories ({@code --sounds-dir}, {@code --recordings-dir} of the server), not paths.
 */
public final class ClickToCall {

    private ClickToCall() {
    }

    /**
     * Runs one click-to-call and returns the exit code.
     *
     * @param args the command line
     * @param out where to print
     */
    public static int run(String[] args, PrintStream out) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                out.println("bad argument '" + args[i] + "': expected --name value (see the class javadoc)");
                return 2;
            }
            a.put(args[i].substring(2), args[++i]);
        }
        if (!a.containsKey("to1") || !a.containsKey("to2")) {
            out.println("--to1 and --to2 are required");
            return 2;
        }
        CtiEngine.Builder engineBuilder = CtiEngine.builder().nodeId("0.0.4")
                .property("sip.host", a.getOrDefault("sip-host", "127.0.0.1"))
                .property("sip.port", a.getOrDefault("sip-port", "0"))
                .property("sip.transport", a.getOrDefault("transport", "udp"))
                .property("media.address", a.getOrDefault("sip-host", "127.0.0.1"))
                .property("media.rtp-ports", a.getOrDefault("rtp-ports", "25000-25999"))
                .cdrListener(cdr -> print(out, cdr));
        for (String key : new String[] {"proxy", "username", "password"}) {
            if (a.containsKey(key)) {
                engineBuilder.property(key.equals("proxy") ? "sip.outbound-proxy" : "sip." + key, a.get(key));
            }
        }
        DuoCallbackOptions built;
        try {
            built = options(a);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return 2;
        }
        try (CtiEngine engine = a.containsKey("remote") ? Remote.engine(a.get("remote")) : engineBuilder.build()) {
            DuoCallback duo = engine.startDuoCallback(built, new DuoCallbackListener() {
                @Override
                public void onStateChanged(DuoCallback d, DuoCallbackEvent.StateChanged event) {
                    out.println(Instant.now() + "  " + d.resId() + "  " + event.from() + " -> " + event.to());
                }
            });
            DuoCallbackEvent.Released end = duo.whenReleased().toCompletableFuture()
                    .get(built.maxRingSeconds() * 2L + built.maxConnectSeconds() + 60, TimeUnit.SECONDS);
            out.println(Instant.now() + "  " + duo.resId() + "  released: error=" + end.error());
            return end.error() == null ? 0 : 1;
        }
    }

    /** Builds the duo callback's options from the arguments; a bad value throws, naming it. */
    private static DuoCallbackOptions options(Map<String, String> a) {
        DuoCallbackOptions.Builder options = DuoCallbackOptions.builder()
                .from1Uri(a.getOrDefault("from1", "sip:cti4j@127.0.0.1")).to1Uri(a.get("to1"))
                .from2Uri(a.getOrDefault("from2", "sip:cti4j@127.0.0.1")).to2Uri(a.get("to2"))
                .maxConnectSeconds(number(a, "max-connect", "1800"))
                .maxRingSeconds(number(a, "max-ring", "50"))
                .ringPlayFile(a.get("ring-file"))
                .ringPlayMode(number(a, "ring-mode", "0"))
                .recordFile(a.get("record"))
                .recordMode(number(a, "record-mode", "0"));
        if (a.containsKey("record-format")) {
            options.recordFormat(number(a, "record-format", null));
        }
        return options.build();
    }

    private static int number(Map<String, String> a, String key, String fallback) {
        String value = a.getOrDefault(key, fallback);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " '" + value + "' is not a number");
        }
    }

    private static void print(PrintStream out, CdrRecord cdr) {
        out.println(Instant.now() + "  CDR leg " + cdr.leg() + " " + cdr.toUri() + " answer=" + cdr.answerTime()
                + " end=" + cdr.endTime() + " dropped_by=" + cdr.droppedBy().wireName() + " cause=" + cdr.cause()
                + " user_data=" + cdr.userData());
    }

    /**
     * Runs the example; see the class javadoc for the arguments.
     *
     * @param args the command line
     */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }
}
