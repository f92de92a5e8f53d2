/**
 * The RTP media engine of cti4j: {@link org.cti4j.media.RtpMediaProvider} implements the media SPI
 * ({@code org.cti4j.core.spi.MediaProvider}) in pure Java — G.711 RTP sessions with RFC 4733 DTMF, WAV playback,
 * recording (WAV PCM, A-law, µ-law, IMA ADPCM, GSM 06.10, MP3), relaying bridges and N-party mixers.
 * {@link org.cti4j.media.RtpMediaProviderFactory} creates it for an engine built through
 * {@code CtiEngine.builder()}.
 *
 * <p>Only the provider, its factory and configuration, {@link org.cti4j.media.RtpSession} and
 * {@link org.cti4j.media.RtpStats} are API; the implementation is in {@code org.cti4j.media.internal}, left out of the
 * javadoc. Classes named below without a link are in that package.
 *
 * <h2>Threads</h2>
 *
 * A provider starts these threads, all daemons, and {@link org.cti4j.media.RtpMediaProvider#close()} ends them all:
 *
 * <pre>
 *   thread                     how many                      what runs on it                       may block?
 *   cti-media-worker-N         RtpMediaConfig.workers()      the sessions, connections and mixers  never
 *                              (default: the cores)          it owns: read sockets, decode, relay,
 *                                                            mix, encode, send, every 20 ms
 *   cti-media-io               1                             pumps playbacks (read, decode,        never on a file
 *                                                            resample into a ring) and recordings  open or a name
 *                                                            (drain a ring into the file writer)   lookup
 *   cti-media-io-open-N        2, plus one for each stuck    opening files (a FIFO's open blocks   yes: that is
 *                              open (at most MAX_STUCK)      until its other end opens)            what they are for
 *   the engine's strands and   -                             the SPI methods (createSession,       never: they hand
 *   any other caller                                         answer, play, record, connect, ...)   the work over
 * </pre>
 *
 * A session, a connection's sink and a mixer each belong to one worker for life: the fields a class marks "worker
 * only" are touched on that thread and need no lock. Work from other threads is posted to the worker
 * ({@code MediaWorker.execute}); a listener of the media SPI is called on a worker and must not block.
 *
 * <h2>What guards what</h2>
 *
 * <ul>
 *   <li>Handing audio between threads: {@code PcmRing} and {@code PacketRing} are single-producer, single-consumer
 *       rings; each index is a {@code volatile} written by one side only (the producer's write index, the
 *       consumer's read index), so no lock and no allocation is needed per frame.</li>
 *   <li>A session's or a mixer's current playback and recording: an {@code AtomicReference} each, swapped by
 *       {@code getAndSet}, so a new one replaces and completes the old exactly once from any thread; the
 *       {@code closed} flag of a session, connection, mixer or provider is an {@code AtomicBoolean} set once by
 *       {@code compareAndSet}, so closing twice is safe.</li>
 *   <li>Completion of an operation ({@code Playback}, {@code Recording}): an {@code AtomicBoolean completed}, so its
 *       listener hears exactly one completion whichever thread ends it.</li>
 *   <li>A recording's file: the one {@code ReentrantLock} of {@code Recording} guards its writer and its pending
 *       open, because three threads reach them: the I/O thread drains into the writer, an opener thread finishes
 *       the open, and the closing thread ({@code RtpSession.close()}) finishes the file before {@code close}
 *       returns. The lock is held for short writes only, never while a file opens.</li>
 *   <li>Counters read by {@link org.cti4j.media.RtpSession#stats()}: atomics or {@code volatile} fields written by
 *       the owning worker only.</li>
 *   <li>The free RTP ports ({@code PortPool}) and the opener's pool size: {@code synchronized}, short, never held
 *       across I/O.</li>
 * </ul>
 */
package org.cti4j.media;
