package org.cti4j.core.internal;

import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.MediaProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcome of a recording that a resource reports when the resource ends (a duo callback's, a conference's, a
 * call's last one): what the media provider's listener said, kept until then. The listener may be called on any
 * thread; closing the session or mixer that records calls it before {@code close()} returns, so the outcome is known
 * when the resource reports its end.
 */
final class RecordingOutcome implements MediaOperation.Listener {

    private static final Logger log = LoggerFactory.getLogger(RecordingOutcome.class);

    private final Object owner;
    private final String file;
    private volatile boolean ended;
    private volatile String error;

    /** Creates the outcome of a recording {@code owner} starts into {@code file}. */
    RecordingOutcome(Object owner, String file) {
        this.owner = owner;
        this.file = file;
    }

    /**
     * Refuses a recording the media provider could never make (a format whose optional encoder is missing), before
     * anything starts.
     *
     * @throws InvalidArgumentException naming {@code record_format}, and for MP3 the dependency to add
     */
    static void requireRecordable(MediaProvider media, RecordFormat format, String file) {
        if (media.canRecord(format)) {
            return;
        }
        String hint = format == RecordFormat.MP3
                ? ": add the jump3r dependency (de.sciss:jump3r), the MP3 encoder, to the class path" : "";
        throw new InvalidArgumentException("record_format", "record_format " + format.code() + " (" + format
                + ") cannot be recorded by this engine, for record_file " + file + hint);
    }

    @Override
    public void onCompleted(String failure) {
        if (failure != null) {
            log.warn("{}: recording to {} failed: {}", owner, file, failure);
        }
        error = failure;
        ended = true;
    }

    /** Returns whether the media provider said the recording ended. */
    boolean ended() {
        return ended;
    }

    /** Returns the file recorded to. */
    String file() {
        return file;
    }

    /**
     * Returns why the recording failed, {@code null} if its file is complete. Asked once the session or mixer that
     * recorded is closed; a provider that had not ended the recording by then breaks the SPI, and is reported so.
     */
    String error() {
        return ended ? error : "the recording had not ended when its session closed";
    }
}
