package org.cti4j.api;

/**
 * Hears the events of {@link Call}s. Every method does nothing by default: implement those you need.
 *
 * <p>The listener of an outbound call is the one given to {@link CtiEngine#dial}; inbound calls go to the listener
 * set with {@link CtiEngine#setIncomingCallListener}, which hears {@link #onIncoming} and then every later event of
 * that call.
 *
 * <p>Methods are called on the engine's event executor, one at a time and in order for a given call, never after
 * {@link #onReleased}. They must be quick and must not block: a listener that blocks delays the events of other
 * calls sharing the executor. It may call any method of the call or the engine. An exception it throws is logged
 * and the engine goes on.
 */
public interface CallListener {

    /**
     * {@code on_incoming}: a new inbound call. Answer it ({@link Call#answer}), reject it ({@link Call#drop}) or
     * redirect it ({@link Call#redirect}); a call left alone is refused with 480 after the engine's inbound answer
     * timeout.
     */
    default void onIncoming(Call call, CallEvent.Incoming event) {
    }

    /** {@code on_ringing}: the far end of an outbound call rang (its first 180 or 183); once per call. */
    default void onRinging(Call call, CallEvent.Ringing event) {
    }

    /** {@code on_dial_completed}: outbound dialling ended; {@link CallEvent.DialCompleted#error()} says how. */
    default void onDialCompleted(Call call, CallEvent.DialCompleted event) {
    }

    /** {@code on_answered}: the far end of an outbound call answered. Comes after {@link #onDialCompleted}. */
    default void onAnswered(Call call, CallEvent.Answered event) {
    }

    /** {@code on_play_completed}: a playback started with {@link Call#playStart} ended. */
    default void onPlayCompleted(Call call, CallEvent.PlayCompleted event) {
    }

    /** {@code on_record_completed}: a recording started with {@link Call#recordStart} ended. */
    default void onRecordCompleted(Call call, CallEvent.RecordCompleted event) {
    }

    /** {@code on_receive_dtmf_completed}: a digit collection started with {@link Call#receiveDtmfStart} ended. */
    default void onReceiveDtmfCompleted(Call call, CallEvent.ReceiveDtmfCompleted event) {
    }

    /** {@code on_send_dtmf_completed}: keys sent with {@link Call#sendDtmfStart} are sent, or could not be. */
    default void onSendDtmfCompleted(Call call, CallEvent.SendDtmfCompleted event) {
    }

    /**
     * {@code on_connect_completed}: a connection this call started with {@link Call#connectStart} ended. The second
     * call's listener hears nothing of it (its state goes back to {@link CallState#IDLE}).
     */
    default void onConnectCompleted(Call call, CallEvent.ConnectCompleted event) {
    }

    /** {@code on_hold_completed}: the far end took a {@link Call#hold()} or {@link Call#unhold()}, or did not. */
    default void onHoldCompleted(Call call, CallEvent.HoldCompleted event) {
    }

    /** The far end pressed a DTMF key (cti4j's addition to the specification). */
    default void onDtmf(Call call, CallEvent.Dtmf event) {
    }

    /** {@code on_released}: the call ended. The last event of the call, called exactly once. */
    default void onReleased(Call call, CallEvent.Released event) {
    }
}
