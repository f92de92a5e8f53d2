package org.cti4j.api;

/** Which side ended a call, as {@code dropped_by} of {@code on_released} names it. */
public enum DroppedBy {
    /**
     * This side: the application ({@code drop}, {@code redirect}, {@code cancel}) or the engine ({@code
     * max_ring_seconds}, {@code max_answer_seconds}, the inbound answer timeout, RTP inactivity, shutdown).
     */
    SYS("sys"),
    /**
     * The far side: it hung up (BYE), cancelled its call (CANCEL), or the dial failed with a final response (486,
     * 603, or 408 when the SIP transaction got no response at all).
     */
    USR("usr");

    private final String wireName;

    DroppedBy(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the specification's name: {@code sys} or {@code usr}. */
    public String wireName() {
        return wireName;
    }
}
