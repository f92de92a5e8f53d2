package org.cti4j.core.spi;

import org.cti4j.api.RecordFormat;

/**
 * An N-party audio mixer: each member hears the sum of the others. A member added hears and is heard by all;
 * {@link #setVoice} and {@link #setCoach} change that.
 */
public interface MediaMixer extends AutoCloseable {

    /** Adds a session. Adding one twice does nothing. */
    void add(MediaSession session);

    /** Removes a session. Removing one that is not a member does nothing. */
    void remove(MediaSession session);

    /**
     * Sets whether a member hears the others and whether the others hear it (all of them or none), ending its
     * coaching if it coached. Does nothing if it is not a member.
     */
    void setVoice(MediaSession member, boolean hears, boolean heard);

    /**
     * Makes a member a coach: it hears the others, and only {@code coached} hears it (nobody does while
     * {@code coached} is not a member). Does nothing if {@code coach} is not a member.
     */
    void setCoach(MediaSession coach, MediaSession coached);

    /**
     * Records the mix of all members heard by all (no coach, no muted member) to a file, until stopped or the mixer is closed; {@code replace} is as
     * {@link MediaSession#record(String, RecordFormat, boolean, MediaOperation.Listener)} says.
     */
    MediaOperation record(String file, RecordFormat format, boolean replace, MediaOperation.Listener listener);

    /** Records as {@link #record(String, RecordFormat, boolean, MediaOperation.Listener)}, replacing a file. */
    default MediaOperation record(String file, RecordFormat format, MediaOperation.Listener listener) {
        return record(file, format, true, listener);
    }

    /** Closes the mixer: its members leave it (their sessions stay open) and its recording ends. Safe twice. */
    @Override
    void close();
}
