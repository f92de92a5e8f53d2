package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.DialOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.Test;

/**
 * A thousand calls in a row between two engines over UDP leave nothing behind: no call, no SIP leg, no dialog or
 * transaction in either stack (once the transactions' RFC 3261 linger timers ran out), no extra thread.
 */
class ThousandCallsIT {

    private static final int CALLS = 1_000;

    @Test
    void aThousandCallsInARowLeaveNoDialogTransactionOrThreadBehind() {
        Events aEvents = new Events();
        Events bEvents = new Events();
        SipSignalingProvider aSip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        SipSignalingProvider bSip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        try (CoreEngine a = CoreEngine.builder().signaling(aSip).media(new ScriptedMedia()).build();
                CoreEngine b = CoreEngine.builder().signaling(bSip).media(new ScriptedMedia())
                        .incomingCallListener(new org.cti4j.api.CallListener() {
                            @Override
                            public void onIncoming(Call call, CallEvent.Incoming event) {
                                call.answer();
                            }

                            @Override
                            public void onReleased(Call call, CallEvent.Released event) {
                                bEvents.onReleased(call, event);
                            }
                        }).build()) {
            DialOptions options = DialOptions.builder().fromUri("sip:1@127.0.0.1")
                    .toUri("sip:2@127.0.0.1:" + bSip.port()).maxAnswerSeconds(60).build();
            int baselineThreads = -1;
            for (int i = 0; i < CALLS; i++) {
                Call call = a.dial(options, aEvents);
                aEvents.next(CallEvent.Answered.class);
                call.drop();
                aEvents.next(CallEvent.Released.class);
                bEvents.next(CallEvent.Released.class);
                if (i == 9) {
                    baselineThreads = ManagementFactory.getThreadMXBean().getThreadCount();
                }
            }
            assertThat(a.resources()).isEmpty();
            Await.until("every call gone in B", Duration.ofSeconds(10), () -> b.resources().isEmpty());
            Await.until("no SIP leg left", Duration.ofSeconds(10), () -> aSip.liveLegs() == 0
                    && bSip.liveLegs() == 0);
            try {
                Await.until("every dialog and transaction gone from both stacks (after Timer J, 32 s)",
                        Duration.ofSeconds(90), () -> aSip.stackObjects() == 0 && bSip.stackObjects() == 0);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": A holds " + aSip.stackDetail() + ", B holds "
                        + bSip.stackDetail(), e);
            }
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            assertThat(threads).as("threads after %d calls (after 10: %d)", CALLS, baselineThreads)
                    .isLessThanOrEqualTo(baselineThreads + 2);
        }
    }
}
