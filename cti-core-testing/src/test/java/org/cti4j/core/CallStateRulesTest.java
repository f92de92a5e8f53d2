package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.core.EngineFixture.WAIT;
import static org.cti4j.core.EngineFixture.awaitState;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.InvalidStateException;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of a call in every state: allowed where the specification allows it, refused at once elsewhere
 * with an {@link InvalidStateException} naming the call, its state and the operation — and the refusal changes
 * nothing.
 */
class CallStateRulesTest {

    /** How to bring a call into a state. */
    enum Setup {
        INBOUND_INITIATED(CallState.INITIATED),
        OUTBOUND_INITIATED(CallState.INITIATED),
        RING(CallState.RING),
        ANSWER(CallState.ANSWER),
        IDLE(CallState.IDLE),
        PLAY(CallState.PLAY),
        RECORD(CallState.RECORD),
        CONFERENCE(CallState.CONFERENCE),
        RELEASED(CallState.RELEASED);

        final CallState state;

        Setup(CallState state) {
            this.state = state;
        }
    }

    /** The operations, as a user calls them; {@code conf} is a live conference's res_id. */
    // The operations are stateless lambdas: the enum holds no mutable state.
    @SuppressWarnings("ImmutableEnumChecker")
    enum Op {
        ANSWER("answer", (c, conf) -> c.answer()),
        REDIRECT("redirect", (c, conf) -> c.redirect("sip:9@127.0.0.1")),
        DROP("drop", (c, conf) -> c.drop()),
        PLAY_START("playStart", (c, conf) -> c.playStart("b.wav")),
        PLAY_STOP("playStop", (c, conf) -> c.playStop()),
        RECORD_START("recordStart", (c, conf) -> c.recordStart("/tmp/b.wav", "")),
        RECORD_STOP("recordStop", (c, conf) -> c.recordStop()),
        CONF_ENTER("confEnter", (c, conf) -> c.confEnter(conf)),
        CONF_EXIT("confExit", (c, conf) -> c.confExit(conf));

        final String apiName;
        final BiConsumer<Call, String> invoke;

        Op(String apiName, BiConsumer<Call, String> invoke) {
            this.apiName = apiName;
            this.invoke = invoke;
        }
    }

    static Set<Op> allowed(Setup setup) {
        return switch (setup) {
            case INBOUND_INITIATED -> EnumSet.of(Op.ANSWER, Op.REDIRECT, Op.DROP);
            case OUTBOUND_INITIATED, RING -> EnumSet.of(Op.DROP);
            case ANSWER -> EnumSet.of(Op.DROP, Op.PLAY_START, Op.RECORD_START, Op.CONF_ENTER);
            case IDLE -> EnumSet.of(Op.DROP, Op.PLAY_START, Op.RECORD_START, Op.CONF_ENTER);
            case PLAY -> EnumSet.of(Op.DROP, Op.PLAY_STOP, Op.RECORD_START);
            case RECORD -> EnumSet.of(Op.DROP, Op.PLAY_START, Op.RECORD_STOP, Op.CONF_ENTER);
            case CONFERENCE -> EnumSet.of(Op.DROP, Op.RECORD_START, Op.CONF_EXIT);
            case RELEASED -> EnumSet.noneOf(Op.class);
        };
    }

    static Stream<Arguments> everyStateAndOperation() {
        List<Arguments> cases = new ArrayList<>();
        for (Setup setup : Setup.values()) {
            for (Op op : Op.values()) {
                cases.add(Arguments.of(setup, op, allowed(setup).contains(op)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} in {0}: allowed={2}")
    @MethodSource("everyStateAndOperation")
    void anOperationIsAllowedExactlyWhereTheStateAllowsIt(Setup setup, Op op, boolean allowed) {
        try (EngineFixture f = new EngineFixture()) {
            Conference conference = f.engine.createConference(ConferenceOptions.builder().maxSeconds(600).build(),
                    new ConferenceListener() { });
            Call call = bring(f, setup, conference.resId());
            assertThat(call.state()).isEqualTo(setup.state);

            if (allowed) {
                op.invoke.accept(call, conference.resId());
                return;
            }
            List<String> farActionsBefore = farEnd(f).actions();
            assertThatThrownBy(() -> op.invoke.accept(call, conference.resId()))
                    .isInstanceOf(InvalidStateException.class)
                    .hasMessageContaining(op.apiName)
                    .hasMessageContaining(call.resId())
                    .hasMessageContaining(setup.state.name())
                    .satisfies(e -> {
                        InvalidStateException ise = (InvalidStateException) e;
                        assertThat(ise.resId()).isEqualTo(call.resId());
                        assertThat(ise.state()).isEqualTo(setup.state.name());
                        assertThat(ise.operation()).isEqualTo(op.apiName);
                    });
            assertThat(call.state()).isEqualTo(setup.state);
            assertThat(farEnd(f).actions()).isEqualTo(farActionsBefore);
            assertThat(f.recorder.violations()).isEmpty();
        }
    }

    private static ScriptedSignaling.Leg farEnd(EngineFixture f) {
        return f.sip.legs().get(0);
    }

    private static Call bring(EngineFixture f, Setup setup, String conferenceId) {
        switch (setup) {
            case INBOUND_INITIATED, ANSWER -> {
                ScriptedSignaling.Inbound caller = f.sip.incoming("sip:5@10.0.0.1", "sip:1@127.0.0.1", true);
                Call call = f.engine.call(f.recorder.next(CallEvent.Incoming.class).resId());
                if (setup == Setup.ANSWER) {
                    call.answer();
                    caller.awaitAction("answer", WAIT);
                    awaitState(call, CallState.ANSWER);
                }
                return call;
            }
            case OUTBOUND_INITIATED -> {
                return f.dial().call();
            }
            case RING -> {
                EngineFixture.Dialled d = f.dial();
                d.far().ring();
                awaitState(d.call(), CallState.RING);
                return d.call();
            }
            default -> {
                Call call = f.connectedCall().call();
                switch (setup) {
                    case PLAY -> call.playStart("a.wav");
                    case RECORD -> call.recordStart("/tmp/a.wav", "");
                    case CONFERENCE -> call.confEnter(conferenceId);
                    case RELEASED -> {
                        call.drop();
                        Await.until("released", WAIT, call::isReleased);
                    }
                    default -> {
                    }
                }
                awaitState(call, setup.state);
                return call;
            }
        }
    }
}
