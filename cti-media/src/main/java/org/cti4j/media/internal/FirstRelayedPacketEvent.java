package org.cti4j.media.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A JDK Flight Recorder event: a media connection (one direction of a bridge) sent its first payload to the sink's
 * far end. Its time is the moment of the send, so that set against the moment the call was answered (cti-sip's
 * {@code org.cti4j.sip.InviteAnswered}, matched by the sessions' ports) it tells how long after the answer the first
 * audio crossed the engine, and of that, how long the engine took to arm the relay ({@link #sinceArmed}), how long
 * it then waited for the far end's next packet, and how long that packet spent in the engine ({@link
 * #sinceReceived}). Recorded only while a recording enables it (by name, {@code org.cti4j.media.FirstRelayedPacket});
 * off, it costs a field check per relayed packet. Only payloads relayed as they came (the same codec on both legs)
 * are seen.
 */
@Name(FirstRelayedPacketEvent.NAME)
@Label("First Relayed Packet")
@Category({"cti4j", "Media"})
@Description("A media connection (one direction of a bridge) sent its first payload on")
@StackTrace(false)
final class FirstRelayedPacketEvent extends Event {

    /** The event's name in a recording. */
    static final String NAME = "org.cti4j.media.FirstRelayedPacket";

    @Label("Source Port")
    @Description("The local RTP port of the session that received the payload")
    int sourcePort;

    @Label("Sink Port")
    @Description("The local RTP port of the session that sent it on")
    int sinkPort;

    @Label("Since Connect")
    @Description("From the moment the engine asked for the connection to the send")
    @Timespan(Timespan.NANOSECONDS)
    long sinceConnect;

    @Label("Since Armed")
    @Description("From the moment the source's media thread began to pass payloads to the connection to the send")
    @Timespan(Timespan.NANOSECONDS)
    long sinceArmed;

    @Label("Since Received")
    @Description("From the moment the source's media thread took the payload in to the send")
    @Timespan(Timespan.NANOSECONDS)
    long sinceReceived;
}
