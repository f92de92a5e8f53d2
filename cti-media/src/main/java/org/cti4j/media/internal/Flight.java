package org.cti4j.media.internal;

/**
 * Tells the JDK Flight Recorder what cti-media's events record, when the JVM has the recorder: a runtime built
 * without the {@code jdk.jfr} module never loads an event class, so media carries on without it.
 */
final class Flight {

    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private Flight() {
    }

    /**
     * Records {@link FirstRelayedPacketEvent} for {@code connection}, whose head payload the sink has just sent, if
     * a recording asks for it. Sink worker only.
     */
    static void firstRelayed(RtpConnection connection) {
        if (PRESENT) {
            Recorder.firstRelayed(connection);
        }
    }

    /** What touches the event classes, loaded only when {@code jdk.jfr} is present. */
    private static final class Recorder {

        static void firstRelayed(RtpConnection connection) {
            FirstRelayedPacketEvent event = new FirstRelayedPacketEvent();
            if (!event.isEnabled()) {
                return;
            }
            long now = System.nanoTime();
            event.sourcePort = connection.source.localPort();
            event.sinkPort = connection.sink.localPort();
            event.sinceConnect = now - connection.createdAt;
            event.sinceArmed = now - connection.armedAt;
            event.sinceReceived = now - connection.ring.headReceivedAt();
            event.commit();
        }
    }
}
