package org.cti4j.examples;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.ConfVoice;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DialOptions;
import org.cti4j.api.VoiceMode;

/**
 * A supervisor listens to a live agent call, then coaches the agent: the engine dials a customer and an agent and
 * puts them into a conference; then it dials the supervisor, who enters listening only (hears both, heard by
 * nobody), and after a while coaches the agent (heard by the agent only: the customer never hears the supervisor).
 *
 * <pre>
 *   java ... org.cti4j.examples.SupervisorExample LISTEN_SECONDS COACH_SECONDS sip:customer@host sip:agent@host \
 *       sip:supervisor@host
 * </pre>
 */
public final class SupervisorExample {

    private SupervisorExample() {
    }

    /**
     * When each phase began, as the application saw it.
     *
     * @param connected the customer and the agent entered the conference
     * @param listening the supervisor entered it, listening only
     * @param coaching the supervisor began coaching the agent
     * @param ended the conference was released
     */
    public record Timeline(Instant connected, Instant listening, Instant coaching, Instant ended) {
    }

    /**
     * Runs the three calls and returns once every one is hung up.
     *
     * @param engine the engine to use
     * @param customer the customer's URI
     * @param agent the agent's URI
     * @param supervisor the supervisor's URI
     * @param listenSeconds how long the supervisor listens only
     * @param coachSeconds how long the supervisor then coaches the agent
     * @return when each phase began
     * @throws IllegalStateException if a call is not answered
     */
    public static Timeline run(CtiEngine engine, String customer, String agent, String supervisor,
            int listenSeconds, int coachSeconds) throws Exception {
        CallListener quiet = new CallListener() {
            @Override
            public void onReleased(Call call, CallEvent.Released event) {
                say(call.toUri() + " hung up");
            }
        };
        Call customerCall = answered(engine.dial(dial(customer, listenSeconds + coachSeconds), quiet));
        Call agentCall = answered(engine.dial(dial(agent, listenSeconds + coachSeconds), quiet));
        Conference conference = engine.createConference(ConferenceOptions.builder()
                .maxSeconds(listenSeconds + coachSeconds + 60).userData("supervised").build(), new ConferenceListener() { });
        customerCall.confEnter(conference.resId());
        agentCall.confEnter(conference.resId());
        Instant connected = Instant.now();
        say("the customer and the agent talk");

        Call supervisorCall = answered(engine.dial(dial(supervisor, listenSeconds + coachSeconds), quiet));
        supervisorCall.confEnter(conference.resId(), VoiceMode.LISTEN_ONLY);
        Instant listening = Instant.now();
        say("the supervisor listens");
        TimeUnit.SECONDS.sleep(listenSeconds);

        supervisorCall.confVoiceMode(conference.resId(), ConfVoice.coaching(agentCall.resId()));
        Instant coaching = Instant.now();
        say("the supervisor coaches the agent");
        TimeUnit.SECONDS.sleep(coachSeconds);

        conference.release();
        Instant ended = Instant.now();
        conference.whenReleased().toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (Call call : List.of(customerCall, agentCall, supervisorCall)) {
            if (!call.isReleased()) {
                try {
                    call.drop();
                } catch (IllegalStateException releasedMeanwhile) {
                    // It hung up on its own.
                }
            }
            call.whenReleased().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        return new Timeline(connected, listening, coaching, ended);
    }

    private static DialOptions dial(String uri, int seconds) {
        return DialOptions.builder().fromUri("sip:supervision@127.0.0.1").toUri(uri).maxAnswerSeconds(seconds + 120)
                .build();
    }

    /** Waits until the call is answered. */
    private static Call answered(Call call) throws Exception {
        CallEvent.DialCompleted dialled = call.whenDialCompleted().toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (dialled.error() != null) {
            throw new IllegalStateException(call.toUri() + " did not answer: " + dialled.error());
        }
        say(call.toUri() + " answered");
        return call;
    }

    private static void say(String line) {
        System.out.println(Instant.now() + "  " + line);
    }

    /**
     * Runs the example.
     *
     * @param args {@code LISTEN_SECONDS COACH_SECONDS CUSTOMER AGENT SUPERVISOR}
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: SupervisorExample LISTEN_SECONDS COACH_SECONDS sip:customer@host "
                    + "sip:agent@host sip:supervisor@host");
            System.exit(2);
        }
        try (CtiEngine engine = CtiEngine.builder().nodeId("0.0.4").property("sip.port", "0")
                .property("media.rtp-ports", "24000-24999").build()) {
            run(engine, args[2], args[3], args[4], Integer.parseInt(args[0]), Integer.parseInt(args[1]));
        }
    }
}
