package org.cti4j.core.internal;

import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one resource's listener methods in order, one at a time, on the engine's event executor — never on the
 * resource's strand, so a slow or throwing listener cannot stall signalling. A listener that throws is logged and
 * the next event is still delivered.
 */
final class EventDispatcher {

    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    private final String resId;
    private final Strand serial;

    EventDispatcher(String resId, Executor eventExecutor, Object group) {
        this.resId = resId;
        this.serial = new Strand(resId + "/events", eventExecutor, group);
    }

    /** Queues a listener call; {@code what} names it in the log if it throws. */
    void dispatch(String what, Runnable call) {
        serial.execute(() -> {
            try {
                call.run();
            } catch (RuntimeException | Error e) {
                log.warn("{}: the listener's {} threw; the engine goes on", resId, what, e);
            }
        });
    }
}
