package org.cti4j.core.spi;

/** Hears one media session's events. Called from media threads; the core hands each to the owner's strand. */
public interface MediaListener {

    /** The far end sent a DTMF key (RFC 4733 telephone-event). */
    default void onDtmf(char digit) {
    }

    /** No RTP arrived for the configured inactivity time while media should flow. */
    default void onInactivity() {
    }
}
