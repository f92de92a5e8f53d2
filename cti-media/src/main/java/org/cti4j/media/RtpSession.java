package org.cti4j.media;

import org.cti4j.core.spi.MediaSession;

/**
 * A {@link MediaSession} of {@link RtpMediaProvider}, with what the SPI does not need: sending DTMF, the local port
 * and counters.
 */
public interface RtpSession extends MediaSession {

    /** Returns the local RTP port (RTCP is on the next one). */
    int localPort();

    /**
     * Sends a DTMF key to the far end as RFC 4733 telephone events (about 100 ms, then 60 ms of pause before the
     * next queued key), in place of audio while it lasts. Returns at once; callable from any thread.
     *
     * @param key {@code 0-9}, {@code *}, {@code #} or {@code A-D}
     * @throws IllegalArgumentException if {@code key} is not a DTMF key
     * @throws IllegalStateException if the far end did not negotiate telephone-event, or the session is closed
     */
    void sendDtmf(char key);

    /** Returns the session's counters. Callable from any thread. */
    RtpStats stats();
}
