package org.cti4j.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.sip.SipConfig;
import org.junit.jupiter.api.Test;

/**
 * The legs' guardrails: each state table allows only its transitions, a refused move names the leg and the
 * transition, and a leg method called off the leg's executor throws naming the method and the thread.
 */
class LegChecksTest {

    private static final MediaDescription MEDIA = new MediaDescription("127.0.0.1", 40_000,
            List.of(PayloadType.PCMU), MediaDirection.SENDRECV);

    @Test
    void theOutboundTableAllowsOnlyItsTransitions() {
        assertThat(UacLeg.State.CALLING.canMoveTo(UacLeg.State.PROCEEDING)).isTrue();
        assertThat(UacLeg.State.CALLING.canMoveTo(UacLeg.State.CANCEL_PENDING)).isTrue();
        assertThat(UacLeg.State.CANCEL_PENDING.canMoveTo(UacLeg.State.CANCELLING)).isTrue();
        assertThat(UacLeg.State.ENDED_EARLY.canMoveTo(UacLeg.State.ENDED)).isTrue();
        assertThat(UacLeg.State.CANCELLING.canMoveTo(UacLeg.State.CONFIRMED)).as("a cancelled call never connects")
                .isFalse();
        assertThat(UacLeg.State.CONFIRMED.canMoveTo(UacLeg.State.PROCEEDING)).isFalse();
        for (UacLeg.State state : UacLeg.State.values()) {
            assertThat(UacLeg.State.ENDED.canMoveTo(state)).as("ENDED to %s", state).isFalse();
        }
    }

    @Test
    void theInboundTableAllowsOnlyItsTransitions() {
        assertThat(UasLeg.State.OFFERED.canMoveTo(UasLeg.State.ANSWERED)).isTrue();
        assertThat(UasLeg.State.ANSWERED.canMoveTo(UasLeg.State.CONFIRMED)).isTrue();
        assertThat(UasLeg.State.OFFERED.canMoveTo(UasLeg.State.CONFIRMED)).as("no ACK before an answer").isFalse();
        assertThat(UasLeg.State.CONFIRMED.canMoveTo(UasLeg.State.ANSWERED)).isFalse();
        for (UasLeg.State state : UasLeg.State.values()) {
            assertThat(UasLeg.State.ENDED.canMoveTo(state)).as("ENDED to %s", state).isFalse();
        }
    }

    @Test
    void aLegRefusesToBeTouchedOffItsExecutorAndRefusesMovesItsTableForbids() throws Exception {
        SipAgent agent = new SipAgent(SipConfig.builder().port(0).closeDrain(Duration.ofMillis(100)).build());
        agent.start(leg -> {
            throw new AssertionError("no call comes in");
        });
        try {
            // Nobody answers: the leg stays CALLING for as long as this test needs it.
            UacLeg leg = (UacLeg) agent.dial(new SipUri("a", "127.0.0.1", agent.port()),
                    new SipUri("nobody", "127.0.0.1", 9), MEDIA, new LegListener() {
                    });

            assertThatThrownBy(() -> leg.onTimeout(null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("onTimeout")
                    .hasMessageContaining(Thread.currentThread().getName())
                    .hasMessageContaining("not on the leg's executor");

            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            leg.executor().execute(() -> {
                try {
                    leg.transition(UacLeg.State.ENDED, UacLeg.State.CONFIRMED);
                    refused.complete(null);
                } catch (RuntimeException e) {
                    refused.complete(e);
                }
            });
            assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("leg " + leg.callId() + ": ENDED \u2192 CONFIRMED not allowed");
            leg.cancel();
        } finally {
            agent.close();
        }
    }
}
