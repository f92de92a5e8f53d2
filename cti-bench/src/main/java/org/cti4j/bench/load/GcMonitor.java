package org.cti4j.bench.load;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Hears every garbage collection the JVM reports ({@link GarbageCollectionNotificationInfo}) and keeps the pauses:
 * their length (whole milliseconds: {@code GcInfo} has no finer resolution), their collector, action and cause, and
 * the heap in use after each.
 *
 * <p>Collections by concurrent collectors' cycle beans ({@code ... Cycles}, {@code G1 Concurrent GC}) are not
 * pauses and are not counted; collections the harness asked for itself ({@code System.gc()}, to weigh the heap) are
 * kept apart, so that they do not count against the pause target.
 */
final class GcMonitor implements NotificationListener, AutoCloseable {

    /** One pause. */
    record Pause(long atNanos, long millis, String collector, String action, String cause) {
    }

    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final List<Pause> pauses = new ArrayList<>();
    private final List<Pause> requested = new ArrayList<>();
    private volatile long heapAfterLastGc = -1;

    GcMonitor() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this, null, null);
                emitters.add(emitter);
            }
        }
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                (CompositeData) notification.getUserData());
        long after = 0;
        for (MemoryUsage usage : info.getGcInfo().getMemoryUsageAfterGc().values()) {
            after += usage.getUsed();
        }
        heapAfterLastGc = after;
        if (!isPause(info.getGcName())) {
            return;
        }
        Pause pause = new Pause(System.nanoTime(), info.getGcInfo().getDuration(), info.getGcName(),
                info.getGcAction(), info.getGcCause());
        synchronized (this) {
            (info.getGcCause().equals("System.gc()") ? requested : pauses).add(pause);
        }
    }

    /** Returns whether a collector bean of that name reports stop-the-world pauses (not concurrent cycles). */
    static boolean isPause(String collector) {
        String name = collector.toLowerCase(Locale.ROOT);
        return !name.contains("cycles") && !name.contains("concurrent") && !name.equals("zgc");
    }

    /** Returns the heap in use after the last collection of any kind, in bytes, or -1 before the first. */
    long heapAfterLastGc() {
        return heapAfterLastGc;
    }

    /** Returns the pauses so far, without those the harness asked for. */
    synchronized List<Pause> pauses() {
        return List.copyOf(pauses);
    }

    /** Returns the collections the harness asked for ({@code System.gc()}) so far. */
    synchronized List<Pause> requested() {
        return List.copyOf(requested);
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(this);
            } catch (ListenerNotFoundException e) {
                // gone already
            }
        }
    }
}
