package org.cti4j.api;

import java.time.Instant;

/**
 * What every resource of the engine has: an id and a life that ends in release.
 *
 * <p>A {@code res_id} has the form {@code <node>-<module>-<process_id>}, for instance
 * {@code 0.0.0-sys.call-23479873432234}: the engine's node id, the module ({@code sys.call},
 * {@code ext.duo_callback}, {@code sys.conf}) and a number unique and strictly increasing within the engine.
 */
public interface Resource {

    /** Returns the resource's {@code res_id}. */
    String resId();

    /** Returns the {@code process_id}: the last part of the {@code res_id}. */
    long processId();

    /** Returns the module the resource belongs to: {@code sys.call}, {@code ext.duo_callback} or {@code sys.conf}. */
    String module();

    /** Returns when the resource was created. */
    Instant beginTime();

    /** Returns whether the resource was released. Once true, it stays true. */
    boolean isReleased();
}
