/**
 * The cti4j engine: {@link org.cti4j.core.CoreEngine} and its builder (to build an engine with providers given by
 * hand, real ones or the test doubles of the {@code cti-core-testing} artifact), the {@link org.cti4j.core.Scheduler}
 * of its timers. ({@link org.cti4j.api.CtiEngine#builder()} builds a {@code CoreEngine} too, through a hook in the
 * internal package.) Providers implement
 * the SPI in {@link org.cti4j.core.spi}; the implementation itself is in {@code org.cti4j.core.internal}, which is
 * not API.
 *
 * <h2>Threads</h2>
 * <pre>
 *   application threads ──operation──▶ resource strand (one per call / duo callback / conference)
 *                        ◀──verdict───   on the strand pool (cti4j-strand-N): state, timers' expiries,
 *                                        provider events; never blocks
 *   provider threads (JAIN-SIP, media workers) ──events──▶ the same strand
 *   timer (cti4j-timer) ──expiry──▶ the same strand
 *   strand ──listener calls, in order──▶ event executor (cti4j-events-N, or the application's)
 * </pre>
 *
 * <ul>
 *   <li>Every engine method may be called from any thread, listeners included. An operation is decided on the
 *       resource's strand and returns its verdict; called on that very strand it runs at once.</li>
 *   <li>A strand never waits: an operation called on the strand of another resource (a listener on a direct event
 *       executor) fails at once with an {@link java.lang.IllegalStateException} saying why.</li>
 *   <li>{@link org.cti4j.core.CoreEngine#close()} called on one of the engine's own threads (a listener) starts the
 *       shutdown and returns without waiting for it.</li>
 * </ul>
 */
package org.cti4j.core;
