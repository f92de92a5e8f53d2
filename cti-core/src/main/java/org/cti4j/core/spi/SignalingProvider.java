package org.cti4j.core.spi;

import org.cti4j.api.EngineStatistics;
import org.cti4j.api.SipUri;

/**
 * Signalling: places and receives call legs. Implemented by {@code cti-sip} on JAIN-SIP; by
 * {@code org.cti4j.core.testing.ScriptedSignaling} (module cti-core-testing) in unit tests. See the package
 * documentation for the contract.
 */
public interface SignalingProvider extends AutoCloseable {

    /**
     * Starts listening. From now on inbound calls are handed to {@code handler}.
     *
     * @throws org.cti4j.api.EngineFailureException if it cannot start (its port is taken, ...)
     */
    void start(InboundCallHandler handler);

    /**
     * Places an outbound leg: sends the INVITE carrying {@code offer}. Never blocks; every outcome, a failure to
     * send included, arrives through {@code listener}.
     *
     * @param from the caller
     * @param to the callee
     * @param offer the local media offer
     * @param listener hears the leg's events
     * @return the leg, to cancel or hang up
     */
    OutboundLeg dial(SipUri from, SipUri to, MediaDescription offer, LegListener listener);

    /**
     * Returns what the provider has sent and received since it started, and its registrations (see
     * {@link EngineStatistics.Signaling}). Any thread; must not block on I/O. The default counts nothing.
     */
    default EngineStatistics.Signaling statistics() {
        return EngineStatistics.Signaling.NONE;
    }

    /** Stops: ends what is left of every leg and frees sockets and threads. Safe to call twice. */
    @Override
    void close();

    /** Receives inbound legs. */
    @FunctionalInterface
    interface InboundCallHandler {

        /**
         * Called once for every new inbound leg (after 100 Trying was sent). Returns the listener that hears the
         * leg's events from then on; the provider delivers none before this returns.
         */
        LegListener onInboundCall(InboundLeg leg);

        /**
         * Returns whether the engine refuses new inbound calls now, and the {@code Retry-After} to answer them with
         * ({@code null} while it takes them): while it drains, or while it is at its limit of live calls. The
         * provider asks before it makes a leg of a new INVITE, and for every health probe (SIP OPTIONS, as a proxy in
         * front of several engines sends), and answers both 503 with the {@code Retry-After} while it is refused, so
         * that the proxy sends the calls elsewhere. Cheap and thread-safe. The default takes every call.
         */
        default java.time.Duration refusal() {
            return null;
        }
    }
}
