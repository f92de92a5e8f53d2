package org.cti4j.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cti4j.api.ConfVoice;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.VoiceMode;
import org.cti4j.core.spi.MediaMixer;
import org.cti4j.core.spi.MediaSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The voices of a conference's members ({@code voice_mode}), applied to its mixer. Confined to the conference's
 * strand, apart from {@link #checkCoaching}, which runs on the coach's.
 *
 * <p>A coach whose member is not (or no longer) in the conference goes on in {@link VoiceMode#LISTEN_ONLY}: it
 * still hears the conference and is heard by nobody, as it was heard by nobody but that member.
 */
final class ConferenceVoices {

    private static final Logger log = LoggerFactory.getLogger(ConferenceVoices.class);
    private static final ConfVoice LISTEN_ONLY = ConfVoice.of(VoiceMode.LISTEN_ONLY);

    private final MediaMixer mixer;
    /** The conference's members (its own map, read only here). */
    private final Map<CallResource, MediaSession> members;
    /** Only the members whose voice is not speak-and-listen. */
    private final Map<CallResource, ConfVoice> voices = new HashMap<>();

    ConferenceVoices(MediaMixer mixer, Map<CallResource, MediaSession> members) {
        this.mixer = mixer;
        this.members = members;
    }

    /**
     * On the coach's strand: checks that a coach names another call that is in the conference now (by its published
     * state). Nothing to check for other modes.
     *
     * @throws InvalidArgumentException naming {@code coached_res_id} if it names the coach itself, or a call that is
     *     not in conference {@code confResId}
     */
    static void checkCoaching(EngineContext ctx, CallResource coach, String confResId, ConfVoice voice) {
        if (!voice.isCoach()) {
            return;
        }
        String coached = voice.coachedResId();
        if (coached.equals(coach.resId())) {
            throw new InvalidArgumentException("coached_res_id", "call " + coached + " cannot coach itself");
        }
        if (!(ctx.registry.get(coached) instanceof CallResource member)
                || !member.conferenceId().filter(confResId::equals).isPresent()) {
            throw new InvalidArgumentException("coached_res_id", "call " + coached + " is not in conference "
                    + confResId + ": a coach coaches a member of its own conference");
        }
    }

    /** Applies a member's voice to the mixer (a member that left is ignored). */
    void apply(CallResource call, ConfVoice voice) {
        MediaSession session = members.get(call);
        if (session == null) {
            return;
        }
        if (voice.isCoach()) {
            CallResource coached = member(voice.coachedResId());
            if (coached != null) {
                mixer.setCoach(session, members.get(coached));
                voices.put(call, voice);
                return;
            }
            log.info("call {} coaches {}, which is no longer in the conference: it goes on listening only",
                    call.resId(), voice.coachedResId());
            voice = LISTEN_ONLY;
        }
        VoiceMode mode = voice.mode();
        mixer.setVoice(session, mode != VoiceMode.SPEAK_ONLY, mode != VoiceMode.LISTEN_ONLY);
        if (mode == VoiceMode.SPEAK_AND_LISTEN) {
            voices.remove(call);
        } else {
            voices.put(call, voice);
        }
    }

    /** The member left (it is out of the members already): its coaches go on listening only. */
    void left(CallResource call) {
        voices.remove(call);
        List<CallResource> coaches = new ArrayList<>();
        voices.forEach((coach, voice) -> {
            if (voice.isCoach() && voice.coachedResId().equals(call.resId())) {
                coaches.add(coach);
            }
        });
        for (CallResource coach : coaches) {
            log.info("call {} coached {}, which left the conference: it goes on listening only", coach.resId(),
                    call.resId());
            apply(coach, LISTEN_ONLY);
        }
    }

    private CallResource member(String resId) {
        for (CallResource call : members.keySet()) {
            if (call.resId().equals(resId)) {
                return call;
            }
        }
        return null;
    }
}
