package org.cti4j.core.internal;

import java.lang.reflect.Field;
import org.cti4j.api.Resource;
import org.cti4j.core.CoreEngine;

/** What tests outside this package may reach of the engine's internals: nothing a production caller could. */
public final class Internals {

    private Internals() {
    }

    /** Runs {@code task} on the strand of {@code resource}, as an application thread's command would wait its turn. */
    public static void post(Resource resource, Runnable task) {
        ((AbstractResource) resource).post(task);
    }

    /** Returns the context of {@code engine}'s resources. */
    static EngineContext context(CoreEngine engine) {
        try {
            Field runtime = CoreEngine.class.getDeclaredField("engine");
            runtime.setAccessible(true);
            Field ctx = Engine.class.getDeclaredField("ctx");
            ctx.setAccessible(true);
            return (EngineContext) ctx.get(runtime.get(engine));
        } catch (ReflectiveOperationException e) {
            throw new LinkageError("the engine's fields moved", e);
        }
    }
}
