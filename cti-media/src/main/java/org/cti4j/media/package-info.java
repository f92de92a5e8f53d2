/**
 * The RTP media engine of cti4j: {@link org.cti4j.media.RtpMediaProvider} implements the media SPI
 * ({@code org.cti4j.core.spi.MediaProvider}) in pure Java — G.711 RTP sessions with RFC 4733 DTMF, WAV playback,
 * recording (WAV PCM, A-law, µ-law, IMA ADPCM, GSM 06.10, MP3), relaying bridges and N-party mixers.
 * {@link org.cti4j.media.RtpMediaProviderFactory} creates it for an engine built through
 * {@code CtiEngine.builder()}.
 *
 * <p>Only the provider, its factory and configuration, and {@link org.cti4j.media.RtpSession} are public; everything
 * else is an implementation detail.
 */
package org.cti4j.media;
