package org.cti4j.examples;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DialOptions;

/**
 * A conference of several calls: the engine dials every number given, puts each call into one conference as it is
 * answered, records the conference, and after the given time ends it and hangs up.
 *
 * <pre>
 *   java ... org.cti4j.examples.ConferenceExample SECONDS RECORDING.wav sip:a@host sip:b@host [sip:c@host ...]
 * </pre>
 */
public final class ConferenceExample {

    private ConferenceExample() {
    }

    /**
     * Runs one conference and returns when it has ended and its calls are hung up.
     *
     * @param engine the engine to use
     * @param seconds how long the conference lasts ({@code max_seconds})
     * @param recording where to record it
     * @param numbers whom to call
     * @return how it ended
     */
    public static ConferenceEvent.Released run(CtiEngine engine, int seconds, Path recording, List<String> numbers)
            throws Exception {
        List<Call> calls = new ArrayList<>();
        Conference conference = engine.createConference(ConferenceOptions.builder().maxSeconds(seconds)
                .recordFile(recording.toString()).userData("example").build(), new ConferenceListener() {
                    @Override
                    public void onMemberEntered(Conference c, ConferenceEvent.MemberEntered event) {
                        say(event.callResId() + " entered; members: " + c.members().size());
                    }

                    @Override
                    public void onReleased(Conference c, ConferenceEvent.Released event) {
                        say("conference ended: " + event.reason());
                    }
                });
        CallListener joinWhenAnswered = new CallListener() {
            @Override
            public void onAnswered(Call call, CallEvent.Answered event) {
                if (!conference.isReleased()) {
                    call.confEnter(conference.resId());
                }
            }

            @Override
            public void onDialCompleted(Call call, CallEvent.DialCompleted event) {
                if (event.error() != null) {
                    say(call.toUri() + " did not answer: " + event.error());
                }
            }
        };
        for (String number : numbers) {
            calls.add(engine.dial(DialOptions.builder().fromUri("sip:conference@127.0.0.1").toUri(number)
                    .maxAnswerSeconds(seconds + 60).build(), joinWhenAnswered));
        }
        ConferenceEvent.Released end = conference.whenReleased().toCompletableFuture()
                .get(seconds + 60L, TimeUnit.SECONDS);
        // The conference has ended; its members are still connected: hang them up.
        for (Call call : calls) {
            if (!call.isReleased()) {
                try {
                    call.drop();
                } catch (IllegalStateException releasedMeanwhile) {
                    // It hung up on its own.
                }
            }
        }
        for (Call call : calls) {
            call.whenReleased().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        return end;
    }

    private static void say(String line) {
        System.out.println(Instant.now() + "  " + line);
    }

    /**
     * Runs the example.
     *
     * @param args {@code SECONDS RECORDING.wav NUMBER...}
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ConferenceExample SECONDS RECORDING.wav sip:a@host sip:b@host ...");
            System.exit(2);
        }
        try (CtiEngine engine = CtiEngine.builder().nodeId("0.0.3").property("sip.port", "0")
                .property("media.rtp-ports", "24000-24999").build()) {
            run(engine, Integer.parseInt(args[0]), Path.of(args[1]), List.of(args).subList(2, args.length));
        }
    }
}
