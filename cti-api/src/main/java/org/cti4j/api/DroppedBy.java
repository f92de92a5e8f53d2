package org.cti4j.api;

/** Which side ended a call, as {@code dropped_by} of {@code on_released} names it. */
public enum DroppedBy {
    /**
     * This side: the application ({@code drop}, {@code redirect}, {@code cancel}) or the engine (a timeout, an error,
     * shutdown).
     */
    SYS("sys"),
    /** The far side: it hung up, rejected the call, cancelled it, or never answered. */
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
