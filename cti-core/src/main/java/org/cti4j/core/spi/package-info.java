/**
 * The service provider interfaces the engine core drives: {@link org.cti4j.core.spi.SignalingProvider} (SIP,
 * implemented by {@code cti-sip}) and {@link org.cti4j.core.spi.MediaProvider} (RTP, implemented by
 * {@code cti-media}).
 *
 * <pre>
 *   CallResource / DuoCallbackResource / ConferenceResource   (one strand each)
 *        │ dial, answer, reject, redirect, cancel, hangup      │ createSession, play, record, connect, mixer
 *        ▼                                                     ▼
 *   SignalingProvider ──LegListener events──▶ core     MediaProvider ──MediaListener / completion events──▶ core
 * </pre>
 *
 * <h2>Contract for implementations</h2>
 * <ul>
 *   <li>No method blocks: each starts the work and returns; outcomes arrive later through the listeners. The one
 *       exception is {@link org.cti4j.core.spi.MediaSession#close()}, which finishes a recording's file (a short,
 *       bounded write) before it returns.</li>
 *   <li>Listener methods may be called from any thread, one at a time per leg or session; the core hands each
 *       event to the owning resource's strand, so listeners return at once.</li>
 *   <li>After the core ends a leg ({@code cancel}, {@code reject}, {@code redirect}, {@code hangup}) the provider
 *       completes the exchange on its own (waits for 487, sends ACK and BYE if a 200 crosses a CANCEL, ...); further
 *       events of that leg are ignored by the core.</li>
 *   <li>SDP stays in the signalling provider: the two meet through the neutral {@link
 *       org.cti4j.core.spi.MediaDescription}.</li>
 *   <li>Closing a media session detaches it from every connection and mixer it is part of.</li>
 * </ul>
 */
package org.cti4j.core.spi;
