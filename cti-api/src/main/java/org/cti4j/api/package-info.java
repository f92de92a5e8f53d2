/**
 * The cti4j API: a telephony engine whose calls, duo callbacks and conferences are typed resources.
 *
 * <p>An application builds a {@link org.cti4j.api.CtiEngine}, then dials {@link org.cti4j.api.Call}s, starts
 * {@link org.cti4j.api.DuoCallback}s (click-to-call) and creates {@link org.cti4j.api.Conference}s, and hears about
 * them through listener interfaces whose methods are no-op defaults. The names follow the specification
 * ({@code sys.call}, {@code ext.duo_callback}, {@code sys.conf}); each resource is known by its {@code res_id}.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>Non-null by default.</b> Every parameter and return value is non-null unless its javadoc says it may be
 *       {@code null} — only where the specification says a value may be absent (the {@code answer_time} of an
 *       unanswered call, the {@code error} of a successful dial).</li>
 *   <li><b>Validate now, complete later.</b> Operations check their arguments and the resource's state at once and
 *       throw {@link org.cti4j.api.InvalidArgumentException} or {@link org.cti4j.api.InvalidStateException};
 *       the work itself completes asynchronously and is reported through the listener and, for operations that
 *       finish later, a {@link java.util.concurrent.CompletionStage}.</li>
 *   <li><b>Peer failures are events, not exceptions</b>: a busy callee arrives as
 *       {@link org.cti4j.api.CallListener#onDialCompleted} with an error, followed by
 *       {@link org.cti4j.api.CallListener#onReleased}.</li>
 *   <li><b>Threads.</b> Every method of a resource may be called from any thread. Listener methods of one resource
 *       are called one at a time, in order, on the engine's event executor, never on the caller's thread; they must
 *       be quick and must not block. A listener that throws is logged and the engine goes on.</li>
 *   <li><b>Exactly once.</b> Every resource ends with exactly one {@code onReleased}; no listener method of a
 *       resource is called after it.</li>
 * </ul>
 */
package org.cti4j.api;
