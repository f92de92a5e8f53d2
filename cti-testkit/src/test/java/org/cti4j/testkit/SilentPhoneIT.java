package org.cti4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DialOptions;
import org.junit.jupiter.api.Test;

/**
 * A call to a {@link SilentPhone} over UDP: the engine sends its INVITE again and again (RFC 3261 Timer A), then,
 * when its transaction gives up (Timer B, 32 s), fails the dial with 408 and releases the call — in real time, since
 * the SIP stack's timers do not follow the engine's clock.
 */
@CtiTest
class SilentPhoneIT {

    @Test
    void aCallToAPhoneThatNeverRespondsFailsWith408WhenTheInviteTimesOut(CtiEngine engine) throws Exception {
        try (SilentPhone nobody = SilentPhone.start("nobody")) {
            Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(nobody.uri())
                    .maxRingSeconds(10).maxAnswerSeconds(60).build(), new CallListener() { });
            nobody.awaitInvite(Duration.ofSeconds(5));

            CallEvent.DialCompleted dialled = call.whenDialCompleted().toCompletableFuture().get(45, TimeUnit.SECONDS);
            assertThat(dialled.error()).as("the dial's error").isNotNull();
            assertThat(dialled.error().status()).isEqualTo(408);
            assertThat(dialled.answerTime()).isNull();
            assertThat(call.whenReleased().toCompletableFuture().get(5, TimeUnit.SECONDS).cause()).isEqualTo(408);
            // 0, 0.5, 1.5, 3.5, 7.5, 15.5 and 31.5 s: the INVITE and its six retransmissions, none answered
            assertThat(nobody.invitesReceived()).isBetween(6, 7);
        }
    }
}
