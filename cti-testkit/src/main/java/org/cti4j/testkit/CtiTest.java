package org.cti4j.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test of a JUnit 5 class against a fresh engine and fresh phones, all real (SIP and RTP over 127.0.0.1):
 * a test method declares what it needs as parameters — the {@link org.cti4j.api.CtiEngine} (or
 * {@link org.cti4j.core.CoreEngine}), any number of {@link TestPhone}s (named after the parameters when the class
 * is compiled with {@code -parameters}, else {@code phone1}, {@code phone2}, ...; each one's {@code call("user")}
 * calls the engine), and with {@link #manualClock()} the {@link org.cti4j.core.testing.ManualScheduler}.
 *
 * <pre>{@code
 * @CtiTest
 * class GreetingTest {
 *     @Test
 *     void callersHearTheGreeting(CtiEngine engine, TestPhone caller) {
 *         engine.setIncomingCallListener(new CallListener() {
 *             public void onIncoming(Call call, CallEvent.Incoming event) {
 *                 call.answer();
 *                 call.playStart("greeting.wav");
 *             }
 *         });
 *         TestCall call = caller.call("greeting");
 *         call.awaitAnswered(Duration.ofSeconds(5));
 *         call.awaitTone(440, Duration.ofMillis(500), Duration.ofSeconds(5));
 *     }
 * }
 * }</pre>
 *
 * <p>After each test the phones hang up and close, then the engine; the test fails, naming what leaked, if a few
 * seconds after the phones hung up the engine still had a live resource or an open media session (RTP ports not
 * back in its pool), if its SIP port is still taken after it closed, or if a thread started during the test is still
 * alive a few seconds after everything closed (an executor or client the test did not close; the JVM's common pool
 * is not counted, and the thread check is left out when JUnit runs tests in parallel).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(CtiTestExtension.class)
public @interface CtiTest {

    /**
     * Whether the engine's timers ({@code max_answer_seconds}, {@code max_connect_seconds}, receive-key timeouts,
     * ...) run on a {@link org.cti4j.core.testing.ManualScheduler} that the test moves with {@code advance(...)}, so
     * that a test of a 60-second timeout takes milliseconds. SIP and RTP keep real time, so a timer the engine
     * starts on a SIP message or a media event (the ring timer on the 180, a key timeout when a prompt ends) is only
     * there once the engine has taken that in: wait for the engine's state (e.g. the call in {@code RING}) before
     * moving the clock. Default {@code false}.
     */
    boolean manualClock() default false;
}
