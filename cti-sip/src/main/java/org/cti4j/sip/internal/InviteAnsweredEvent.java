package org.cti4j.sip.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A JDK Flight Recorder event: an outbound leg took in the first 2xx to its INVITE. Its time is the moment the leg
 * took it in, {@link #sinceReceived} after the SIP stack gave the response to cti-sip (the wait for the leg's
 * thread), so that the answer's arrival is the event's time less that. {@link #mediaPort} names the media session
 * the answer is for, as cti-media's {@code org.cti4j.media.FirstRelayedPacket} does: set against each other, they
 * tell how soon after an answer the first audio crossed the engine. Recorded only while a recording enables it (by
 * name, {@code org.cti4j.sip.InviteAnswered}).
 */
@Name(InviteAnsweredEvent.NAME)
@Label("INVITE Answered")
@Category({"cti4j", "SIP"})
@Description("An outbound leg took in the first 2xx to its INVITE")
@StackTrace(false)
final class InviteAnsweredEvent extends Event {

    /** The event's name in a recording. */
    static final String NAME = "org.cti4j.sip.InviteAnswered";

    @Label("Call-ID")
    @Description("The SIP Call-ID of the leg")
    String callId;

    @Label("Media Port")
    @Description("The local RTP port of the offer the INVITE carried (0 if none)")
    int mediaPort;

    @Label("Since Received")
    @Description("From the moment the SIP stack gave the 2xx to cti-sip to the moment the leg took it in")
    @Timespan(Timespan.NANOSECONDS)
    long sinceReceived;
}
