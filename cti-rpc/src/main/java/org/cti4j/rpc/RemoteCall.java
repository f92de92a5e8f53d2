package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.Call;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.api.ConfVoice;
import org.cti4j.api.ConnectOptions;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DtmfKeys;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.PlayOptions;
import org.cti4j.api.ReceiveDtmfOptions;
import org.cti4j.api.RecordOptions;
import org.cti4j.api.SipUri;

/**
 * A {@link Call} of a remote engine: every operation is a {@code sys.call.*} request that waits for its response.
 *
 * <p>Known locally: {@link #direction()}, {@link #fromUri()}, {@link #toUri()}, {@link #beginTime()},
 * {@link #isReleased()}. {@link #state()}, {@link #isPlaying()}, {@link #isRecording()}, {@link #isHeld()},
 * {@link #conferenceId()} and {@link #userData()} ask the server ({@code sys.call.get}, one round trip each) until
 * the call's {@code on_released} has arrived, and answer locally from then on. Operations on a call known to be released throw
 * {@link InvalidStateException} at once, as the embedded engine does.
 *
 * <p>{@link #playStart} and {@link #recordStart} send their file names unchanged: the server confines them to its
 * sounds and recordings directories and refuses any other (see {@link RemoteCtiEngine}, "Files").
 */
final class RemoteCall extends RemoteResource implements Call {

    private final CallDirection direction;
    private final SipUri fromUri;
    private final SipUri toUri;
    /** Hears the call's events: the dial's listener, or the incoming listener it was offered to. */
    private final CallListener listener;
    private final CompletableFuture<CallEvent.DialCompleted> dialCompleted = new CompletableFuture<>();
    private final CompletableFuture<CallEvent.Released> released = new CompletableFuture<>();
    private final Object lock = new Object();
    /** Guarded by lock: playbacks and recordings whose {@code on_*_completed} has not arrived, oldest first. */
    private final List<Activity<CallEvent.PlayCompleted>> plays = new ArrayList<>();
    private final List<Activity<CallEvent.RecordCompleted>> records = new ArrayList<>();
    private final List<Activity<CallEvent.ReceiveDtmfCompleted>> collections = new ArrayList<>();
    private final List<Activity<CallEvent.SendDtmfCompleted>> sendings = new ArrayList<>();
    private final List<Activity<CallEvent.ConnectCompleted>> connections = new ArrayList<>();
    private final List<Activity<CallEvent.HoldCompleted>> holdChanges = new ArrayList<>();
    /** The best local knowledge of {@code user_data}: given at dial or answer, read by get, or the released one. */
    private volatile String userData;

    /** A playback or recording, and the stage that completes with its end. */
    private record Activity<E>(String file, CompletableFuture<E> future) {
    }

    private RemoteCall(ClientContext engine, String resId, long processId, CallDirection direction, SipUri fromUri,
            SipUri toUri, String userData, CallListener listener) {
        super(engine, resId, processId, MODULE);
        this.direction = direction;
        this.fromUri = fromUri;
        this.toUri = toUri;
        this.userData = userData;
        this.listener = listener;
    }

    /** On the receiving thread: the proxy of a call {@code sys.call.construct} made. */
    static RemoteCall outbound(ClientContext engine, JsonNode result, DialOptions options, CallListener listener) {
        return new RemoteCall(engine, resIdOf(result), processIdOf(result), CallDirection.OUTBOUND,
                options.fromUri(), options.toUri(), ClientCodec.textOr(result, "user_data", options.userData()),
                listener);
    }

    /** On the receiving thread: the proxy of an inbound call offered to this client. */
    static RemoteCall inbound(ClientContext engine, CallEvent.Incoming event, CallListener listener) {
        return new RemoteCall(engine, event.resId(), 0, CallDirection.INBOUND, event.fromUri(), event.toUri(), "",
                listener);
    }

    /** On the receiving thread: delivers {@code on_incoming} to the listener. */
    void offered(CallEvent.Incoming event) {
        deliver("onIncoming", () -> listener.onIncoming(this, event), null);
    }

    @Override
    public CallDirection direction() {
        return direction;
    }

    @Override
    public SipUri fromUri() {
        return fromUri;
    }

    @Override
    public SipUri toUri() {
        return toUri;
    }

    // ---- read from the server (sys.call.get) until released ----

    /** Returns the call's {@code user_data}: a {@code sys.call.get} round trip while the call lives. */
    @Override
    public String userData() {
        get().ifPresent(info -> userData = ClientCodec.textOr(info, "user_data", userData));
        return userData;
    }

    /**
     * Returns the call's state: a {@code sys.call.get} round trip while the call lives; {@code RELEASED} locally
     * once released.
     *
     * @throws EngineFailureException if the server does not answer within the request timeout
     */
    @Override
    public CallState state() {
        return get().map(info -> CallState.valueOf(ClientCodec.required(info, "state").toUpperCase(Locale.ROOT)))
                .orElse(CallState.RELEASED);
    }

    /** Returns whether a playback runs: a {@code sys.call.get} round trip while the call lives. */
    @Override
    public boolean isPlaying() {
        return get().map(info -> info.path("playing").asBoolean()).orElse(false);
    }

    /** Returns whether a recording runs: a {@code sys.call.get} round trip while the call lives. */
    @Override
    public boolean isRecording() {
        return get().map(info -> info.path("recording").asBoolean()).orElse(false);
    }

    /** Returns the conference the call is in: a {@code sys.call.get} round trip while the call lives. */
    @Override
    public Optional<String> conferenceId() {
        return get().map(info -> ClientCodec.text(info, "conf_res_id"));
    }

    /** Returns {@code sys.call.get}'s result, or empty when the call is released (no request then). */
    private Optional<JsonNode> get() {
        return query("sys.call.get");
    }

    // ---- operations ----

    @Override
    public void answer(String userData) {
        if (userData == null) {
            throw new InvalidArgumentException("user_data", "user_data is null: use an empty string for none");
        }
        checkLive("answer");
        request("sys.call.answer", ClientCodec.params(resId()).put("user_data", userData));
        this.userData = userData;
    }

    @Override
    public void drop() {
        checkLive("drop");
        request("sys.call.drop");
    }

    @Override
    public void drop(int cause) {
        checkLive("drop");
        request("sys.call.drop", ClientCodec.params(resId()).put("cause", cause));
    }

    @Override
    public void reject(int cause) {
        if (cause < 400 || cause > 699) {
            throw new InvalidArgumentException("cause", "cause " + cause
                    + " is not a SIP status code fit to reject a call (400-699)");
        }
        checkLive("reject");
        request("sys.call.reject", ClientCodec.params(resId()).put("cause", cause));
    }

    @Override
    public void redirect(SipUri redirectUri) {
        Objects.requireNonNull(redirectUri, "redirectUri");
        checkLive("redirect");
        request("sys.call.redirect", ClientCodec.params(resId()).put("redirect_uri", redirectUri.toString()));
    }

    @Override
    public CompletionStage<CallEvent.PlayCompleted> playStart(PlayOptions options) {
        Objects.requireNonNull(options, "options");
        checkLive("playStart");
        // Listed before the request: its on_play_completed may come before the response does.
        Activity<CallEvent.PlayCompleted> activity = new Activity<>(options.firstFile(), new CompletableFuture<>());
        synchronized (lock) {
            plays.add(activity);
        }
        ObjectNode params = ClientCodec.params(resId());
        if (options.playFiles().size() == 1) {
            // one file goes as a string: what a server that knows no playlists reads too
            params.put("play_file", options.firstFile());
        } else {
            options.playFiles().forEach(params.putArray("play_file")::add);
        }
        if (options.playRepeat() > 0) {
            params.put("play_repeat", options.playRepeat());
        }
        if (!options.finishKey().isEmpty()) {
            params.put("finish_key", options.finishKey());
        }
        try {
            request("sys.call.play_start", params);
        } catch (RuntimeException e) {
            synchronized (lock) {
                plays.remove(activity);
            }
            throw e;
        }
        return ClientStage.of(activity.future(), engine.events);
    }

    @Override
    public void playStop() {
        checkLive("playStop");
        request("sys.call.play_stop");
    }

    @Override
    public CompletionStage<CallEvent.RecordCompleted> recordStart(RecordOptions options) {
        Objects.requireNonNull(options, "options");
        checkLive("recordStart");
        Activity<CallEvent.RecordCompleted> activity = new Activity<>(options.recordFile(), new CompletableFuture<>());
        synchronized (lock) {
            records.add(activity);
        }
        try {
            ObjectNode params = ClientCodec.params(resId()).put("record_file", options.recordFile())
                    .put("finish_key", options.finishKey()).put("record_format", options.recordFormat().code())
                    .put("record_overwrite", options.recordOverwrite());
            if (options.recordStereo()) {
                params.put("record_stereo", true); // only when set: a server before record_stereo refuses it
            }
            request("sys.call.record_start", params);
        } catch (RuntimeException e) {
            synchronized (lock) {
                records.remove(activity);
            }
            throw e;
        }
        return ClientStage.of(activity.future(), engine.events);
    }

    @Override
    public void recordStop() {
        checkLive("recordStop");
        request("sys.call.record_stop");
    }

    @Override
    public CompletionStage<CallEvent.ReceiveDtmfCompleted> receiveDtmfStart(ReceiveDtmfOptions options) {
        Objects.requireNonNull(options, "options");
        checkLive("receiveDtmfStart");
        Activity<CallEvent.ReceiveDtmfCompleted> activity = new Activity<>("", new CompletableFuture<>());
        synchronized (lock) {
            collections.add(activity);
        }
        try {
            ObjectNode params = ClientCodec.params(resId()).put("valid_keys", options.validKeys())
                    .put("max_keys", options.maxKeys()).put("finish_keys", options.finishKeys())
                    .put("first_key_timeout", options.firstKeyTimeout())
                    .put("continues_keys_timeout", options.continuesKeysTimeout())
                    .put("breaking_on_key", options.breakingOnKey())
                    .put("including_finish_key", options.includingFinishKey());
            if (options.hasPrompt()) {
                params.put("play_file", options.playFile()).put("play_repeat", options.playRepeat());
            }
            request("sys.call.receive_dtmf_start", params);
        } catch (RuntimeException e) {
            synchronized (lock) {
                collections.remove(activity);
            }
            throw e;
        }
        return ClientStage.of(activity.future(), engine.events);
    }

    @Override
    public CompletionStage<CallEvent.SendDtmfCompleted> sendDtmfStart(String keys) {
        String checked = DtmfKeys.toSend(keys);
        checkLive("sendDtmfStart");
        Activity<CallEvent.SendDtmfCompleted> activity = new Activity<>(checked, new CompletableFuture<>());
        synchronized (lock) {
            sendings.add(activity);
        }
        try {
            request("sys.call.send_dtmf_start", ClientCodec.params(resId()).put("keys", checked));
        } catch (RuntimeException e) {
            synchronized (lock) {
                sendings.remove(activity);
            }
            throw e;
        }
        return ClientStage.of(activity.future(), engine.events);
    }

    @Override
    public CompletionStage<CallEvent.HoldCompleted> hold() {
        return changeHold("hold", "sys.call.hold");
    }

    @Override
    public CompletionStage<CallEvent.HoldCompleted> unhold() {
        return changeHold("unhold", "sys.call.unhold");
    }

    private CompletionStage<CallEvent.HoldCompleted> changeHold(String operation, String method) {
        checkLive(operation);
        Activity<CallEvent.HoldCompleted> activity = new Activity<>("", new CompletableFuture<>());
        synchronized (lock) {
            holdChanges.add(activity);
        }
        try {
            request(method);
        } catch (RuntimeException e) {
            synchronized (lock) {
                holdChanges.remove(activity);
            }
            throw e;
        }
        return ClientStage.of(activity.future(), engine.events);
    }

    /** Returns whether the far end is on hold: a {@code sys.call.get} round trip while the call lives. */
    @Override
    public boolean isHeld() {
        return get().map(info -> info.path("held").asBoolean()).orElse(false);
    }

    @Override
    public void sendDtmfStop() {
        checkLive("sendDtmfStop");
        request("sys.call.send_dtmf_stop");
    }

    @Override
    public void receiveDtmfStop() {
        checkLive("receiveDtmfStop");
        request("sys.call.receive_dtmf_stop");
    }

    @Override
    public CompletionStage<CallEvent.ConnectCompleted> connectStart(ConnectOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.call().equals(resId())) {
            throw new InvalidArgumentException("call_res_id", "call " + resId() + " cannot be connected to itself");
        }
        checkLive("connectStart");
        Activity<CallEvent.ConnectCompleted> activity = new Activity<>(options.call(), new CompletableFuture<>());
        synchronized (lock) {
            connections.add(activity);
        }
        try {
            ObjectNode params = ClientCodec.params(resId()).put("call_res_id", options.call())
                    .put("max_seconds", options.maxSeconds()).put("connect_mode", options.mode().code());
            if (options.isRecorded()) {
                params.put("record_file", options.recordFile()).put("record_format", options.recordFormat().code());
                if (options.recordOverwrite() != null) {
                    params.put("record_overwrite", options.recordOverwrite());
                }
                if (options.recordStereo()) {
                    params.put("record_stereo", true);
                }
            }
            request("sys.call.connect_start", params);
        } catch (RuntimeException e) {
            synchronized (lock) {
                connections.remove(activity);
            }
            throw e;
        }
        return ClientStage.of(activity.future(), engine.events);
    }

    @Override
    public void connectStop() {
        checkLive("connectStop");
        request("sys.call.connect_stop");
    }

    @Override
    public void confEnter(String confResId) {
        if (confResId == null || confResId.isBlank()) {
            throw new InvalidArgumentException("conf_res_id", "conf_res_id is missing");
        }
        checkLive("confEnter");
        request("sys.call.conf_enter", ClientCodec.params(resId()).put("conf_res_id", confResId));
    }

    @Override
    public void confEnter(String confResId, ConfVoice voice) {
        Objects.requireNonNull(voice, "voice");
        if (confResId == null || confResId.isBlank()) {
            throw new InvalidArgumentException("conf_res_id", "conf_res_id is missing");
        }
        checkLive("confEnter");
        request("sys.call.conf_enter", voiceParams(confResId, voice));
    }

    @Override
    public void confVoiceMode(String confResId, ConfVoice voice) {
        Objects.requireNonNull(confResId, "confResId");
        Objects.requireNonNull(voice, "voice");
        checkLive("confVoiceMode");
        request("sys.call.conf_voice_mode", voiceParams(confResId, voice));
    }

    private ObjectNode voiceParams(String confResId, ConfVoice voice) {
        ObjectNode params = ClientCodec.params(resId()).put("conf_res_id", confResId)
                .put("voice_mode", voice.mode().code());
        return voice.isCoach() ? params.put("coached_res_id", voice.coachedResId()) : params;
    }

    @Override
    public void confExit(String confResId) {
        Objects.requireNonNull(confResId, "confResId");
        checkLive("confExit");
        request("sys.call.conf_exit", ClientCodec.params(resId()).put("conf_res_id", confResId));
    }

    @Override
    public CompletionStage<CallEvent.DialCompleted> whenDialCompleted() {
        if (direction == CallDirection.INBOUND) {
            String state;
            try {
                state = state().name();
            } catch (RuntimeException e) {
                state = "UNKNOWN";
            }
            throw new InvalidStateException(resId(), state, "whenDialCompleted",
                    "it is inbound: only outbound calls dial");
        }
        return ClientStage.of(dialCompleted, engine.events);
    }

    @Override
    public CompletionStage<CallEvent.Released> whenReleased() {
        return ClientStage.of(released, engine.events);
    }

    // ---- events, read on the receiving thread ----

    @Override
    Object read(String event, JsonNode params) {
        return ClientCodec.callEvent(resId(), event, params);
    }

    @Override
    void route(String event, Object read) {
        if (read instanceof CallEvent.DialCompleted e) {
            deliver("onDialCompleted", () -> listener.onDialCompleted(this, e), () -> dialCompleted.complete(e));
        } else if (read instanceof CallEvent.Answered e) {
            deliver("onAnswered", () -> listener.onAnswered(this, e), null);
        } else if (read instanceof CallEvent.Ringing e) {
            deliver("onRinging", () -> listener.onRinging(this, e), null);
        } else if (read instanceof CallEvent.PlayCompleted e) {
            Optional<Activity<CallEvent.PlayCompleted>> activity = take(plays, e.playFile());
            deliver("onPlayCompleted", () -> listener.onPlayCompleted(this, e),
                    () -> activity.ifPresent(a -> a.future().complete(e)));
        } else if (read instanceof CallEvent.RecordCompleted e) {
            Optional<Activity<CallEvent.RecordCompleted>> activity = take(records, e.recordFile());
            deliver("onRecordCompleted", () -> listener.onRecordCompleted(this, e),
                    () -> activity.ifPresent(a -> a.future().complete(e)));
        } else if (read instanceof CallEvent.Dtmf e) {
            deliver("onDtmf", () -> listener.onDtmf(this, e), null);
        } else if (read instanceof CallEvent.SendDtmfCompleted e) {
            Optional<Activity<CallEvent.SendDtmfCompleted>> activity = take(sendings, e.keys());
            deliver("onSendDtmfCompleted", () -> listener.onSendDtmfCompleted(this, e),
                    () -> activity.ifPresent(a -> a.future().complete(e)));
        } else if (read instanceof CallEvent.ReceiveDtmfCompleted e) {
            Optional<Activity<CallEvent.ReceiveDtmfCompleted>> activity = take(collections, "");
            deliver("onReceiveDtmfCompleted", () -> listener.onReceiveDtmfCompleted(this, e),
                    () -> activity.ifPresent(a -> a.future().complete(e)));
        } else if (read instanceof CallEvent.HoldCompleted e) {
            Optional<Activity<CallEvent.HoldCompleted>> activity = take(holdChanges, "");
            deliver("onHoldCompleted", () -> listener.onHoldCompleted(this, e),
                    () -> activity.ifPresent(a -> a.future().complete(e)));
        } else if (read instanceof CallEvent.ConnectCompleted e) {
            Optional<Activity<CallEvent.ConnectCompleted>> activity = take(connections, e.callResId());
            deliver("onConnectCompleted", () -> listener.onConnectCompleted(this, e),
                    () -> activity.ifPresent(a -> a.future().complete(e)));
        } else if (read instanceof CallEvent.Released e && finish(event)) {
            userData = e.userData();
            EngineFailureException unreported = new EngineFailureException(resId() + " was released without"
                    + " reporting the end of this playback, recording or digit collection");
            deliver("onReleased", () -> listener.onReleased(this, e), () -> {
                released.complete(e);
                failActivities(unreported);
                dialCompleted.completeExceptionally(new EngineFailureException(resId()
                        + " was released without on_dial_completed"));
            });
        }
    }

    /** Takes the oldest activity of that file, or the oldest of any file if none matches; empty if none is left. */
    private <E> Optional<Activity<E>> take(List<Activity<E>> activities, String file) {
        synchronized (lock) {
            for (Iterator<Activity<E>> it = activities.iterator(); it.hasNext(); ) {
                Activity<E> activity = it.next();
                if (activity.file().equals(file)) {
                    it.remove();
                    return Optional.of(activity);
                }
            }
            return activities.isEmpty() ? Optional.empty() : Optional.of(activities.remove(0));
        }
    }

    private void failActivities(EngineFailureException reason) {
        List<Activity<?>> left = new ArrayList<>();
        synchronized (lock) {
            left.addAll(plays);
            plays.clear();
            left.addAll(records);
            records.clear();
            left.addAll(collections);
            collections.clear();
            left.addAll(sendings);
            sendings.clear();
            left.addAll(connections);
            connections.clear();
            left.addAll(holdChanges);
            holdChanges.clear();
        }
        left.forEach(activity -> activity.future().completeExceptionally(reason));
    }

    @Override
    void failStages(EngineFailureException reason) {
        released.completeExceptionally(reason);
        dialCompleted.completeExceptionally(reason);
        failActivities(reason);
    }

    @Override
    String releaseMethod() {
        return "sys.call.drop";
    }
}
