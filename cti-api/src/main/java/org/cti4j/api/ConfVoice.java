package org.cti4j.api;

import java.util.Objects;

/**
 * A member's voice in a conference: its {@link VoiceMode} and, for {@link VoiceMode#COACH}, the {@code res_id} of the
 * one member that hears it ({@code coached_res_id}). Build one with {@link #of(VoiceMode)} or {@link #coaching}.
 *
 * @param mode the voice mode
 * @param coachedResId the coached member's {@code res_id} for {@code COACH}; empty for every other mode
 */
public record ConfVoice(VoiceMode mode, String coachedResId) {

    /** Speaks and listens: what {@link Call#confEnter(String)} gives. */
    public static final ConfVoice SPEAK_AND_LISTEN = new ConfVoice(VoiceMode.SPEAK_AND_LISTEN, "");

    /**
     * Checks the pair.
     *
     * @throws InvalidArgumentException naming {@code coached_res_id} if {@code COACH} has none, or another mode has one
     */
    public ConfVoice {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(coachedResId, "coachedResId");
        if (mode == VoiceMode.COACH && coachedResId.isBlank()) {
            throw new InvalidArgumentException("coached_res_id",
                    "coached_res_id is missing: voice_mode 4 (coach) names the one member that hears the coach");
        }
        if (mode != VoiceMode.COACH && !coachedResId.isEmpty()) {
            throw new InvalidArgumentException("coached_res_id", "coached_res_id is given but voice_mode "
                    + mode.code() + " (" + mode + ") coaches nobody: use voice_mode 4 (coach)");
        }
    }

    /**
     * Returns a voice of a mode other than {@code COACH}.
     *
     * @throws InvalidArgumentException if {@code mode} is {@code COACH} (use {@link #coaching})
     */
    public static ConfVoice of(VoiceMode mode) {
        return new ConfVoice(mode, "");
    }

    /** Returns the voice of a coach heard by the member {@code coachedResId} only. */
    public static ConfVoice coaching(String coachedResId) {
        return new ConfVoice(VoiceMode.COACH, coachedResId);
    }

    /** Returns whether this voice coaches a member. */
    public boolean isCoach() {
        return mode == VoiceMode.COACH;
    }
}
