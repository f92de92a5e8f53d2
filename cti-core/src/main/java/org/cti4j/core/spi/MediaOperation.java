package org.cti4j.core.spi;

/** A playback or recording under way. */
public interface MediaOperation {

    /** Stops it; its listener is then called (if it has not been already). Safe to call twice. */
    void stop();

    /** Hears the end of a media operation. */
    @FunctionalInterface
    interface Listener {

        /**
         * Called exactly once, from any thread (possibly from within {@link MediaOperation#stop()}), when the operation
         * ended.
         *
         * @param error {@code null} if it ended well (finished or stopped); what went wrong otherwise
         */
        void onCompleted(String error);
    }
}
