package org.cti4j.api;

import java.util.List;
import java.util.Objects;

/**
 * What an engine's media and signalling have done since it started, read at one moment: the figures an operator's
 * metrics are made of ({@code cti-metrics} turns them into Micrometer meters). Every counter only grows, so a
 * monitoring system can take rates from it; each is exact, and together they are a near snapshot (they are read one
 * after the other while calls go on). From {@link CtiEngine#statistics()}; cti4j's addition to the specification.
 *
 * @param media the RTP sessions and their packets
 * @param signaling the SIP messages and registrations
 */
public record EngineStatistics(Media media, Signaling signaling) {

    /** Checks the parts. */
    public EngineStatistics {
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(signaling, "signaling");
    }

    /**
     * The RTP sessions of the engine and their packets, counted over every session it opened, those closed since
     * included.
     *
     * @param sessionsOpen sessions open now (one per call leg with media)
     * @param sessionsOpened sessions opened since the engine started
     * @param packetsReceived RTP packets accepted from the far ends (audio and telephone events)
     * @param packetsSent RTP packets sent
     * @param packetsDropped datagrams on the RTP ports that were not accepted: not well-formed RTP, a payload type
     *     the session did not negotiate, or from an address that is not the far end's
     * @param packetsLost packets the far ends' sequence numbers skipped: they never came, or came only after a later
     *     one (such a packet also counts as late). A far end that starts a new stream (another SSRC, a jump of more
     *     than 3,000 sequence numbers or a step back of more than 100) starts afresh and loses nothing
     * @param packetsLate packets that came after one with a higher sequence number (reordered or delayed on the way),
     *     or twice; they are still relayed and recorded
     * @param srtpFailures SRTP and SRTCP packets dropped for a wrong authentication tag or as replays
     */
    public record Media(long sessionsOpen, long sessionsOpened, long packetsReceived, long packetsSent,
            long packetsDropped, long packetsLost, long packetsLate, long srtpFailures) {

        /** The figures of media that counts nothing (all zero). */
        public static final Media NONE = new Media(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * The SIP messages the engine received and retransmitted, and its registrations.
     *
     * @param requestsReceived SIP requests received (retransmissions included)
     * @param responsesReceived SIP responses received (retransmissions included)
     * @param retransmissionsReceived requests received again while the engine still handled the first copy: the
     *     peer did not get the engine's answer in time (lost on the way, or the engine was slow)
     * @param retransmissionsSent requests the engine sent again because no answer came in time (RFC 3261's timers
     *     A and E, over UDP): a sign of loss on the way or of a slow or gone peer
     * @param responsesDropped responses dropped unread because nothing in the engine waited for them: no request of
     *     the engine's is in a transaction with their branch, and their Call-ID is no call's and no registration's (a
     *     late copy of a response to a call that has ended, a response meant for another host, or someone probing)
     * @param registrations the engine's registrations with registrars, one per account; empty without accounts
     */
    public record Signaling(long requestsReceived, long responsesReceived, long retransmissionsReceived,
            long retransmissionsSent, long responsesDropped, List<Registration> registrations) {

        /** The figures of signalling that counts nothing (all zero, no registration). */
        public static final Signaling NONE = new Signaling(0, 0, 0, 0, 0, List.of());

        /** Checks the parts and copies the list. */
        public Signaling {
            registrations = List.copyOf(registrations);
        }
    }

    /**
     * Where one account's registration stands.
     *
     * @param account the account's name (as configured)
     * @param aor its address of record
     * @param registered whether the registrar holds the binding now (inbound calls for the account can arrive)
     */
    public record Registration(String account, String aor, boolean registered) {

        /** Checks the parts. */
        public Registration {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(aor, "aor");
        }
    }
}
