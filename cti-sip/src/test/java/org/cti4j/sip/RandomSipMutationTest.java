package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seeded random mutations of {@link SipMutator}, a few hundred over UDP and TCP, against an engine with scripted
 * media: nothing crashes, every answer has a well-formed status line, and a normal call completes afterwards. The
 * full run, thousands of cases with real media and good calls running, is {@code MutationUnderCallsIT} in
 * cti-examples. {@code -Dmutation.seed=N} reruns another seed.
 */
class RandomSipMutationTest {

    private static final long SEED = Long.getLong("mutation.seed", 11);
    private static final int CASES_PER_TRANSPORT = 300;

    private UncaughtThrowables uncaught;
    private SipSignalingProvider sip;
    private CoreEngine engine;

    @BeforeEach
    void start() {
        uncaught = new UncaughtThrowables();
        // A call whose 200 OK could not reach its sender (a case that gave up waiting) ends this soon.
        sip = new SipSignalingProvider(SipConfig.builder().port(0).ackTimeout(Duration.ofSeconds(5)).build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).build();
        engine.setIncomingCallListener(answeringOnly(SipMutator.SDP_USER));
    }

    @AfterEach
    void stop() {
        engine.close();
        uncaught.close();
    }

    /** Answers the calls to {@code user} (and "bob", the user of a normal call); refuses every other. */
    static CallListener answeringOnly(String user) {
        return new CallListener() {
            @Override
            public void onIncoming(Call call, CallEvent.Incoming event) {
                String to = call.toUri().user();
                if (to.equals(user) || to.equals("bob")) {
                    call.answer();
                } else {
                    call.drop();
                }
            }
        };
    }

    @Test
    void theSameSeedMakesTheSameCases() {
        SipMutator a = new SipMutator(SEED);
        SipMutator b = new SipMutator(SEED);
        Set<String> kinds = new HashSet<>();
        for (int n = 0; n < 2_000; n++) {
            SipMutator.Case first = a.generate(n, n % 2 == 0 ? "UDP" : "TCP", 5000, 5060);
            SipMutator.Case again = b.generate(n, n % 2 == 0 ? "UDP" : "TCP", 5000, 5060);
            assertThat(again.bytes()).as("case %d", n).isEqualTo(first.bytes());
            assertThat(again.mutations()).as("case %d", n).isEqualTo(first.mutations());
            first.mutations().forEach(m -> kinds.add(m.replaceAll("[ '].*", "")));
        }
        assertThat(new SipMutator(SEED + 1).generate(7, "UDP", 5000, 5060).bytes())
                .isNotEqualTo(a.generate(7, "UDP", 5000, 5060).bytes());
        assertThat(kinds).as("kinds of mutation made").hasSizeGreaterThan(20);
    }

    @Test
    void randomlyMutatedRequestsCrashNothingAndANormalCallCompletesAfterwards() throws Exception {
        SipMutationTally tally = new SipMutationTally();
        try (SipMutationRun run = new SipMutationRun(new SipMutator(SEED), sip.port(), Duration.ofSeconds(2), 64)) {
            run.run("UDP", 0, CASES_PER_TRANSPORT, tally, 100, this::answersOptions);
            run.run("TCP", CASES_PER_TRANSPORT, CASES_PER_TRANSPORT, tally, 100, this::answersOptions);
        }
        System.out.printf("random SIP mutation run (seed %d): %s; %d handling failures, %d uncaught%n", SEED,
                tally.summary(), sip.handlingFailures(), uncaught.seen().size());
        assertThat(tally.cases).isEqualTo(2 * CASES_PER_TRANSPORT);
        assertThat(tally.failedProbes).as("probes the engine did not answer (seed %d)", SEED).isEmpty();
        assertThat(tally.badStatusLines).as("malformed status lines (seed %d)", SEED).isEmpty();
        assertThat(sip.handlingFailures()).as("throwables caught while handling SIP (seed %d)", SEED).isZero();
        assertThat(uncaught.seen()).as("threads that died of an uncaught throwable (seed %d)", SEED).isEmpty();
        for (String transport : new String[] {"UDP", "TCP"}) {
            try (RawPeer peer = RawPeer.open(transport, sip.port())) {
                RawCalls.completeNormalCall(peer, sip.port());
            }
        }
        try {
            Await.until("no leg or call left", Duration.ofSeconds(20),
                    () -> sip.liveLegs() == 0 && engine.resources().isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (seed " + SEED + "); legs: " + sip.legDetail() + "; calls: "
                    + engine.resources().stream().map(r -> r instanceof Call c ? c.resId() + " " + c.fromUri()
                            + " -> " + c.toUri() + " " + c.state() : r.toString()).toList(), e);
        }
    }

    private boolean answersOptions() {
        return SipMutationRun.answersOptions(sip.port(), Duration.ofSeconds(5));
    }
}
