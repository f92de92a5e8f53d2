package org.cti4j.core.internal;

import java.util.EnumSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.cti4j.api.ConferenceState;

/** A conference's states, each with the states it may move to, and the {@link ConferenceState} the API shows. */
enum ConferenceStage implements StateTable<ConferenceStage> {
    ACTIVE(ConferenceState.ACTIVE),
    RELEASED(ConferenceState.RELEASED);

    private final ConferenceState shown;
    private static final Map<ConferenceStage, Set<ConferenceStage>> NEXT = new EnumMap<>(ConferenceStage.class);

    static {
        NEXT.put(ACTIVE, EnumSet.of(RELEASED));
        NEXT.put(RELEASED, EnumSet.noneOf(ConferenceStage.class));
    }

    ConferenceStage(ConferenceState shown) {
        this.shown = shown;
    }

    ConferenceState shown() {
        return shown;
    }

    @Override
    public Set<ConferenceStage> next() {
        return NEXT.get(this);
    }
}
