/**
 * The RTP media engine implementing the cti4j media SPI
 * ({@code org.cti4j.core.spi.MediaProvider}). Arrives with the media issue;
 * this module holds no code yet.
 */
package org.cti4j.media;
