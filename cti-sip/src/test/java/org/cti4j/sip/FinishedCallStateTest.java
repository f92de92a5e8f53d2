package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.DialOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.Test;

/**
 * A finished call's SIP state is released when the call ends, not seconds later: JAIN-SIP's own 8 s linger after a
 * dialog terminates is switched off (issue #7: lingering state drove GC pauses). The transactions RFC 3261 keeps to
 * absorb retransmissions over UDP stay as long as their timers (Timer K, 5 s; Timer D and J, 32 s): that they go then
 * is {@code ThousandCallsIT}'s check.
 */
class FinishedCallStateTest {

    private static final int ROUNDS = 10;

    @Test
    // Engine b only has to run: it answers the calls a dials.
    @SuppressWarnings("try")
    void answeredRejectedAndCancelledCallsLeaveNoDialogInEitherStack() throws Exception {
        Events aEvents = new Events();
        BlockingQueue<Call> bIncoming = new LinkedBlockingQueue<>();
        BlockingQueue<CallEvent.Released> bReleased = new LinkedBlockingQueue<>();
        SipSignalingProvider aSip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        SipSignalingProvider bSip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        try (CoreEngine a = engine(aSip, new CallListener() { });
                CoreEngine b = engine(bSip, new CallListener() {
                    @Override
                    public void onIncoming(Call call, CallEvent.Incoming event) {
                        switch (event.toUri().user()) {
                            case "answer" -> call.answer();
                            case "busy" -> call.drop(486);
                            default -> bIncoming.add(call); // rings until the caller cancels
                        }
                    }

                    @Override
                    public void onReleased(Call call, CallEvent.Released event) {
                        bReleased.add(event);
                    }
                })) {
            for (int i = 0; i < ROUNDS; i++) {
                // Answered, then hung up by the caller: INVITE, 200, ACK, BYE, 200.
                Call answered = a.dial(options("answer", bSip), aEvents);
                aEvents.next(CallEvent.Answered.class);
                answered.drop();
                aEvents.next(CallEvent.Released.class);
                takeReleased(bReleased);
                // Rejected by the callee: INVITE, 486, ACK.
                a.dial(options("busy", bSip), aEvents);
                aEvents.next(CallEvent.Released.class);
                takeReleased(bReleased);
                // Cancelled while ringing: INVITE, 180, CANCEL, 200, 487, ACK.
                Call ringing = a.dial(options("ring", bSip), aEvents);
                assertThat(bIncoming.poll(20, TimeUnit.SECONDS)).as("the ringing call reached B").isNotNull();
                ringing.drop();
                aEvents.next(CallEvent.Released.class);
                takeReleased(bReleased);
            }
            Await.until("no SIP leg left", Duration.ofSeconds(5), () -> aSip.liveLegs() == 0 && bSip.liveLegs() == 0);
            // JAIN-SIP's default keeps each of the 30 terminated dialogs 8 s more; 2 s leaves room for a slow machine.
            // A 200 OK retransmitted after its call ended can make the stack create a dialog again (rare, under
            // load): the provider's audit ends those within two audit periods.
            Await.until("at most 2 dialogs left in either stack within 2 s", Duration.ofSeconds(2),
                    () -> aSip.stackDialogs() <= 2 && bSip.stackDialogs() <= 2);
            Await.until("no dialog left in either stack after the audit", Duration.ofSeconds(15),
                    () -> aSip.stackDialogs() == 0 && bSip.stackDialogs() == 0);
        }
    }

    @Test
    // Engine b only has to run: it answers the call a dials.
    @SuppressWarnings("try")
    void anAnsweredByeKeepsItsTransactionForTimerKButNotTheDialog() throws Exception {
        Events aEvents = new Events();
        SipSignalingProvider aSip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        SipSignalingProvider bSip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        try (CoreEngine a = engine(aSip, new CallListener() { });
                CoreEngine b = engine(bSip, new CallListener() {
                    @Override
                    public void onIncoming(Call call, CallEvent.Incoming event) {
                        call.answer();
                    }
                })) {
            Call answered = a.dial(options("answer", bSip), aEvents);
            aEvents.next(CallEvent.Answered.class);
            answered.drop();
            aEvents.next(CallEvent.Released.class);
            // The dialog leaves the stack's table once the BYE is answered; nothing may hold it after that.
            Await.until("the BYE answered and no transaction holding its ended dialog", Duration.ofSeconds(3),
                    () -> aSip.stackDialogs() == 0 && aSip.transactionsHoldingEndedDialogs() == 0);
            // Timer K keeps the BYE's transaction 5 s over UDP: the check above ran while it was there.
            assertThat(aSip.stackClientTransactions("BYE")).as("the BYE's transaction, kept for Timer K").isOne();
        }
    }

    private static CoreEngine engine(SipSignalingProvider sip, CallListener incoming) {
        return CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).incomingCallListener(incoming).build();
    }

    private static DialOptions options(String user, SipSignalingProvider callee) {
        return DialOptions.builder().fromUri("sip:a@127.0.0.1").toUri("sip:" + user + "@127.0.0.1:" + callee.port())
                .maxAnswerSeconds(60).build();
    }

    private static void takeReleased(BlockingQueue<CallEvent.Released> released) throws InterruptedException {
        assertThat(released.poll(20, TimeUnit.SECONDS)).as("B released its call").isNotNull();
    }
}
