package org.cti4j.api;

/**
 * Receives a {@link CdrRecord} for every call leg that ends, exactly once per leg; and, if it wants to, hears of
 * each leg's start and answer before that, so that it can keep a journal of the legs under way (a CDR writer that
 * must account for legs cut off by a crash of the process, say).
 *
 * <p>For each leg, in this order: {@link #onLegStarted} exactly once; {@link #onLegAnswered} once if the leg was
 * answered (exactly when its record's {@code answerTime} is not {@code null}, and with the same time and
 * {@code user_data}), never otherwise; {@link #onCdr} exactly once, last. A leg that the engine refuses at once (an
 * inbound call nobody listens for, a dial with no media) is started and ended all the same. The calls of one
 * resource (a call's leg, or both legs of a duo callback) come in the order they happened, one at a time; those of
 * different resources may interleave and run at the same time.
 *
 * <p>Every method is called on the engine's event executor, one record at a time for a given resource; {@code onCdr}
 * after the resource's {@code onReleased}. They must be quick and must not block for long (hand slow writes to a
 * queue of your own); an exception one throws is logged and the engine goes on. The start and answer methods do
 * nothing by default.
 */
@FunctionalInterface
public interface CdrListener {

    /**
     * Called when a call leg begins: when an outbound leg is about to be dialled, when an inbound call arrives (before
     * it is offered to the application). Does nothing by default.
     *
     * @param started the leg's identity and what its CDR will say of its start
     */
    default void onLegStarted(LegStarted started) {
    }

    /**
     * Called when a call leg is answered: an outbound leg got its 200 OK, an inbound call was answered. Not called
     * for a leg that never was. Does nothing by default.
     *
     * @param answered the leg's identity, its answer time and its {@code user_data} from now on
     */
    default void onLegAnswered(LegAnswered answered) {
    }

    /** Called with the record of a call leg that ended. */
    void onCdr(CdrRecord record);
}
