package org.cti4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DialOptions;
import org.cti4j.core.CoreEngine;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** {@link CtiTest} as a user meets it: an engine and phones per test, real calls between them. */
@CtiTest
class CtiTestTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aPhoneCallsTheEngineAndHearsWhatItPlays(CtiEngine engine, TestPhone caller) {
        Path greeting = caller.tone(440, Duration.ofSeconds(1));
        engine.setIncomingCallListener(new CallListener() {
            @Override
            public void onIncoming(Call call, CallEvent.Incoming event) {
                call.answer();
                call.playStart(greeting.toString()).thenRun(call::drop);
            }
        });
        TestCall call = caller.call("greeting");
        call.awaitAnswered(WAIT);
        call.awaitTone(440, Duration.ofMillis(800), WAIT);
        call.awaitReleased(WAIT);
    }

    @Test
    void theEngineCallsAPhoneThatAnswersAfterRinging(CoreEngine engine, TestPhone agent, TestPhone other) {
        assertThat(agent.name()).as("named after the parameter (-parameters) or numbered").isIn("agent", "phone1");
        assertThat(other.uri()).isNotEqualTo(agent.uri());
        agent.answerAfter(Duration.ofMillis(300));
        Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(agent.uri())
                .maxAnswerSeconds(60).build(), new CallListener() { });
        TestCall received = agent.awaitCall(WAIT);
        received.awaitAnswered(WAIT);
        assertThat(call.whenDialCompleted()).succeedsWithin(WAIT);
        received.playTone(1000, Duration.ofMillis(600));
        call.drop();
        received.awaitReleased(WAIT);
    }

    @Test
    void aTestThatLeavesAResourceLiveFails() {
        TestExecutionSummary summary = run(Leaky.class);
        assertThat(summary.getTestsFailedCount()).isEqualTo(1);
        Throwable failure = summary.getFailures().get(0).getException();
        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageContaining("the test leaked: 1 live resource(s)")
                .hasMessageContaining("sys.conf");
    }

    @Test
    void aTestThatLeavesAThreadRunningFailsNamingIt() {
        try {
            TestExecutionSummary summary = run(ThreadLeaky.class);
            assertThat(summary.getTestsFailedCount()).isEqualTo(1);
            assertThat(summary.getFailures().get(0).getException()).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("thread(s) started during the test still alive")
                    .hasMessageContaining("leaky-worker")
                    .hasMessageNotContaining("live resource");
        } finally {
            ThreadLeaky.RELEASE.countDown();
        }
    }

    @Test
    void aTestThatReleasesWhatItMadePasses() {
        TestExecutionSummary summary = run(Tidy.class);
        assertThat(summary.getFailures()).extracting(failure -> String.valueOf(failure.getException())).isEmpty();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(List.of(selectClass(testClass)))
                .build(), listener);
        return listener.getSummary();
    }

    /** Makes a conference and leaves it: the extension must fail it. Run by the test above only. */
    @CtiTest
    static class Leaky {
        @Test
        void leavesAConference(CtiEngine engine) {
            engine.createConference(ConferenceOptions.builder().maxSeconds(600).build(), new ConferenceListener() { });
        }
    }

    /** Starts a thread and leaves it running: the extension must fail it. Run by the test above only. */
    @CtiTest
    static class ThreadLeaky {
        static final java.util.concurrent.CountDownLatch RELEASE = new java.util.concurrent.CountDownLatch(1);

        @Test
        void leavesAThreadRunning(CtiEngine engine) {
            Thread worker = new Thread(() -> {
                try {
                    RELEASE.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "leaky-worker");
            worker.setDaemon(true);
            worker.start();
        }
    }

    /** Makes a conference and releases it. Run by the test above only. */
    @CtiTest
    static class Tidy {
        @Test
        void releasesItsConference(CtiEngine engine) {
            engine.createConference(ConferenceOptions.builder().maxSeconds(600).build(), new ConferenceListener() { }).release();
        }
    }
}
