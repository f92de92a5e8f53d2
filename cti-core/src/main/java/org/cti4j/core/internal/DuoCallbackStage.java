package org.cti4j.core.internal;

import java.util.EnumSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.cti4j.api.DuoCallbackState;

/** A duo callback's states, each with the states it may move to, and the {@link DuoCallbackState} the API shows. */
enum DuoCallbackStage implements StateTable<DuoCallbackStage> {
    INITIATED(DuoCallbackState.INITIATED),
    ANSWERED(DuoCallbackState.ANSWERED),
    CONNECTED(DuoCallbackState.CONNECTED),
    RELEASED(DuoCallbackState.RELEASED);

    private final DuoCallbackState shown;
    private static final Map<DuoCallbackStage, Set<DuoCallbackStage>> NEXT = new EnumMap<>(DuoCallbackStage.class);

    static {
        NEXT.put(INITIATED, EnumSet.of(ANSWERED, RELEASED));
        NEXT.put(ANSWERED, EnumSet.of(CONNECTED, RELEASED));
        NEXT.put(CONNECTED, EnumSet.of(RELEASED));
        NEXT.put(RELEASED, EnumSet.noneOf(DuoCallbackStage.class));
    }

    DuoCallbackStage(DuoCallbackState shown) {
        this.shown = shown;
    }

    DuoCallbackState shown() {
        return shown;
    }

    /** Returns whether the duo callback may still be cancelled: party 2 is not connected yet. */
    boolean cancellable() {
        return this == INITIATED || this == ANSWERED;
    }

    @Override
    public Set<DuoCallbackStage> next() {
        return NEXT.get(this);
    }
}
