package org.cti4j.core.spi;

import org.cti4j.api.RecordFormat;

/** The audio of one call leg: an RTP port, the far end's address and codec, what plays and what records. */
public interface MediaSession extends AutoCloseable {

    /** Returns this side's offer: its address and port, every codec it supports, {@code sendrecv}. */
    MediaDescription localOffer();

    /**
     * Answers the far end's offer: picks the codec and returns this side's answer; media flows from then on.
     *
     * @throws MediaException if there is no common codec (488)
     */
    MediaDescription answer(MediaDescription remoteOffer);

    /**
     * Applies the far end's description: the answer to this side's offer, early media, or a change in the dialog.
     *
     * @throws MediaException if it cannot be used (no common codec: 488)
     */
    void setRemote(MediaDescription remote);

    /**
     * Plays to the far end, replacing what it heard before (a previous playback ends; while this one plays, what
     * connections and mixers feed the session is not heard, and is heard again when it ends); completes when the
     * source ends, fails, or is stopped.
     *
     * @param source the file or tone to play
     * @param listener called exactly once when the playback ends
     */
    MediaOperation play(PlaySource source, MediaOperation.Listener listener);

    /**
     * Records both directions of the session, mixed, to a file; completes when stopped or when it fails. The file is
     * valid whenever it ends.
     *
     * @param file the path to write
     * @param format the file's format
     * @param replace whether an existing file is replaced; if not, the file is created as a new one (an existing file
     *     or link at {@code file} fails the recording), so that nothing can appear in its place between a check and
     *     the creation. A file the recording creates is readable and writable by its owner only (on POSIX file
     *     systems).
     * @param listener called exactly once when the recording ends
     */
    MediaOperation record(String file, RecordFormat format, boolean replace, MediaOperation.Listener listener);

    /**
     * Records as {@link #record(String, RecordFormat, boolean, MediaOperation.Listener)}, in one channel (both
     * directions mixed) or, if {@code stereo}, in two kept apart: left what the session receives from its far end,
     * right what it sends to it, time-aligned frame by frame (a direction without audio is silence). Stereo needs a
     * format that {@link RecordFormat#allowsStereo() allows it}. By default only mono: a provider that cannot record
     * stereo throws.
     *
     * @throws MediaException if stereo is asked of a provider or format that cannot record it
     */
    default MediaOperation record(String file, RecordFormat format, boolean replace, boolean stereo,
            MediaOperation.Listener listener) {
        if (stereo) {
            throw new MediaException(500, "this media provider records in mono only");
        }
        return record(file, format, replace, listener);
    }

    /** Records as {@link #record(String, RecordFormat, boolean, MediaOperation.Listener)}, replacing a file. */
    default MediaOperation record(String file, RecordFormat format, MediaOperation.Listener listener) {
        return record(file, format, true, listener);
    }

    /**
     * Returns whether {@link #sendDtmf} can send keys here: the far end negotiated telephone-event (RFC 4733) and the
     * provider sends it. When not, the engine sends keys by SIP INFO instead. By default {@code false}, as the default
     * {@code sendDtmf} sends nothing.
     */
    default boolean canSendDtmfEvents() {
        return false;
    }

    /**
     * Sends {@code keys} to the far end as RFC 4733 telephone events, one after another; a {@code ,} pauses 500 ms.
     * The listener hears the end once: all sent (error {@code null}), stopped, or the session closed.
     *
     * @param keys {@code 0-9 * # A-D} and {@code ,}, at least one
     * @throws MediaException if the far end did not negotiate telephone-event, or the provider cannot send DTMF
     */
    default MediaOperation sendDtmf(String keys, MediaOperation.Listener listener) {
        throw new MediaException(488, "this media provider cannot send DTMF keys");
    }

    /**
     * Closes the session: stops its playback and recording, leaves its connections and mixers, frees its port. A
     * recording's file is complete when this returns: finishing it (writing the little audio still buffered and the
     * header) is the one short, bounded wait the SPI allows, so that the core can report the recording ended at once.
     */
    @Override
    void close();
}
