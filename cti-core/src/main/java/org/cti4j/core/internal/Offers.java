package org.cti4j.core.internal;

import java.util.List;
import java.util.Optional;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.PayloadType;

/** What the engine checks of a caller's media offer before it offers the call to the application. */
final class Offers {

    private Offers() {
    }

    /**
     * Returns why {@code theirs} cannot be answered (it names no codec {@code ours} speaks); empty if it can, or if
     * there is no offer (a late offer is answered with this side's own). Compares encoding names and clock rates.
     */
    static Optional<String> unanswerable(MediaDescription ours, Optional<MediaDescription> theirs) {
        if (theirs.isEmpty()) {
            return Optional.empty();
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
}
