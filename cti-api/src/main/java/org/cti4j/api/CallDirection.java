package org.cti4j.api;

/** The direction of a call, as {@code call_dir} of {@code on_released} names it. */
public enum CallDirection {
    /** A call the far end placed to the engine. */
    INBOUND("inbound"),
    /** A call the engine placed ({@link CtiEngine#dial}, or a leg of a duo callback). */
    OUTBOUND("outbound");

    private final String wireName;

    CallDirection(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the specification's name: {@code inbound} or {@code outbound}. */
    public String wireName() {
        return wireName;
    }
}
