package org.cti4j.core.internal;

import org.cti4j.api.CallDirection;
import org.cti4j.api.CallState;

/** The operations of a call, each with the rule that says in which states it is allowed. */
enum CallOp {
    ANSWER("answer") {
        @Override
        String refusalWhenLive(CallStatus s, CallDirection direction) {
            if (direction == CallDirection.OUTBOUND) {
                return "only inbound calls can be answered";
            }
            return s.base() == CallState.INITIATED ? null : "it is answered already";
        }
    },
    REDIRECT("redirect") {
        @Override
        String refusalWhenLive(CallStatus s, CallDirection direction) {
            if (direction == CallDirection.OUTBOUND) {
                return "only inbound calls can be redirected";
            }
            return s.base() == CallState.INITIATED ? null : "it is answered already";
        }
    },
    DROP("drop") {
        @Override
        String refusalWhenLive(CallStatus s, CallDirection direction) {
            return null;
        }
    },
    PLAY_START("playStart") {
        @Override
        String refusalWhenLive(CallStatus s, CallDirection direction) {
            if (!s.answered()) {
                return "it is not answered";
            }
            if (s.playing()) {
                return "a playback runs already; stop it first";
            }
            return s.conferenceId() != null ? "it is in conference " + s.conferenceId() : null;
        }
    },
    PLAY_STOP("playStop") {
        @Override
        String refusalWhenLive(CallStatus s, CallDirection direction) {
            return s.playing() ? null : "nothing is playing";
        }
    },
    RECORD_START("recordStart") {
        @Override
        String refusalWhenLive(CallStatus s, CallDirection direction) {
            if (!s.answered()) {
                return "it is not answered";
            }
            return s.recording() ? "a recording runs already; stop it first" : null;
        }
    },
    RECORD_STOP("recordStop") {
        @Override
        String refusalWhenLive(CallStatus s, CallDirection direction) {
            return s.recording() ? null : "nothing is recording";
        }
    },
    CONF_ENTER("confEnter") {
        @Override
        String refusalWhenLive(CallStatus s, CallDirection direction) {
            if (!s.answered()) {
                return "it is not answered";
            }
            if (s.conferenceId() != null) {
                return "it is in conference " + s.conferenceId() + " already";
            }
            return s.playing() ? "a playback runs; stop it first" : null;
        }
    },
    CONF_EXIT("confExit") {
        @Override
        String refusalWhenLive(CallStatus s, CallDirection direction) {
            return s.conferenceId() != null ? null : "it is in no conference";
        }
    };

    private final String apiName;

    CallOp(String apiName) {
        this.apiName = apiName;
    }

    String apiName() {
        return apiName;
    }

    /** Returns why the state forbids the operation, or {@code null} if it allows it. */
    final String refusal(CallStatus s, CallDirection direction) {
        return s.base() == CallState.RELEASED ? "released" : refusalWhenLive(s, direction);
    }

    abstract String refusalWhenLive(CallStatus s, CallDirection direction);
}
