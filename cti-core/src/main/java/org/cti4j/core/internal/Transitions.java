package org.cti4j.core.internal;

/**
 * The one way a state machine of the engine changes state: each machine's states are an enum whose constants own the
 * states they may move to (see {@link LegState}, {@link DuoCallbackStage}, {@link ConferenceStage}), and every move
 * is checked here, so that a move the table does not allow fails with a message naming the machine and the move.
 */
final class Transitions {

    private Transitions() {
    }

    /**
     * Checks a move.
     *
     * @param machine names the machine ("1.2.3-sys.call-4: leg 0", "1.2.3-ext.duo_callback-7")
     * @param allowed whether the current state's table allows the move
     * @return {@code to}
     * @throws IllegalStateException naming the move if it is not allowed (a bug in the engine)
     */
    static <S extends Enum<S>> S check(String machine, S from, S to, boolean allowed) {
        if (!allowed) {
            throw new IllegalStateException(machine + " cannot move from " + from + " to " + to);
        }
        return to;
    }
}
