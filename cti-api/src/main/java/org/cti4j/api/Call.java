package org.cti4j.api;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A telephone call ({@code sys.call}): one leg between the engine and a far end, inbound or outbound.
 *
 * <p>Get one from {@link CtiEngine#dial} (outbound) or from {@link CallListener#onIncoming} (inbound). Every method
 * may be called from any thread. An operation is checked against the call's live {@linkplain #state() state} and
 * taken in hand before it returns: it throws {@link InvalidArgumentException} or {@link InvalidStateException}
 * (naming the call, its state and the operation) without changing anything, or it is accepted — and operations
 * called one after another see each other's effect ({@code answer()} then {@code playStart(...)} works). What an
 * accepted operation starts completes asynchronously and is reported to the call's {@link CallListener} (and, for
 * playback and recording, the returned stage).
 *
 * <p>What each state allows:
 * <table>
 *   <caption>operations by state</caption>
 *   <tr><th>operation</th><th>allowed in</th></tr>
 *   <tr><td>{@link #answer}, {@link #redirect}</td><td>inbound, {@code INITIATED}</td></tr>
 *   <tr><td>{@link #drop}</td><td>every state but {@code RELEASED}</td></tr>
 *   <tr><td>{@link #playStart}</td><td>answered, nothing playing, not in a conference, not connected</td></tr>
 *   <tr><td>{@link #playStop}</td><td>a playback running</td></tr>
 *   <tr><td>{@link #recordStart}</td><td>answered, nothing recording</td></tr>
 *   <tr><td>{@link #recordStop}</td><td>a recording running</td></tr>
 *   <tr><td>{@link #confEnter}</td><td>answered, nothing playing, not in a conference, not connected</td></tr>
 *   <tr><td>{@link #confExit}</td><td>in that conference</td></tr>
 *   <tr><td>{@link #connectStart}</td><td>both calls answered, nothing playing, in no conference, not connected
 *   </td></tr>
 *   <tr><td>{@link #connectStop}</td><td>{@code CONNECT} (either of the two calls)</td></tr>
 *   <tr><td>{@link #confVoiceMode}</td><td>in that conference</td></tr>
 * </table>
 * "Answered" means connected ({@code IDLE} and its actions) or, for an inbound call, {@code ANSWER}: an application
 * may {@code answer()} and {@code playStart(...)} at once, without waiting for the far end's ACK.
 */
public interface Call extends Resource {

    /** The module name of calls: {@value}. */
    String MODULE = "sys.call";

    /** Returns whether the call is inbound or outbound. */
    CallDirection direction();

    /** Returns the caller. */
    SipUri fromUri();

    /** Returns the callee. */
    SipUri toUri();

    /** Returns the application's {@code user_data} (empty until set by {@code dial} or {@link #answer(String)}). */
    String userData();

    /** Returns the call's current state. */
    CallState state();

    /** Returns whether a playback is running. */
    boolean isPlaying();

    /** Returns whether a recording is running. */
    boolean isRecording();

    /** Returns the {@code res_id} of the conference the call is in, if any. */
    Optional<String> conferenceId();

    /**
     * {@code answer}: answers an inbound call, with an empty {@code user_data}.
     *
     * @throws InvalidStateException if the call is outbound, already answered (or being answered), or released
     */
    default void answer() {
        answer("");
    }

    /**
     * {@code answer}: answers an inbound call. Allowed once, after {@link CallListener#onIncoming}. The call moves to
     * {@link CallState#ANSWER}, then to {@link CallState#IDLE} when the far end confirms.
     *
     * @param userData the application's data for the call's CDR
     * @throws InvalidStateException if the call is outbound, already answered (or being answered), or released
     */
    void answer(String userData);

    /**
     * {@code drop}: hangs up with the default cause: 603 (Decline) for an inbound call not yet answered, 487 for an
     * outbound call still dialling (its INVITE is cancelled), 200 (normal clearing) for a connected call.
     *
     * @throws InvalidStateException if the call is released
     */
    void drop();

    /**
     * {@code drop}: hangs up; the call is released. An inbound call not yet answered is rejected with {@code cause}
     * as its final response (400 to 699); an outbound call still dialling is cancelled (its {@code cause} is then
     * 487, as the INVITE's final response will be); a connected call gets a BYE carrying {@code cause} in a
     * {@code Reason} header (200 to 699).
     *
     * @param cause a SIP status code
     * @throws InvalidArgumentException if {@code cause} is not a SIP status code fit for the call's state
     * @throws InvalidStateException if the call is released
     */
    void drop(int cause);

    /**
     * {@code reject}: refuses an inbound call that is not answered yet, with {@code cause} as its final response; the
     * call is released. The specification's name for what {@link #drop(int)} does to such a call, refused in any
     * other state so that a late reject cannot hang up a call that was answered meanwhile.
     *
     * @param cause a SIP status code, 400 to 699 (486 Busy Here, 603 Decline, ...)
     * @throws InvalidArgumentException if {@code cause} is not 400 to 699
     * @throws InvalidStateException if the call is outbound, answered or released
     */
    void reject(int cause);

    /**
     * {@code redirect}: redirects an inbound call not yet answered, with a 302 whose Contact is {@code redirectUri};
     * the call is released with cause 302.
     *
     * @throws InvalidStateException if the call is outbound, answered, or released
     */
    void redirect(SipUri redirectUri);

    /**
     * {@code redirect} with the target as text.
     *
     * @throws InvalidArgumentException if {@code redirectUri} is not a SIP URI
     * @throws InvalidStateException if the call is outbound, answered, or released
     * @see #redirect(SipUri)
     */
    default void redirect(String redirectUri) {
        redirect(SipUri.parse("redirect_uri", redirectUri));
    }

    /**
     * {@code play_start}: plays a sound file to the call (WAV: PCM 8 or 16-bit, A-law or µ-law, any rate, mono or
     * stereo). One playback at a time; a file that cannot be played completes the playback with
     * {@link PlayEndReason#FAILED} and leaves the call as it was.
     *
     * @param playFile the file's path; a name in the sounds directory when the engine's {@link MediaFiles} are
     *     confined (always for a remote engine: the server's), reported as given in the event
     * @return a stage that completes with the {@code on_play_completed} event, after the listener heard it
     * @throws InvalidArgumentException if {@code playFile} is empty, or a confined {@link MediaFiles} refuses it
     * @throws InvalidStateException if the call is not answered, already plays, or is in a conference
     * @see #playStart(PlayOptions)
     */
    default CompletionStage<CallEvent.PlayCompleted> playStart(String playFile) {
        return playStart(PlayOptions.of(playFile));
    }

    /**
     * {@code play_start} with a playlist: plays {@code options}' files one after another, without a gap between them,
     * the whole list {@code 1 + play_repeat} times; a {@code finish_key} the far end presses stops it
     * ({@link PlayEndReason#FINISH_KEY}, the key in the event). Formats, states and failures as
     * {@link #playStart(String)}; each file is opened when its turn comes, and one that cannot be played ends the
     * playback there with {@link PlayEndReason#FAILED}.
     *
     * @return a stage that completes with the {@code on_play_completed} event, after the listener heard it
     * @throws InvalidArgumentException if a confined {@link MediaFiles} refuses a file
     * @throws InvalidStateException if the call is not answered, already plays, is in a conference or is connected
     */
    CompletionStage<CallEvent.PlayCompleted> playStart(PlayOptions options);

    /**
     * {@code play_stop}: stops the running playback; it completes with {@link PlayEndReason#STOPPED}.
     *
     * @throws InvalidStateException if nothing plays
     */
    void playStop();

    /**
     * {@code record_start}: records both directions of the call, mixed, into a file whose format follows its
     * extension ({@code .mp3} MP3, {@code .gsm} GSM, anything else WAV PCM 16-bit).
     *
     * @param recordFile the file's path, its folder must exist; a name in the recordings directory when the
     *     engine's {@link MediaFiles} are confined (always for a remote engine: the server's)
     * @param finishKey the DTMF keys that end the recording (any of them), or an empty string for none
     * @return a stage that completes with the {@code on_record_completed} event, after the listener heard it
     * @throws InvalidArgumentException if {@code recordFile} is empty, {@code finishKey} holds a character that is
     *     not a DTMF key, the engine cannot write the format (MP3 without jump3r on the class path), or a confined
     *     {@link MediaFiles} refuses the name (one that exists is refused unless
     *     {@link RecordOptions#recordOverwrite()} says to replace it)
     * @throws InvalidStateException if the call is not answered or already records
     */
    default CompletionStage<CallEvent.RecordCompleted> recordStart(String recordFile, String finishKey) {
        return recordStart(RecordOptions.builder().recordFile(recordFile).finishKey(finishKey).build());
    }

    /**
     * {@code record_start} with every option, the format among them.
     *
     * @return a stage that completes with the {@code on_record_completed} event, after the listener heard it; its
     *     {@code error} is {@code null} when the file is complete, else why it is not
     * @throws InvalidArgumentException naming {@code record_format} if the engine cannot write the format at all
     *     (MP3 without its optional encoder, jump3r, on the class path), or naming {@code record_file} if a confined
     *     {@link MediaFiles} refuses it
     * @throws InvalidStateException if the call is not answered or already records
     */
    CompletionStage<CallEvent.RecordCompleted> recordStart(RecordOptions options);

    /**
     * {@code record_stop}: stops the running recording; it completes with {@link RecordEndReason#STOPPED}.
     *
     * @throws InvalidStateException if nothing records
     */
    void recordStop();

    /**
     * {@code receive_dtmf_start}: collects the DTMF keys the far end presses (RFC 4733 events and SIP INFO alike),
     * after an optional prompt, until {@code options} say it ends. Keys pressed while the prompt plays count
     * (type-ahead). One collection at a time; it runs alongside a recording or a conference. The prompt is the
     * call's playback while it plays ({@link #isPlaying()}, {@link CallState#PLAY}); {@link #playStop()} stops it,
     * and the collection goes on.
     *
     * @return a stage that completes with the {@code on_receive_dtmf_completed} event, after the listener heard it
     * @throws InvalidArgumentException naming {@code play_file} if a confined {@link MediaFiles} refuses the prompt
     * @throws InvalidStateException if the call is not answered or collects already; with a prompt, also if a
     *     playback runs or the call is in a conference
     */
    CompletionStage<CallEvent.ReceiveDtmfCompleted> receiveDtmfStart(ReceiveDtmfOptions options);

    /**
     * {@code receive_dtmf_stop} (the original system's {@code stop_receive_dtmf_start}): stops the running
     * collection; it completes with {@link ReceiveDtmfEndReason#STOPPED} and the keys collected so far.
     *
     * @throws InvalidStateException if no collection runs
     */
    void receiveDtmfStop();

    /**
     * {@code send_dtmf_start}: sends DTMF keys to the far end as RFC 4733 telephone events (with their durations and
     * end packets), one after another, to drive a far-end IVR; a {@code ,} pauses 500 ms. One sequence at a time.
     *
     * <p>A far end that did not negotiate telephone-event gets the keys by SIP INFO instead: one INFO per key within
     * the dialog ({@code application/dtmf-relay}, {@code Signal=5}, {@code Duration=160}), each sent once the one
     * before was answered and at least 220 ms after it. A non-2xx answer or no answer ends the sequence with
     * {@link SendDtmfEndReason#FAILED} and an error naming the key and the answer; the keys after it are not sent.
     *
     * @param keys {@code 0-9 * # A-D} and {@code ,}: 1 to 64 of them
     * @return a stage that completes with the {@code on_send_dtmf_completed} event, after the listener heard it
     * @throws InvalidArgumentException naming {@code keys} if it is empty, too long or holds another character
     * @throws InvalidStateException if the call is not answered or sends keys already
     */
    CompletionStage<CallEvent.SendDtmfCompleted> sendDtmfStart(String keys);

    /**
     * {@code connect_start}: connects this call (the first) to another answered call of the same engine (the
     * second, {@link ConnectOptions#call()}), inbound or outbound: audio crosses as {@link ConnectOptions#mode()}
     * says, and the pair may be recorded (this call's session, both directions mixed). Both calls are in
     * {@link CallState#CONNECT} until {@code max_seconds} passes, {@link #connectStop()} is called on either, or
     * either hangs up: the other stays up, back in {@link CallState#IDLE}. The completion is reported once, to this
     * call's listener only; the second call's listener hears nothing of it.
     *
     * @return a stage that completes with the {@code on_connect_completed} event, after the listener heard it
     * @throws InvalidArgumentException if the second call is this call, or naming {@code record_format} or
     *     {@code record_file} as {@link #recordStart(RecordOptions)} does
     * @throws ResourceNotFoundException if no live call of this engine has the second call's {@code res_id}
     * @throws InvalidStateException if either call is not answered, plays a file, is in a conference, or is
     *     connected (or being connected) already; or if the pair is to be recorded and this call records already (a
     *     call has one recorder: while a recorded connection lasts, {@link #recordStart} is refused on this call)
     */
    CompletionStage<CallEvent.ConnectCompleted> connectStart(ConnectOptions options);

    /**
     * {@code connect_stop}: parts the two connected calls; the connection completes with
     * {@link ConnectEndReason#STOPPED}. Allowed on either of the two calls.
     *
     * @throws InvalidStateException if the call is not connected
     */
    void connectStop();

    /**
     * {@code send_dtmf_stop}: stops the running {@link #sendDtmfStart(String)} sequence. The key being sent is
     * finished properly (its RFC 4733 end packets go out), the keys after it are not sent; the sequence then completes
     * once with {@link SendDtmfEndReason#STOPPED}. Asking again before it completed changes nothing.
     *
     * @throws InvalidStateException if no sequence of keys is being sent
     */
    void sendDtmfStop();

    /**
     * {@code hold}: puts the far end on hold: sends a re-INVITE offering this call's media as {@code sendonly} (RFC
     * 6337). Once the far end answers, it sends no more audio (and what it still sends is not heard: recordings,
     * digit collection by RFC 4733, a conference or a connected call get silence from it); the engine goes on
     * sending whatever the call plays, so {@link #playStart} gives music on hold. Nothing else changes: the call
     * stays in its state and every verb stays allowed. The outcome is reported once as {@code on_hold_completed}; a
     * far end that answers 408 or 481 no longer has the call (RFC 3261 14.1), and the engine hangs it up.
     *
     * @return a stage that completes with the {@code on_hold_completed} event, after the listener heard it
     * @throws InvalidStateException if the call is not connected (an inbound call's 200 OK must have been
     *     acknowledged), its far end is on hold already, or a hold or unhold is under way
     */
    CompletionStage<CallEvent.HoldCompleted> hold();

    /**
     * {@code unhold}: takes the far end off hold: a re-INVITE offering {@code sendrecv}; reported as {@link #hold()}
     * is.
     *
     * @return a stage that completes with the {@code on_hold_completed} event, after the listener heard it
     * @throws InvalidStateException if the call is not connected, its far end is not on hold, or a hold or unhold is
     *     under way
     */
    CompletionStage<CallEvent.HoldCompleted> unhold();

    /** Returns whether the far end is on hold: a {@link #hold()} was answered, and no {@link #unhold()} since. */
    boolean isHeld();

    /**
     * {@code conf_enter}: puts the call into a conference: it hears every other member, and they hear it.
     *
     * @param confResId the conference's {@code res_id}
     * @throws ResourceNotFoundException if no active conference has that {@code res_id}
     * @throws InvalidStateException if the call is not answered, plays a file, or is already in a conference
     */
    void confEnter(String confResId);

    /**
     * {@code conf_enter} with a {@code voice_mode} other than coach: as {@link #confEnter(String, ConfVoice)}.
     *
     * @throws InvalidArgumentException if {@code voiceMode} is {@link VoiceMode#COACH}: a coach names its member
     */
    default void confEnter(String confResId, VoiceMode voiceMode) {
        confEnter(confResId, ConfVoice.of(voiceMode));
    }

    /**
     * {@code conf_enter} with a {@code voice_mode}: puts the call into a conference to speak and listen as
     * {@code voice} says ({@link VoiceMode} tells who hears whom). A coach's member must be another call in this
     * conference already (its {@link #conferenceId()} says so); if that member leaves later, the coach goes on
     * in {@link VoiceMode#LISTEN_ONLY}.
     *
     * @param confResId the conference's {@code res_id}
     * @param voice how the call speaks and listens
     * @throws ResourceNotFoundException if no active conference has that {@code res_id}
     * @throws InvalidArgumentException naming {@code coached_res_id} if the coached member is this call, or is not in
     *     that conference
     * @throws InvalidStateException if the call is not answered, plays a file, or is already in a conference
     */
    void confEnter(String confResId, ConfVoice voice);

    /**
     * {@code conf_voice_mode}: changes how the call speaks and listens in the conference it is in, at once; checked
     * as {@link #confEnter(String, ConfVoice)} checks, and nothing changes if it is refused.
     *
     * @param confResId the conference's {@code res_id}
     * @param voice the new voice
     * @throws InvalidArgumentException naming {@code coached_res_id} if the coached member is this call, or is not in
     *     that conference
     * @throws InvalidStateException if the call is not in that conference
     */
    void confVoiceMode(String confResId, ConfVoice voice);

    /**
     * {@code conf_exit}: takes the call out of the conference; it goes back to {@link CallState#IDLE}.
     *
     * @param confResId the conference's {@code res_id}
     * @throws InvalidStateException if the call is not in that conference
     */
    void confExit(String confResId);

    /**
     * Returns a stage that completes with the outbound call's {@code on_dial_completed} event, after the listener
     * heard it.
     *
     * @throws InvalidStateException if the call is inbound
     */
    CompletionStage<CallEvent.DialCompleted> whenDialCompleted();

    /** Returns a stage that completes with the call's {@code on_released} event, after the listener heard it. */
    CompletionStage<CallEvent.Released> whenReleased();
}
