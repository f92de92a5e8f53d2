package org.cti4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.RingPlayMode;

/**
 * The demo: a duo callback (click-to-call) between two phones, over real SIP and RTP on this machine, printing every
 * event and CDR as it happens and leaving the conversation's recording as a WAV file to play.
 *
 * <p>The two phones are {@link Softphone}s built into the demo: small engines of their own that ring, answer and
 * say a tone (the agent 600 Hz, the customer 1400 Hz). The engine under demonstration calls the agent; when the
 * agent answers it calls the customer while the agent hears a chime; when the customer answers the two are bridged
 * and recorded; after five seconds ({@code max_connect_seconds}) the engine ends the conversation.
 *
 * <p>Run it from the repository root: {@code ./mvnw -q -pl cti-examples -am package -DskipTests exec:java}. The
 * recording is written to {@code demo-recording.wav} in the current folder, or to the path given as argument.
 */
public final class Demo {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private Demo() {
    }

    /**
     * Runs the demo and returns when the duo callback has ended.
     *
     * @param args optionally, where to write the recording
     */
    public static void main(String[] args) throws Exception {
        Path recording = Path.of(args.length > 0 ? args[0] : "demo-recording.wav").toAbsolutePath();
        Path sounds = Files.createTempDirectory("cti4j-demo");
        try {
            run(recording, sounds);
        } finally {
            // The sounds were made for this run: nothing of them stays behind.
            try (var files = Files.list(sounds)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.delete(file);
                }
            }
            Files.delete(sounds);
        }
    }

    private static void run(Path recording, Path sounds) throws Exception {
        Path chime = Sounds.chime(sounds.resolve("please-wait.wav"));

        try (Softphone agent = new Softphone("agent", Sounds.tone(sounds.resolve("agent.wav"), 600, 2),
                    Duration.ofSeconds(1), "21000-21099");
                Softphone customer = new Softphone("customer", Sounds.tone(sounds.resolve("customer.wav"), 1400, 2),
                    Duration.ofSeconds(2), "22000-22099");
                // The engine, as an application builds it: cti-core, cti-sip and cti-media are found on the class path.
                CtiEngine engine = CtiEngine.builder()
                        .nodeId("0.0.1")
                        .property("sip.port", "0")
                        .property("media.rtp-ports", "20000-20999")
                        .cdrListener(Demo::printCdr)
                        .build()) {
            say("engine " + engine.nodeId() + " started; phones: agent " + agent.uri() + ", customer "
                    + customer.uri());

            DuoCallbackOptions options = DuoCallbackOptions.builder()
                    .from1Uri("sip:400@127.0.0.1").to1Uri(agent.uri())
                    .from2Uri("sip:400@127.0.0.1").to2Uri(customer.uri())
                    .maxConnectSeconds(5).maxRingSeconds(20)
                    .ringPlayFile(chime.toString()).ringPlayMode(RingPlayMode.UNTIL_ANSWER)
                    .recordFile(recording.toString())
                    .userData1("order-1234/agent").userData2("order-1234/customer")
                    .build();
            DuoCallback duo = engine.startDuoCallback(options, new DuoCallbackListener() {
                @Override
                public void onStateChanged(DuoCallback d, DuoCallbackEvent.StateChanged event) {
                    say("onStateChanged  " + event.from() + " -> " + event.to());
                }

                @Override
                public void onReleased(DuoCallback d, DuoCallbackEvent.Released event) {
                    say("onReleased      error=" + event.error() + " answer=" + time(event.answerTime())
                            + " connect=" + time(event.connectTime()) + " end=" + time(event.endTime())
                            + " user_data=" + event.userData());
                }
            });
            say("construct       res_id=" + duo.resId());
            duo.whenReleased().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        long bytes = Files.size(recording);
        say("engine stopped; the conversation is in " + recording + " (" + (bytes - 44) / 16000
                + " s, WAV 8 kHz 16-bit: play it with any audio player)");
    }

    private static void printCdr(CdrRecord cdr) {
        say("CDR             leg " + cdr.leg() + " " + cdr.callDir().wireName() + " " + cdr.fromUri() + " -> "
                + cdr.toUri() + " answer=" + time(cdr.answerTime()) + " end=" + time(cdr.endTime())
                + " dropped_by=" + cdr.droppedBy().wireName() + " cause=" + cdr.cause()
                + " user_data=" + cdr.userData());
    }

    private static String time(Instant instant) {
        return instant == null ? "null" : TIME.format(instant);
    }

    private static void say(String line) {
        System.out.println(TIME.format(Instant.now()) + "  " + line);
    }
}
