package org.cti4j.core.internal;

import org.cti4j.api.CallState;

/**
 * An immutable picture of a call, published by its strand for every other thread: the lifecycle state and the
 * actions running.
 *
 * @param base {@code INITIATED}, {@code RING}, {@code ANSWER}, {@code IDLE} (connected) or {@code RELEASED}
 * @param playing whether a playback runs
 * @param recording whether a recording runs
 * @param conferenceId the conference the call is in, or {@code null}
 * @param userData the call's user data
 * @param collecting whether a digit collection runs
 * @param sending whether DTMF keys are being sent
 * @param connectedTo the {@code res_id} of the call it is connected to ({@code connect_start}), or {@code null}
 * @param held whether the far end is on hold
 * @param holdChanging whether a hold or unhold awaits the far end's answer
 */
record CallStatus(CallState base, boolean playing, boolean recording, String conferenceId, String userData,
        boolean collecting, boolean sending, String connectedTo, boolean held, boolean holdChanging) {

    /** The status of a call just created: {@code INITIATED}, nothing running. */
    static CallStatus initial(String userData) {
        return new CallStatus(CallState.INITIATED, false, false, null, userData, false, false, null, false, false);
    }

    /** The state the API shows: {@code IDLE} refined by the action that shapes what the call hears. */
    CallState state() {
        if (base != CallState.IDLE) {
            return base;
        }
        if (conferenceId != null) {
            return CallState.CONFERENCE;
        }
        if (connectedTo != null) {
            return CallState.CONNECT;
        }
        if (playing) {
            return CallState.PLAY;
        }
        return recording ? CallState.RECORD : CallState.IDLE;
    }

    boolean connected() {
        return base == CallState.IDLE;
    }

    /** Answered: connected, or an inbound call whose 200 OK is sent and not yet acknowledged. */
    boolean answered() {
        return base == CallState.IDLE || base == CallState.ANSWER;
    }
}
