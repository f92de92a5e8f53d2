package org.cti4j.examples;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;

/**
 * The demo: a duo callback (click-to-call) from start to end, printing every event and CDR as it happens.
 *
 * <p>For now the two phones are simulated by the engine's scripted providers — they ring after a moment and answer,
 * and party 2 hangs up after a short talk — because real SIP ({@code cti-sip}) and RTP ({@code cti-media}) are not
 * written yet. The engine, its state machines, timers, events and CDRs are the real ones. When they land, this demo
 * will place real calls to two built-in softphones and leave a recording to play.
 *
 * <p>Run it from the repository root: {@code ./mvnw -q -pl cti-examples -am package -DskipTests exec:java}
 */
public final class Demo {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private Demo() {
    }

    /**
     * Runs the demo and returns when the duo callback has ended.
     *
     * @param args ignored
     */
    public static void main(String[] args) throws Exception {
        ScriptedSignaling phones = new ScriptedSignaling();
        try (CoreEngine engine = CoreEngine.builder()
                .nodeId("0.0.1")
                .signaling(phones)
                .media(new ScriptedMedia())
                .cdrListener(Demo::printCdr)
                .build()) {
            say("engine " + engine.nodeId() + " started (phones simulated: real SIP and RTP arrive with cti-sip"
                    + " and cti-media)");

            DuoCallbackOptions options = DuoCallbackOptions.builder()
                    .from1Uri("sip:400@127.0.0.1").to1Uri("sip:1001@127.0.0.1:5062")
                    .from2Uri("sip:400@127.0.0.1").to2Uri("sip:1002@127.0.0.1:5064")
                    .maxConnectSeconds(60).maxRingSeconds(20)
                    .ringPlayFile("ring.wav").ringPlayMode(2)
                    .recordFile("demo-recording.wav").recordMode(0)
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

            CompletableFuture<Void> farEnds = playThePhones(phones);
            duo.whenReleased().toCompletableFuture().get(30, TimeUnit.SECONDS);
            farEnds.get(30, TimeUnit.SECONDS);
        }
        say("engine stopped");
    }

    /** What the two simulated phones do: ring, answer after a moment, talk a little; then party 2 hangs up. */
    private static CompletableFuture<Void> playThePhones(ScriptedSignaling phones) {
        Duration wait = Duration.ofSeconds(10);
        ScriptedSignaling.Outbound[] party = new ScriptedSignaling.Outbound[3];
        return CompletableFuture.runAsync(() -> {
            party[1] = phones.nextDialled(wait);
            say("phone 1001      INVITE from " + party[1].from() + " -> ringing");
            party[1].ring();
        }).thenRunAsync(() -> {
            say("phone 1001      answers");
            party[1].answer();
            party[2] = phones.nextDialled(wait);
            say("phone 1002      INVITE from " + party[2].from() + " -> ringing (party 1 hears ring.wav)");
            party[2].ring();
        }, after(800)).thenRunAsync(() -> {
            say("phone 1002      answers");
            party[2].answer();
        }, after(1200)).thenRunAsync(() -> {
            say("phone 1002      hangs up");
            party[2].remoteHangup(200);
        }, after(1500));
    }

    private static Executor after(long millis) {
        return CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS);
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
