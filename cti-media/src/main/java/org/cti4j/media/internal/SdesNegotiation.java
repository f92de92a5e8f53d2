package org.cti4j.media.internal;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.SdesCrypto;
import org.cti4j.media.SrtpMode;

/**
 * The SRTP half of offer/answer (RFC 4568, SDES) for one session, as the {@link SrtpMode} says. This side offers
 * {@code AES_CM_128_HMAC_SHA1_80} then {@code _32}, each with a fresh key, and answers with the first usable line of
 * an offer, with the same tag and suite and a fresh key of its own.
 *
 * <p>A line is usable when its suite is one of those two, it carries one {@code inline:} key of the suite's length
 * (a lifetime of 2^31 packets or more is accepted, as keys are never renewed within a call; an MKI is not supported,
 * as its packets carry the MKI field), and it has no session parameters (such as {@code UNENCRYPTED_SRTP}, {@code KDR} or
 * {@code FEC_ORDER}): this side supports none of them, so such a line is skipped.
 */
final class SdesNegotiation {

    /** The suites this side offers, in order of preference. */
    static final List<SrtpContext.Suite> OFFERED =
            List.of(SrtpContext.Suite.AES_CM_128_HMAC_SHA1_80, SrtpContext.Suite.AES_CM_128_HMAC_SHA1_32);

    private SdesNegotiation() {
    }

    /**
     * The keys of an SRTP session: the suite, this side's master key and salt (it sends with them) and the far end's
     * (it receives with them), 30 bytes each.
     */
    static final class Keys {

        private final SrtpContext.Suite suite;
        private final byte[] local;
        private final byte[] remote;
        private final SrtpContext outbound;
        private final SrtpContext inbound;

        /**
         * Derives the contexts at once, on the negotiating thread, so that the worker only switches to them and a
         * failure reaches the caller instead of leaving the session sending in clear.
         */
        Keys(SrtpContext.Suite suite, byte[] local, byte[] remote) {
            this.suite = suite;
            this.local = local.clone();
            this.remote = remote.clone();
            this.outbound = SdesKeys.context(suite, local);
            this.inbound = SdesKeys.context(suite, remote);
        }

        SrtpContext.Suite suite() {
            return suite;
        }

        /** Returns the context protecting with this side's key (the same one each time). */
        SrtpContext outbound() {
            return outbound;
        }

        /** Returns the context unprotecting with the far end's key (the same one each time). */
        SrtpContext inbound() {
            return inbound;
        }

        /** Returns whether {@code other} protects with the same suite and key as this. */
        boolean sameOutbound(Keys other) {
            return suite == other.suite && MessageDigest.isEqual(local, other.local);
        }

        /** Returns whether {@code other} unprotects with the same suite and key as this. */
        boolean sameInbound(Keys other) {
            return suite == other.suite && MessageDigest.isEqual(remote, other.remote);
        }

        /** Names the suite only: the keys must never reach a log. */
        @Override
        public String toString() {
            return "Keys[" + suite + "]";
        }
    }

    /** This side's part of a negotiation: its crypto lines and profile, and the keys once both sides are known. */
    record Outcome(List<SdesCrypto> lines, boolean secureProfile, Keys keys) {

        static final Outcome PLAIN = new Outcome(List.of(), false, null);
    }

    /** Returns the crypto lines of this side's offer: none when SRTP is off, else one per suite, fresh keys. */
    static List<SdesCrypto> offerLines(SrtpMode mode) {
        if (mode == SrtpMode.OFF) {
            return List.of();
        }
        List<SdesCrypto> lines = new ArrayList<>(OFFERED.size());
        for (int i = 0; i < OFFERED.size(); i++) {
            lines.add(new SdesCrypto(i + 1, OFFERED.get(i).name(), SdesKeys.inline(SdesKeys.random30()), ""));
        }
        return lines;
    }

    /**
     * Answers a far end's offer.
     *
     * @throws MediaException with status 488 if the offer requires SRTP and SRTP is off, or if SRTP is required (by
     *     the mode, or by the offer's RTP/SAVP) and the offer has no usable crypto line
     */
    static Outcome answer(SrtpMode mode, MediaDescription offer) {
        if (mode == SrtpMode.OFF) {
            if (offer.secureProfile()) {
                throw new MediaException(488, "the far end requires SRTP (RTP/SAVP) and SRTP is off (media.srtp)");
            }
            return Outcome.PLAIN;
        }
        for (SdesCrypto line : offer.crypto()) {
            byte[] remote = usable(line);
            if (remote != null) {
                byte[] local = SdesKeys.random30();
                SrtpContext.Suite suite = SrtpContext.Suite.of(line.suite()).orElseThrow();
                SdesCrypto answer = new SdesCrypto(line.tag(), suite.name(), SdesKeys.inline(local), "");
                return new Outcome(List.of(answer), offer.secureProfile(), new Keys(suite, local, remote));
            }
        }
        if (mode == SrtpMode.MANDATORY || offer.secureProfile()) {
            throw new MediaException(488, "no usable SRTP crypto line: the far end offers " + offer.crypto()
                    + ", this side takes " + OFFERED + " with one inline key and no session parameters");
        }
        return Outcome.PLAIN;
    }

    /**
     * Reads the far end's description against this side's crypto lines (those it offered, or the one it answered
     * with): the far end's line of the same tag and suite, else (a re-offer may renumber) of the same suite.
     *
     * @return the keys, or {@code null} for plain RTP
     * @throws MediaException with status 488 if SRTP is mandatory (or was negotiated with RTP/SAVP) and the far end's
     *     description has no line that fits
     */
    static Keys accept(SrtpMode mode, List<SdesCrypto> ours, MediaDescription remote) {
        if (mode == SrtpMode.OFF || ours.isEmpty()) {
            return null;
        }
        Keys keys = match(ours, remote, true);
        if (keys == null) {
            keys = match(ours, remote, false);
        }
        if (keys == null && (mode == SrtpMode.MANDATORY || remote.secureProfile())) {
            throw new MediaException(488, "the far end's SDP has no usable SRTP crypto line matching this side's: "
                    + remote.crypto());
        }
        return keys;
    }

    private static Keys match(List<SdesCrypto> ours, MediaDescription remote, boolean sameTag) {
        for (SdesCrypto theirs : remote.crypto()) {
            byte[] remoteKey = usable(theirs);
            if (remoteKey == null) {
                continue;
            }
            for (SdesCrypto own : ours) {
                if ((!sameTag || own.tag() == theirs.tag()) && own.suite().equalsIgnoreCase(theirs.suite())) {
                    byte[] localKey = usable(own);
                    if (localKey != null) {
                        return new Keys(SrtpContext.Suite.of(own.suite()).orElseThrow(), localKey, remoteKey);
                    }
                }
            }
        }
        return null;
    }

    /** Returns the master key and salt of a line this side can use, or {@code null} to skip it. */
    static byte[] usable(SdesCrypto line) {
        if (SrtpContext.Suite.of(line.suite()).isEmpty() || !line.sessionParams().isBlank()
                || line.keyParams().indexOf(';') >= 0) {
            return null;
        }
        try {
            return SdesKeys.parse(line.keyParams());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
