package org.cti4j.media.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A JDK Flight Recorder event: a media thread ran one tick of its 20 ms clock (every session and mixer it owns sent,
 * mixed and recorded a frame). {@link #lateness} is how long after the tick's nominal time it began, which is how
 * accurate the clock is under load; {@link #work} how long the tick took. The event's thread is the media thread. Off
 * unless a recording enables it by name ({@code org.cti4j.media.Tick}): each media thread ticks 50 times a second.
 */
@Name(MediaTickEvent.NAME)
@Label("Media Tick")
@Category({"cti4j", "Media"})
@Description("A media thread ran one tick of its 20 ms clock")
@StackTrace(false)
@Enabled(false)
final class MediaTickEvent extends Event {

    /** The event's name in a recording. */
    static final String NAME = "org.cti4j.media.Tick";

    @Label("Lateness")
    @Description("From the tick's nominal time to the moment it began")
    @Timespan(Timespan.NANOSECONDS)
    long lateness;

    @Label("Work")
    @Description("How long the tick took")
    @Timespan(Timespan.NANOSECONDS)
    long work;

    @Label("Ticking")
    @Description("The sessions and mixers the thread ticked")
    int ticking;
}
