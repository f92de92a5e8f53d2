package org.cti4j.api;

/** Why a playback ended ({@link CallEvent.PlayCompleted#reason()}). */
public enum PlayEndReason {
    /** The file (every file of the list, as many times as asked) played to its end. */
    FINISHED,
    /** {@link Call#playStop()} stopped it. */
    STOPPED,
    /** The far end pressed one of its finish keys ({@link PlayOptions#finishKey()}). */
    FINISH_KEY,
    /** The call ended while it played. */
    HANGUP,
    /** It could not start or could not go on: a missing or unreadable file, an unsupported format. */
    FAILED
}
