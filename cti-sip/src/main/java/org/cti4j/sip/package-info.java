/**
 * SIP signalling for cti4j on JAIN-SIP: {@link org.cti4j.sip.SipSignalingProvider} implements the engine's
 * {@link org.cti4j.core.spi.SignalingProvider}, so an engine built with it places and receives real calls with any
 * standard SIP endpoint, gateway or PBX over UDP and TCP. {@link org.cti4j.sip.SipConfig} configures it, and
 * {@link org.cti4j.sip.SipSignalingProviderFactory} lets {@link java.util.ServiceLoader} find it. Accounts
 * ({@link org.cti4j.sip.SipAccount}) are registered with their registrars from start to close; their state is a
 * {@link org.cti4j.sip.SipRegistration}, heard of through a {@link org.cti4j.sip.RegistrationListener}. Everything
 * else is in {@code org.cti4j.sip.internal}, which is not an API.
 *
 * <pre>
 *  JAIN-SIP stack thread ──SipListener──▶ RequestRouter ──▶ leg executor (one per call leg)
 *                                                            │ UAC / UAS state, SDP ↔ MediaDescription
 *  engine strand ──cancel / answer / hangup ───────────────▶ │ (handed to the same leg executor)
 *                                                            ▼
 *                                                  LegListener (back to the engine)
 * </pre>
 *
 * <h2>Threads</h2>
 *
 * <table>
 *   <caption>What runs on which thread</caption>
 *   <tr><th>Thread (name)</th><th>Started by</th><th>What runs there</th></tr>
 *   <tr><td>UDP and TCP readers, the stack's worker pool ({@code THREAD_POOL_SIZE}), its event scanner</td>
 *       <td>JAIN-SIP</td>
 *       <td>Parsing, transactions, and the router: it screens a request (refusing the malformed), answers those
 *       outside any call, and hands every other event to its leg's executor. Never blocks; never touches a leg's
 *       state.</td></tr>
 *   <tr><td>{@code cti4j-sip-N-timer} (daemon)</td><td>JAIN-SIP, through {@code StackTimer}</td>
 *       <td>The stack's RFC 3261 transaction and dialog timers.</td></tr>
 *   <tr><td>{@code cti4j-sip-N} (daemon, {@link org.cti4j.sip.SipConfig#threads()} of them)</td>
 *       <td>the provider</td>
 *       <td>The legs' serial executors ({@link org.cti4j.core.spi.SerialExecutor}): all of a leg's state (its
 *       state enum, dialog, transactions, local SDP) is read and written only there, and the engine's
 *       {@link org.cti4j.core.spi.LegListener} is called there. A leg method called elsewhere throws
 *       {@link java.lang.IllegalStateException}. Each account's registration has a serial executor of its own on the
 *       same threads, where its state lives and its {@link org.cti4j.sip.RegistrationListener}s are called.</td></tr>
 *   <tr><td>{@code cti4j-sip-timer-N} (daemon)</td><td>the provider</td>
 *       <td>The missing-ACK timer of each answered inbound leg (which only queues work on the leg's executor) and
 *       the stack audit every 5 s; the registrations' refresh, retry and keep-alive timers (which, too, only queue
 *       work on their executors).</td></tr>
 *   <tr><td>the caller's</td><td>the engine or the application</td>
 *       <td>{@code start}, {@code dial} and the legs' commands queue their work and return; {@code close} blocks
 *       for at most {@link org.cti4j.sip.SipConfig#closeDrain()} and must not be called on a leg's executor.</td></tr>
 * </table>
 *
 * <p>{@link org.cti4j.sip.SipSignalingProvider#close()} stops all of these: after it, no thread the provider or its
 * stack started remains, and a program whose last engine is closed exits.
 *
 * <p>JAIN-SIP's own logging goes to SLF4J (logger {@code org.cti4j.sip.stack}; logger {@code org.cti4j.sip.messages}
 * at debug level traces every message); log4j is never needed.
 */
package org.cti4j.sip;
