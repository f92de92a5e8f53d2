/**
 * The SIP user agent behind {@link org.cti4j.sip.SipSignalingProvider}; not an API, and left out of the javadoc.
 *
 * <ul>
 *   <li>{@code SipAgent}: legs by Call-ID, their pool and timers, start and close;</li>
 *   <li>{@code StackHost}: one JAIN-SIP stack, its lifecycle and the workarounds it needs;</li>
 *   <li>{@code RequestRouter}, {@code RequestScreen}, {@code Responder}: routing, screening and answering what no
 *       leg answers;</li>
 *   <li>{@code SipLeg}, {@code UacLeg}, {@code UasLeg}: the call legs, each an enum of states with its allowed
 *       transitions, run on the leg's serial executor;</li>
 *   <li>the classes JAIN-SIP instantiates by name: {@code StackTimer}, {@code Slf4jStackLogger},
 *       {@code Slf4jServerLogger}, {@code StrictMessageParserFactory}, {@code GuardedNetworkLayer}.</li>
 * </ul>
 *
 * See {@link org.cti4j.sip} for which thread runs what.
 */
package org.cti4j.sip.internal;
