/**
 * SIP signalling for cti4j on JAIN-SIP: {@link org.cti4j.sip.SipSignalingProvider} implements the engine's
 * {@link org.cti4j.core.spi.SignalingProvider}, so an engine built with it places and receives real calls with any
 * standard SIP endpoint, gateway or PBX over UDP and TCP.
 *
 * <pre>
 *  JAIN-SIP stack thread ──SipListener──▶ SipSignalingProvider ──▶ leg strand (one per call leg)
 *                                                                   │ UAC / UAS state, SDP ↔ MediaDescription
 *  engine strand ──cancel / answer / hangup ──────────────────────▶ │ (handed to the same leg strand)
 *                                                                   ▼
 *                                                         LegListener (back to the engine)
 * </pre>
 *
 * <p>JAIN-SIP's own logging goes to SLF4J ({@link org.cti4j.sip.Slf4jStackLogger}, logger {@code org.cti4j.sip.stack};
 * {@link org.cti4j.sip.Slf4jServerLogger}, logger {@code org.cti4j.sip.messages} at debug level traces every
 * message); log4j is never needed.
 */
package org.cti4j.sip;
