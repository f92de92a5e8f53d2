package org.cti4j.core.internal;

import java.util.List;
import java.util.Optional;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.spi.SdesCrypto;

/** What the engine checks of a caller's media offer before it offers the call to the application. */
final class Offers {

    private Offers() {
    }

    /**
     * Returns why {@code theirs} cannot be answered (it names no codec {@code ours} speaks, or its SRTP does not fit
     * ours); empty if it can, or if there is no offer (a late offer is answered with this side's own). Compares
     * encoding names and clock rates, and the SRTP crypto suites.
     */
    static Optional<String> unanswerable(MediaDescription ours, Optional<MediaDescription> theirs) {
        if (theirs.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> srtp = srtpMismatch(ours, theirs.get());
        if (srtp.isPresent()) {
            return srtp;
        }
        List<PayloadType> own = ours.payloadTypes();
        for (PayloadType offered : theirs.get().payloadTypes()) {
            if (!offered.isTelephoneEvent() && own.stream().anyMatch(pt -> !pt.isTelephoneEvent()
                    && pt.encoding().equalsIgnoreCase(offered.encoding()) && pt.clockRate() == offered.clockRate())) {
                return Optional.empty();
            }
        }
        return Optional.of("no common codec: the caller offers " + theirs.get().payloadTypes());
    }

    /**
     * Returns why the SRTP of {@code theirs} does not fit this side's: this side offers no keys (SRTP off) and they
     * require SRTP (RTP/SAVP), or SRTP is required (by either side) and they name no crypto suite this side offers.
     */
    private static Optional<String> srtpMismatch(MediaDescription ours, MediaDescription theirs) {
        if (ours.crypto().isEmpty()) {
            return theirs.secureProfile()
                    ? Optional.of("the caller requires SRTP (RTP/SAVP) and SRTP is off (media.srtp)")
                    : Optional.empty();
        }
        if (!ours.secureProfile() && !theirs.secureProfile()) {
            return Optional.empty();
        }
        boolean common = theirs.crypto().stream().anyMatch(offered -> ours.crypto().stream()
                .anyMatch(own -> own.suite().equalsIgnoreCase(offered.suite())));
        return common ? Optional.empty()
                : Optional.of("no common SRTP crypto suite: the caller offers " + theirs.crypto().stream()
                        .map(SdesCrypto::suite).toList() + (ours.secureProfile() ? " and SRTP is mandatory" : ""));
    }
}
