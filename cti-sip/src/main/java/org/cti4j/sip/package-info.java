/**
 * JAIN-SIP implementation of the cti4j signalling SPI
 * ({@code org.cti4j.core.spi.SignalingProvider}). Arrives with the SIP issue;
 * this module holds no code yet.
 */
package org.cti4j.sip;
