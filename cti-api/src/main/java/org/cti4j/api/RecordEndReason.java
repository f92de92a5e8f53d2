package org.cti4j.api;

/** Why a recording ended ({@link CallEvent.RecordCompleted#reason()}). */
public enum RecordEndReason {
    /** The far end pressed one of the recording's finish keys. */
    FINISH_KEY,
    /** {@link Call#recordStop()} stopped it. */
    STOPPED,
    /** The call ended while it recorded. */
    HANGUP,
    /** It could not start or could not go on: the file could not be written, the format is not available. */
    FAILED
}
