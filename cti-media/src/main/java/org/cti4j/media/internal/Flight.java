package org.cti4j.media.internal;

import jdk.jfr.EventType;

/**
 * Tells the JDK Flight Recorder what cti-media's events record, when the JVM has the recorder: a runtime built
 * without the {@code jdk.jfr} module never loads an event class, so media carries on without it.
 */
final class Flight {

    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private Flight() {
    }

    /** Returns whether a recording asks for {@link MediaTickEvent}. Allocates nothing: called at every tick. */
    static boolean recordingTicks() {
        return PRESENT && Recorder.TICKS.isEnabled();
    }

    /**
     * Records {@link MediaTickEvent}; call only when {@link #recordingTicks()}.
     *
     * @param lateness from the tick's nominal time to its start, in nanoseconds
     * @param work how long the tick took, in nanoseconds
     * @param ticking the sessions and mixers ticked
     */
    static void tick(long lateness, long work, int ticking) {
        Recorder.tick(lateness, work, ticking);
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

        static final EventType TICKS = EventType.getEventType(MediaTickEvent.class);

        static void tick(long lateness, long work, int ticking) {
            MediaTickEvent event = new MediaTickEvent();
            event.lateness = lateness;
            event.work = work;
            event.ticking = ticking;
            event.commit();
        }

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
