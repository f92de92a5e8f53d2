package org.cti4j.sip.internal;

/**
 * Tells the JDK Flight Recorder what cti-sip's events record, when the JVM has the recorder: a runtime built without
 * the {@code jdk.jfr} module never loads an event class, so signalling carries on without it.
 */
final class Flight {

    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private Flight() {
    }

    /**
     * Records {@link InviteAnsweredEvent} if a recording asks for it.
     *
     * @param callId the leg's Call-ID
     * @param mediaPort the local RTP port of the leg's offer
     * @param receivedAt when the stack gave the 2xx to cti-sip ({@link System#nanoTime()})
     */
    static void inviteAnswered(String callId, int mediaPort, long receivedAt) {
        if (PRESENT) {
            Recorder.inviteAnswered(callId, mediaPort, receivedAt);
        }
    }

    /** What touches the event classes, loaded only when {@code jdk.jfr} is present. */
    private static final class Recorder {

        static void inviteAnswered(String callId, int mediaPort, long receivedAt) {
            InviteAnsweredEvent event = new InviteAnsweredEvent();
            if (!event.isEnabled()) {
                return;
            }
            event.callId = callId;
            event.mediaPort = mediaPort;
            event.sinceReceived = System.nanoTime() - receivedAt;
            event.commit();
        }
    }
}
