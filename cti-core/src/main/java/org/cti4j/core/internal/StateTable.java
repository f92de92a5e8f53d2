package org.cti4j.core.internal;

import java.util.Set;

/**
 * The one way a state machine of the engine changes state: its states are an enum whose constants own the states they
 * may move to ({@link LegState}, {@link DuoCallbackStage}, {@link ConferenceStage}), and every move goes through
 * {@link #moveTo}, so that a move the table does not allow fails with a message naming the machine and the move.
 *
 * @param <S> the enum of states
 */
interface StateTable<S extends Enum<S> & StateTable<S>> {

    /** Returns the states this one may move to. */
    Set<S> next();

    /** Returns whether this state may move to {@code target}. */
    default boolean canMoveTo(S target) {
        return next().contains(target);
    }

    /**
     * Returns {@code target} if this state may move to it.
     *
     * @param machine names the machine ("1.2.3-sys.call-4: leg 0", "duo callback 1.2.3-ext.duo_callback-7")
     * @throws IllegalStateException naming the move if the table does not allow it (a bug in the engine)
     */
    default S moveTo(S target, String machine) {
        if (!canMoveTo(target)) {
            throw new IllegalStateException(machine + " cannot move from " + this + " to " + target);
        }
        return target;
    }
}
