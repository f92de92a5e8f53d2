package org.cti4j.core.internal;

import java.util.EnumSet;
import java.util.Set;
import org.cti4j.api.CallState;

/** A {@link Leg}'s states, each with the states it may move to, and the {@link CallState} a call shows. */
enum LegState implements StateTable<LegState> {
    INITIATED(CallState.INITIATED),
    RING(CallState.RING),
    ANSWER(CallState.ANSWER),
    CONNECTED(CallState.IDLE),
    ENDED(CallState.RELEASED);

    private final CallState shown;
    private Set<LegState> next;

    LegState(CallState shown) {
        this.shown = shown;
    }

    /** The state a call on this leg shows ({@code IDLE} when connected, before what runs refines it). */
    CallState shown() {
        return shown;
    }

    static {
        INITIATED.next = EnumSet.of(RING, ANSWER, CONNECTED, ENDED);
        RING.next = EnumSet.of(CONNECTED, ENDED);
        ANSWER.next = EnumSet.of(CONNECTED, ENDED);
        CONNECTED.next = EnumSet.of(ENDED);
        ENDED.next = EnumSet.noneOf(LegState.class);
    }

    @Override
    public Set<LegState> next() {
        return next;
    }
}
