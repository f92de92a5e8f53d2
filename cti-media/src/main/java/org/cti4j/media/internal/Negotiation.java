package org.cti4j.media.internal;

import java.util.ArrayList;
import java.util.List;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.PayloadType;

/**
 * The outcome of offer/answer for one session: the codec to send with (the first of the far end's list that the
 * engine speaks) and its payload type number, the far end's telephone-event number, and which ways media flows.
 *
 * @param codec the codec this side sends with
 * @param payloadType the payload type number the far end listed for it
 * @param telephoneEvent the far end's telephone-event number, or {@code -1} if it offered none
 * @param remoteDirection the direction the far end described (from its point of view)
 */
public record Negotiation(Codec codec, int payloadType, int telephoneEvent, MediaDirection remoteDirection) {

    /** The payload types every local offer lists, in order of preference. */
    public static final List<PayloadType> OFFERED =
            List.of(PayloadType.PCMU, PayloadType.PCMA, PayloadType.TELEPHONE_EVENT);

    /**
     * Picks the codec of a far end's description.
     *
     * @throws MediaException with status 488 if it lists no codec the engine speaks
     */
    public static Negotiation of(MediaDescription remote) {
        for (PayloadType type : remote.payloadTypes()) {
            Codec codec = Codec.of(type);
            if (codec != null) {
                int telephoneEvent = remote.telephoneEvent().map(PayloadType::number).orElse(-1);
                return new Negotiation(codec, type.number(), telephoneEvent, remote.direction());
            }
        }
        throw new MediaException(488, "no common codec: the far end offers " + remote.payloadTypes()
                + ", this side speaks PCMU and PCMA");
    }

    /** Returns the payload types of this side's answer: the chosen codec, and telephone-event if offered. */
    public List<PayloadType> answerTypes() {
        List<PayloadType> types = new ArrayList<>(2);
        types.add(new PayloadType(payloadType, codec.name(), 8000));
        if (telephoneEvent >= 0) {
            types.add(new PayloadType(telephoneEvent, PayloadType.TELEPHONE_EVENT.encoding(), 8000));
        }
        return types;
    }

    /** Returns whether this side may send to the far end: it receives (sendrecv or recvonly on its side). */
    public boolean sends() {
        return remoteDirection == MediaDirection.SENDRECV || remoteDirection == MediaDirection.RECVONLY;
    }

    /** Returns whether the far end should be sending to this side (sendrecv or sendonly on its side). */
    public boolean receives() {
        return remoteDirection == MediaDirection.SENDRECV || remoteDirection == MediaDirection.SENDONLY;
    }
}
