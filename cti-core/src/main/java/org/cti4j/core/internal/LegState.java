package org.cti4j.core.internal;

import java.util.EnumSet;
import java.util.EnumMap;
import java.util.Map;
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
    private static final Map<LegState, Set<LegState>> NEXT = new EnumMap<>(LegState.class);

    LegState(CallState shown) {
        this.shown = shown;
    }

    /** The state a call on this leg shows ({@code IDLE} when connected, before what runs refines it). */
    CallState shown() {
        return shown;
    }

    static {
        NEXT.put(INITIATED, EnumSet.of(RING, ANSWER, CONNECTED, ENDED));
        NEXT.put(RING, EnumSet.of(CONNECTED, ENDED));
        NEXT.put(ANSWER, EnumSet.of(CONNECTED, ENDED));
        NEXT.put(CONNECTED, EnumSet.of(ENDED));
        NEXT.put(ENDED, EnumSet.noneOf(LegState.class));
    }

    @Override
    public Set<LegState> next() {
        return NEXT.get(this);
    }
}
