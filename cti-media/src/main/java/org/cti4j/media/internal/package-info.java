/**
 * The implementation of cti4j's RTP media engine: sessions, workers, the I/O thread, codecs, rings, file readers and
 * writers. Not an API: its types are public only so that {@link org.cti4j.media.RtpMediaProvider} and the
 * benchmarks can reach them, they change without notice, and the published javadoc leaves them out. The threads and
 * the locking discipline are described in the {@code org.cti4j.media} package documentation.
 */
package org.cti4j.media.internal;
