package org.cti4j.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cti4j.api.Call;
import org.cti4j.api.ConfVoice;
import org.cti4j.api.Conference;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.ConnectOptions;
import org.cti4j.api.DtmfKeys;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.PlayOptions;
import org.cti4j.api.ReceiveDtmfOptions;
import org.cti4j.api.RecordOptions;
import org.cti4j.api.Resource;
import org.cti4j.api.ResourceNotFoundException;
import org.cti4j.api.VoiceMode;

/**
 * The methods of the protocol, by name: each reads and checks its params and carries out the method on the engine
 * ({@link ServerRequests} reads the frames and answers). Nothing is changed by a method whose params are refused.
 */
final class ServerMethods {

    /** A method's work once its params are read and checked; {@code after} runs after the response is sent. */
    interface Action {
        ObjectNode run(List<Runnable> after);
    }

    /** Reads a method's params (throwing on bad ones) and returns what to do. */
    interface Method {
        Action prepare(ServerSession session, Params params) throws RpcError;
    }

    private final CtiEngine engine;
    private final ServerSessions sessions;
    private final boolean shareResources;
    private final ServerFiles files;
    private final Map<String, Method> methods = new HashMap<>();

    /**
     * @param shareResources whether any session may operate on any session's resources; else a resource of another
     *     session is answered exactly as one that does not exist
     * @param files where the files of remote requests may be
     */
    ServerMethods(CtiEngine engine, ServerSessions sessions, boolean shareResources, ServerFiles files) {
        this.engine = engine;
        this.sessions = sessions;
        this.shareResources = shareResources;
        this.files = files;
        callMethods();
        duoCallbackMethods();
        conferenceMethods();
    }

    /** Returns the method of that name, or {@code null} if there is none. */
    Method method(String name) {
        return methods.get(name);
    }

    // ---- sys.call ----

    private void callMethods() {
        methods.put("sys.call.construct", (session, p) -> {
            DialOptions options = DialOptions.builder().fromUri(p.uri("from_uri")).toUri(p.uri("to_uri"))
                    .maxAnswerSeconds(p.integer("max_answer_seconds"))
                    .maxRingSeconds(p.integer("max_ring_seconds", DialOptions.DEFAULT_MAX_RING_SECONDS))
                    .userData(p.string("user_data", "")).build();
            return after -> {
                Route route = sessions.newRoute(session);
                Call call = engine.dial(options, new ServerListener(sessions, route));
                ObjectNode result = constructed(route, call, after);
                result.put("to_uri", EventFrames.uri(call.toUri()));
                result.put("user_data", options.userData());
                return result;
            };
        });
        methods.put("sys.call.answer", (session, p) -> {
            String resId = p.string("res_id");
            String userData = p.string("user_data", "");
            return after -> done(call(session, resId), c -> c.answer(userData));
        });
        methods.put("sys.call.drop", (session, p) -> {
            String resId = p.string("res_id");
            boolean withCause = !p.absent("cause");
            int cause = withCause ? p.integer("cause") : 0;
            return after -> done(call(session, resId), c -> {
                if (withCause) {
                    c.drop(cause);
                } else {
                    c.drop();
                }
            });
        });
        methods.put("sys.call.reject", (session, p) -> {
            String resId = p.string("res_id");
            int cause = p.integer("cause", 603);
            return after -> done(call(session, resId), c -> c.reject(cause));
        });
        methods.put("sys.call.redirect", (session, p) -> {
            String resId = p.string("res_id");
            var target = p.uri("redirect_uri");
            return after -> done(call(session, resId), c -> c.redirect(target));
        });
        methods.put("sys.call.play_start", (session, p) -> {
            String resId = p.string("res_id");
            PlayOptions named = new PlayOptions(p.strings("play_file", PlayOptions.MAX_FILES),
                    p.integer("play_repeat", 0), p.string("finish_key", ""));
            return after -> {
                Call call = call(session, resId);
                List<ServerFiles.Resolved> resolved = new ArrayList<>();
                for (String name : named.playFiles()) {
                    resolved.add(files.play("play_file", name));
                }
                PlayOptions options = new PlayOptions(resolved.stream().map(ServerFiles.Resolved::path).toList(),
                        named.playRepeat(), named.finishKey());
                return done(call, c -> withFiles(c, resolved, () -> c.playStart(options)));
            };
        });
        methods.put("sys.call.play_stop", (session, p) -> {
            String resId = p.string("res_id");
            return after -> done(call(session, resId), Call::playStop);
        });
        methods.put("sys.call.record_start", (session, p) -> {
            String resId = p.string("res_id");
            RecordOptions.Builder builder = RecordOptions.builder().recordFile(p.string("record_file"))
                    .finishKey(p.string("finish_key", ""));
            if (!p.absent("record_format")) {
                builder.recordFormat(p.integer("record_format"));
            }
            boolean overwrite = p.bool("record_overwrite", false);
            RecordOptions named = builder.recordOverwrite(overwrite).stereo(p.bool("record_stereo", false)).build();
            return after -> {
                Call call = call(session, resId);
                ServerFiles.Resolved file = files.record("record_file", named.recordFile(), overwrite);
                RecordOptions options = new RecordOptions(file.path(), named.finishKey(), named.recordFormat(),
                        overwrite, named.recordStereo());
                return done(call, c -> withFile(c, file, () -> c.recordStart(options)));
            };
        });
        methods.put("sys.call.record_stop", (session, p) -> {
            String resId = p.string("res_id");
            return after -> done(call(session, resId), Call::recordStop);
        });
        methods.put("sys.call.send_dtmf_start", (session, p) -> {
            String resId = p.string("res_id");
            String keys = DtmfKeys.toSend(p.string("keys"));
            return after -> done(call(session, resId), c -> c.sendDtmfStart(keys));
        });
        methods.put("sys.call.send_dtmf_stop", (session, p) -> {
            String resId = p.string("res_id");
            return after -> done(call(session, resId), Call::sendDtmfStop);
        });
        methods.put("sys.call.hold", (session, p) -> {
            String resId = p.string("res_id");
            return after -> done(call(session, resId), Call::hold);
        });
        methods.put("sys.call.unhold", (session, p) -> {
            String resId = p.string("res_id");
            return after -> done(call(session, resId), Call::unhold);
        });
        methods.put("sys.call.receive_dtmf_start", (session, p) -> {
            String resId = p.string("res_id");
            ReceiveDtmfOptions named = receiveDtmfOptions(p);
            return after -> {
                Call call = call(session, resId);
                if (!named.hasPrompt()) {
                    return done(call, c -> c.receiveDtmfStart(named));
                }
                ServerFiles.Resolved file = files.play("play_file", named.playFile());
                return done(call, c -> withFile(c, file, () -> c.receiveDtmfStart(named.withPlayFile(file.path()))));
            };
        });
        Method receiveDtmfStop = (session, p) -> {
            String resId = p.string("res_id");
            return after -> done(call(session, resId), Call::receiveDtmfStop);
        };
        methods.put("sys.call.receive_dtmf_stop", receiveDtmfStop);
        // The original system's name for it.
        methods.put("sys.call.stop_receive_dtmf_start", receiveDtmfStop);
        methods.put("sys.call.conf_enter", (session, p) -> {
            String resId = p.string("res_id");
            String confResId = p.string("conf_res_id");
            ConfVoice voice = voice(p, false);
            return after -> done(call(session, resId),
                    c -> c.confEnter(conference(session, confResId).resId(), ownCoached(session, voice)));
        });
        methods.put("sys.call.conf_voice_mode", (session, p) -> {
            String resId = p.string("res_id");
            String confResId = p.string("conf_res_id");
            ConfVoice voice = voice(p, true);
            return after -> done(call(session, resId),
                    c -> c.confVoiceMode(conference(session, confResId).resId(), ownCoached(session, voice)));
        });
        methods.put("sys.call.conf_exit", (session, p) -> {
            String resId = p.string("res_id");
            String confResId = p.string("conf_res_id");
            return after -> done(call(session, resId), c -> c.confExit(conference(session, confResId).resId()));
        });
        methods.put("sys.call.connect_start", (session, p) -> {
            String resId = p.string("res_id");
            ConnectOptions.Builder builder = ConnectOptions.builder().call(p.string("call_res_id"))
                    .maxSeconds(p.integer("max_seconds", 0)).mode(p.integer("connect_mode", 1))
                    .recordFile(p.string("record_file", ""));
            if (!p.absent("record_format")) {
                builder.recordFormat(p.integer("record_format"));
            }
            boolean overwrite = p.bool("record_overwrite", false);
            ConnectOptions named = builder.recordOverwrite(overwrite).stereo(p.bool("record_stereo", false)).build();
            return after -> {
                Call call = call(session, resId);
                String second = call(session, named.call()).resId();
                if (!named.isRecorded()) {
                    return done(call, c -> c.connectStart(named));
                }
                ServerFiles.Resolved file = files.record("record_file", named.recordFile(), overwrite);
                ConnectOptions options = new ConnectOptions(second, named.maxSeconds(), named.mode(), file.path(),
                        named.recordFormat(), overwrite, named.recordStereo());
                return done(call, c -> withFile(c, file, () -> c.connectStart(options)));
            };
        });
        methods.put("sys.call.connect_stop", (session, p) -> {
            String resId = p.string("res_id");
            return after -> done(call(session, resId), Call::connectStop);
        });
        methods.put("sys.call.get", (session, p) -> {
            String resId = p.string("res_id");
            return after -> {
                Call c = call(session, resId);
                ObjectNode result = JsonFrames.object();
                result.put("res_id", c.resId());
                result.put("call_dir", c.direction().wireName());
                result.put("from_uri", EventFrames.uri(c.fromUri()));
                result.put("to_uri", EventFrames.uri(c.toUri()));
                result.put("state", EventFrames.lower(c.state()));
                result.put("playing", c.isPlaying());
                result.put("recording", c.isRecording());
                result.put("held", c.isHeld());
                result.put("conf_res_id", c.conferenceId().orElse(null));
                result.put("user_data", c.userData());
                EventFrames.time(result, "begin_time", c.beginTime());
                return result;
            };
        });
        methods.put("sys.call.subscribe_incoming", (session, p) -> after -> subscription(session, true));
        methods.put("sys.call.unsubscribe_incoming", (session, p) -> after -> subscription(session, false));
    }

    private ObjectNode subscription(ServerSession session, boolean subscribe) {
        sessions.subscribe(session, subscribe);
        ObjectNode result = JsonFrames.object();
        result.put("subscribed", subscribe);
        return result;
    }

    /**
     * The live resource {@code resId} if {@code session} may operate on it: it owns it (it created it, or it is an
     * inbound call offered to it), or the server shares resources. Another session's resource is not found, exactly
     * as one that does not exist, so that nobody learns which {@code res_id}s exist elsewhere.
     */
    private Optional<Resource> find(ServerSession session, String resId) {
        Optional<Resource> found = engine.find(resId);
        if (shareResources || found.isEmpty() || sessions.owns(session, resId)) {
            return found;
        }
        return Optional.empty();
    }

    // The messages are the engine's own for a res_id it does not know (CtiEngine.call, ...).

    private Call call(ServerSession session, String resId) {
        return find(session, resId).filter(Call.class::isInstance).map(Call.class::cast)
                .orElseThrow(() -> new ResourceNotFoundException(resId, "no call " + resId));
    }

    private DuoCallback duoCallback(ServerSession session, String resId) {
        return find(session, resId).filter(DuoCallback.class::isInstance).map(DuoCallback.class::cast)
                .orElseThrow(() -> new ResourceNotFoundException(resId, "no duo callback " + resId));
    }

    private Conference conference(ServerSession session, String resId) {
        return find(session, resId).filter(Conference.class::isInstance).map(Conference.class::cast)
                .orElseThrow(() -> new ResourceNotFoundException(resId, "no conference " + resId));
    }

    /** {@code voice_mode} (optional: 1) and {@code coached_res_id?} (""), checked together. */
    private static ConfVoice voice(Params p, boolean required) throws RpcError {
        VoiceMode mode = VoiceMode.ofCode(required ? p.integer("voice_mode")
                : p.integer("voice_mode", VoiceMode.SPEAK_AND_LISTEN.code()));
        return new ConfVoice(mode, p.string("coached_res_id", ""));
    }

    /** A coach may coach only the session's own calls: another session's is refused as the engine refuses others. */
    private ConfVoice ownCoached(ServerSession session, ConfVoice voice) {
        if (voice.isCoach() && find(session, voice.coachedResId()).filter(Call.class::isInstance).isEmpty()) {
            throw new InvalidArgumentException("coached_res_id", "call " + voice.coachedResId()
                    + " is not in this conference: a coach coaches a member of its own conference");
        }
        return voice;
    }

    // ---- ext.duo_callback ----

    private void duoCallbackMethods() {
        methods.put("ext.duo_callback.construct", (session, p) -> {
            DuoCallbackOptions.Builder builder = DuoCallbackOptions.builder()
                    .from1Uri(p.uri("from1_uri")).to1Uri(p.uri("to1_uri"))
                    .from2Uri(p.uri("from2_uri")).to2Uri(p.uri("to2_uri"))
                    .maxConnectSeconds(p.integer("max_connect_seconds"))
                    .maxRingSeconds(p.integer("max_ring_seconds", DialOptions.DEFAULT_MAX_RING_SECONDS))
                    .ringPlayFile(p.string("ring_play_file", ""))
                    .ringPlayMode(p.integer("ring_play_mode", 0))
                    .recordFile(p.string("record_file", ""))
                    .recordMode(p.integer("record_mode", 0))
                    .userData1(p.string("user_data1", ""))
                    .userData2(p.string("user_data2", ""))
                    .promptFile(p.string("prompt_file", ""))
                    .promptAfterSeconds(p.integer("prompt_after_seconds", 0))
                    .promptBeforeEndSeconds(p.integer("prompt_before_end_seconds", 0));
            if (!p.absent("record_format")) {
                builder.recordFormat(p.integer("record_format"));
            }
            boolean overwrite = p.bool("record_overwrite", false);
            DuoCallbackOptions named = builder.recordOverwrite(overwrite).stereo(p.bool("record_stereo", false))
                    .build();
            ServerFiles.Resolved ring = named.hasRingPlayFile()
                    ? files.play("ring_play_file", named.ringPlayFile()) : ServerFiles.Resolved.NONE;
            ServerFiles.Resolved record = named.isRecorded()
                    ? files.record("record_file", named.recordFile(), overwrite) : ServerFiles.Resolved.NONE;
            ServerFiles.Resolved prompt = named.hasPrompt()
                    ? files.play("prompt_file", named.promptFile()) : ServerFiles.Resolved.NONE;
            DuoCallbackOptions options = new DuoCallbackOptions(named.from1Uri(), named.to1Uri(), named.from2Uri(),
                    named.to2Uri(), named.maxConnectSeconds(), named.maxRingSeconds(), ring.path(),
                    named.ringPlayMode(), record.path(), named.recordMode(), named.recordFormat(), named.userData1(),
                    named.userData2(), overwrite, prompt.path(), named.promptAfterSeconds(),
                    named.promptBeforeEndSeconds(), named.recordStereo());
            return after -> {
                Route route = sessions.newRoute(session);
                route.named(ring);
                route.named(record);
                route.named(prompt);
                DuoCallback duo = ServerMethods.<DuoCallback>withFiles(ring, record, () -> ServerMethods
                        .<DuoCallback>withFiles(prompt, ServerFiles.Resolved.NONE,
                                () -> engine.startDuoCallback(options, new ServerListener(sessions, route))));
                return constructed(route, duo, after);
            };
        });
        methods.put("ext.duo_callback.cancel", (session, p) -> {
            String resId = p.string("res_id");
            return after -> done(duoCallback(session, resId), DuoCallback::cancel);
        });
        methods.put("ext.duo_callback.release", (session, p) -> {
            String resId = p.string("res_id");
            return after -> done(duoCallback(session, resId), DuoCallback::release);
        });
        methods.put("ext.duo_callback.get", (session, p) -> {
            String resId = p.string("res_id");
            return after -> {
                DuoCallback duo = duoCallback(session, resId);
                ObjectNode result = JsonFrames.object();
                result.put("res_id", duo.resId());
                result.put("state", EventFrames.lower(duo.state()));
                EventFrames.time(result, "begin_time", duo.beginTime());
                return result;
            };
        });
    }

    // ---- sys.conf ----

    private void conferenceMethods() {
        methods.put("sys.conf.construct", (session, p) -> {
            boolean overwrite = p.bool("record_overwrite", false);
            ConferenceOptions named = ConferenceOptions.builder().maxSeconds(p.integer("max_seconds"))
                    .recordFile(p.string("record_file", "")).userData(p.string("user_data", ""))
                    .recordOverwrite(overwrite).build();
            ServerFiles.Resolved record = named.isRecorded()
                    ? files.record("record_file", named.recordFile(), overwrite) : ServerFiles.Resolved.NONE;
            ConferenceOptions options = new ConferenceOptions(named.maxSeconds(), record.path(), named.userData(),
                    overwrite);
            return after -> {
                Route route = sessions.newRoute(session);
                route.named(record);
                Conference conference = ServerMethods.<Conference>withFiles(record, ServerFiles.Resolved.NONE,
                        () -> engine.createConference(options, new ServerListener(sessions, route)));
                return constructed(route, conference, after);
            };
        });
        methods.put("sys.conf.release", (session, p) -> {
            String resId = p.string("res_id");
            return after -> done(conference(session, resId), Conference::release);
        });
        methods.put("sys.conf.exists", (session, p) -> {
            String resId = p.string("res_id");
            return after -> {
                ObjectNode result = JsonFrames.object();
                result.put("res_id", resId);
                result.put("exists", find(session, resId).filter(Conference.class::isInstance).isPresent());
                return result;
            };
        });
        methods.put("sys.conf.get_parts", (session, p) -> {
            String resId = p.string("res_id");
            return after -> {
                Conference conference = conference(session, resId);
                ObjectNode result = JsonFrames.object();
                result.put("res_id", resId);
                ArrayNode parts = result.putArray("parts");
                conference.members().forEach(parts::add);
                return result;
            };
        });
    }

    // ---- shared ----

    /** The result of a construct; the resource's events are held back until the result is sent. */
    private ObjectNode constructed(Route route, Resource resource, List<Runnable> after) {
        sessions.bind(route, resource);
        after.add(route::open);
        ObjectNode result = JsonFrames.object();
        result.put("res_id", resource.resId());
        result.putObject("ipsc_info").put("process_id", resource.processId());
        return result;
    }

    /**
     * Runs an operation of {@code resource} that opens {@code file}: the resource's events name the file as the
     * client did, and so does an error the engine throws.
     */
    /** Reads the params of {@code receive_dtmf_start}; each absent one keeps its default. */
    private static ReceiveDtmfOptions receiveDtmfOptions(Params p) throws RpcError {
        ReceiveDtmfOptions.Builder b = ReceiveDtmfOptions.builder();
        if (!p.absent("valid_keys")) {
            b.validKeys(p.string("valid_keys"));
        }
        if (!p.absent("max_keys")) {
            b.maxKeys(p.integer("max_keys"));
        }
        if (!p.absent("finish_keys")) {
            b.finishKeys(p.string("finish_keys"));
        }
        if (!p.absent("first_key_timeout")) {
            b.firstKeyTimeout(p.integer("first_key_timeout"));
        }
        if (!p.absent("continues_keys_timeout")) {
            b.continuesKeysTimeout(p.integer("continues_keys_timeout"));
        }
        if (!p.absent("play_file")) {
            b.playFile(p.string("play_file"));
        }
        if (!p.absent("play_repeat")) {
            b.playRepeat(p.integer("play_repeat"));
        }
        return b.breakingOnKey(p.bool("breaking_on_key", true))
                .includingFinishKey(p.bool("including_finish_key", false)).build();
    }

    private void withFile(Resource resource, ServerFiles.Resolved file, Runnable operation) {
        withFiles(resource, List.of(file), operation);
    }

    /**
     * Runs an operation of {@code resource} that opens {@code files}: their paths are reported by their names in the
     * resource's events, and hidden in what the operation throws.
     */
    private void withFiles(Resource resource, List<ServerFiles.Resolved> files, Runnable operation) {
        Route route = sessions.route(resource.resId());
        if (route != null) {
            files.forEach(route::named);
        }
        try {
            operation.run();
        } catch (RuntimeException e) {
            RuntimeException hidden = e;
            for (ServerFiles.Resolved file : files) {
                hidden = file.hide(hidden);
            }
            throw hidden;
        }
    }

    /** Runs a construct that opens up to two files, hiding their paths in what it throws. */
    private static <T> T withFiles(ServerFiles.Resolved first, ServerFiles.Resolved second,
            java.util.function.Supplier<T> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            throw second.hide(first.hide(e));
        }
    }

    private static <R extends Resource> ObjectNode done(R resource, java.util.function.Consumer<R> operation) {
        operation.accept(resource);
        ObjectNode result = JsonFrames.object();
        result.put("res_id", resource.resId());
        return result;
    }
}
