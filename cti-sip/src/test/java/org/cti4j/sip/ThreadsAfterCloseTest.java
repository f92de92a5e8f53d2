package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.InboundLeg;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.OutboundLeg;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.Test;

/**
 * After {@link SipSignalingProvider#close()} no thread that the provider or its JAIN-SIP stack started is left
 * alive: not the stack's timer, event scanner, UDP or TCP readers, nor the provider's own pool and timers. A program
 * whose last provider is closed exits by itself.
 *
 * <p>Threads are compared by identity with those alive before the providers started: threads of earlier tests that
 * are still ending are not counted, and a new thread of the JVM's common pool (used by nothing here) is left out.
 */
class ThreadsAfterCloseTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final MediaDescription MEDIA = new MediaDescription("127.0.0.1", 40_000,
            List.of(PayloadType.PCMU), MediaDirection.SENDRECV);

    @Test
    void noThreadStartedByTwoProvidersSurvivesTheirClose() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        SipSignalingProvider caller = new SipSignalingProvider(SipConfig.builder().port(0).build());
        SipSignalingProvider callee = new SipSignalingProvider(SipConfig.builder().port(0).build());
        try {
            caller.start(leg -> {
                throw new AssertionError("the caller gets no call");
            });
            callee.start(ThreadsAfterCloseTest::answer);
            SipUri to = new SipUri("b", "127.0.0.1", callee.port());
            SipUri tcpTo = to.withParameters(java.util.Map.of("transport", "tcp"));
            for (SipUri target : List.of(to, tcpTo, to)) {
                CountDownLatch answered = new CountDownLatch(1);
                OutboundLeg leg = caller.dial(new SipUri("a", "127.0.0.1", caller.port()), target, MEDIA,
                        new LegListener() {
                            @Override
                            public void onAnswered(MediaDescription remote) {
                                answered.countDown();
                            }
                        });
                assertThat(answered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("call to %s answered", target)
                        .isTrue();
                leg.hangup(200);
                Await.until("the callee's leg ended", WAIT, () -> callee.liveLegs() == 0);
            }
        } finally {
            caller.close();
            callee.close();
        }
        try {
            Await.until("every thread started by the providers ended", WAIT, () -> startedSince(before).isEmpty());
        } catch (AssertionError e) {
            assertThat(startedSince(before)).as("threads still alive %s after close", WAIT).isEmpty();
        }
    }

    private static LegListener answer(InboundLeg leg) {
        leg.answer(MEDIA);
        return new LegListener() {
        };
    }

    /** Returns the live threads that were not alive in {@code before}, by name, for the failure message. */
    private static List<String> startedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && !before.contains(thread))
                .filter(thread -> !thread.getName().startsWith("ForkJoinPool.commonPool"))
                .map(thread -> thread.getName() + (thread.isDaemon() ? " (daemon)" : ""))
                .sorted().collect(Collectors.toList());
    }
}
