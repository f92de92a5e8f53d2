package org.cti4j.core.internal;

import java.util.Optional;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CallState;

/** The operations of a call, each with the rule that says in which states it is allowed. */
enum CallOp {
    ANSWER("answer") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            if (direction == CallDirection.OUTBOUND) {
                return refuse("only inbound calls can be answered");
            }
            return s.base() == CallState.INITIATED ? ALLOWED : refuse("it is answered already");
        }
    },
    REDIRECT("redirect") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            if (direction == CallDirection.OUTBOUND) {
                return refuse("only inbound calls can be redirected");
            }
            return s.base() == CallState.INITIATED ? ALLOWED : refuse("it is answered already");
        }
    },
    REJECT("reject") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            if (direction == CallDirection.OUTBOUND) {
                return refuse("only inbound calls can be rejected; drop an outbound one");
            }
            return s.base() == CallState.INITIATED ? ALLOWED : refuse("it is answered already; drop it");
        }
    },
    DROP("drop") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            return ALLOWED;
        }
    },
    PLAY_START("playStart") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            if (!s.answered()) {
                return refuse("it is not answered");
            }
            if (s.playing()) {
                return refuse("a playback runs already; stop it first");
            }
            if (s.connectedTo() != null) {
                return refuse("it is connected to " + s.connectedTo());
            }
            return s.conferenceId() != null ? refuse("it is in conference " + s.conferenceId()) : ALLOWED;
        }
    },
    PLAY_STOP("playStop") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            return s.playing() ? ALLOWED : refuse("nothing is playing");
        }
    },
    RECORD_START("recordStart") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            if (!s.answered()) {
                return refuse("it is not answered");
            }
            return s.recording() ? refuse("a recording runs already; stop it first") : ALLOWED;
        }
    },
    RECORD_STOP("recordStop") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            return s.recording() ? ALLOWED : refuse("nothing is recording");
        }
    },
    RECEIVE_DTMF_START("receiveDtmfStart") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            if (!s.answered()) {
                return refuse("it is not answered");
            }
            return s.collecting() ? refuse("a digit collection runs already; stop it first") : ALLOWED;
        }
    },
    /** {@code receive_dtmf_start} with a prompt: also refused where a playback would be. */
    RECEIVE_DTMF_START_WITH_PROMPT("receiveDtmfStart") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            Optional<String> collecting = RECEIVE_DTMF_START.refusalWhenLive(s, direction);
            return collecting.isPresent() ? collecting : PLAY_START.refusalWhenLive(s, direction);
        }
    },
    SEND_DTMF_START("sendDtmfStart") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            if (!s.answered()) {
                return refuse("it is not answered");
            }
            return s.sending() ? refuse("keys are being sent already; wait for on_send_dtmf_completed") : ALLOWED;
        }
    },
    SEND_DTMF_STOP("sendDtmfStop") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            return s.sending() ? ALLOWED : refuse("no keys are being sent");
        }
    },
    RECEIVE_DTMF_STOP("receiveDtmfStop") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            return s.collecting() ? ALLOWED : refuse("no digit collection runs");
        }
    },
    CONF_ENTER("confEnter") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            if (!s.answered()) {
                return refuse("it is not answered");
            }
            if (s.conferenceId() != null) {
                return refuse("it is in conference " + s.conferenceId() + " already");
            }
            if (s.connectedTo() != null) {
                return refuse("it is connected to " + s.connectedTo());
            }
            return s.playing() ? refuse("a playback runs; stop it first") : ALLOWED;
        }
    },
    CONF_EXIT("confExit") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            return s.conferenceId() != null ? ALLOWED : refuse("it is in no conference");
        }
    },
    /** Checked on each of the two calls of {@code connect_start}, each on its own strand. */
    CONNECT_START("connectStart") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            if (!s.answered()) {
                return refuse("it is not answered");
            }
            if (s.connectedTo() != null) {
                return refuse("it is connected (or being connected) to " + s.connectedTo() + " already");
            }
            if (s.conferenceId() != null) {
                return refuse("it is in conference " + s.conferenceId());
            }
            return s.playing() ? refuse("a playback runs; stop it first") : ALLOWED;
        }
    },
    CONNECT_STOP("connectStop") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            return s.connectedTo() != null ? ALLOWED : refuse("it is not connected to another call");
        }
    },
    CONF_VOICE_MODE("confVoiceMode") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            return CONF_EXIT.refusalWhenLive(s, direction);
        }
    },
    HOLD("hold") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            return holdChangeRefusal(s).or(() -> s.held() ? refuse("its far end is on hold already") : ALLOWED);
        }
    },
    UNHOLD("unhold") {
        @Override
        Optional<String> refusalWhenLive(CallStatus s, CallDirection direction) {
            return holdChangeRefusal(s).or(() -> s.held() ? ALLOWED : refuse("its far end is not on hold"));
        }
    };

    /** What refuses both {@code hold} and {@code unhold}: a call not connected, or a change under way. */
    private static Optional<String> holdChangeRefusal(CallStatus s) {
        if (!s.connected()) {
            return refuse(s.base() == CallState.ANSWER ? "its 200 OK is not acknowledged yet" : "it is not answered");
        }
        return s.holdChanging() ? refuse("a hold or unhold is under way; wait for on_hold_completed") : ALLOWED;
    }

    private final String apiName;

    CallOp(String apiName) {
        this.apiName = apiName;
    }

    String apiName() {
        return apiName;
    }

    private static final Optional<String> ALLOWED = Optional.empty();

    private static Optional<String> refuse(String why) {
        return Optional.of(why);
    }

    /** Returns why the state forbids the operation; empty if it allows it. */
    final Optional<String> refusal(CallStatus s, CallDirection direction) {
        return s.base() == CallState.RELEASED ? refuse("released") : refusalWhenLive(s, direction);
    }

    abstract Optional<String> refusalWhenLive(CallStatus s, CallDirection direction);
}
