package org.cti4j.media;

/**
 * Whether a media session protects its RTP with SRTP (RFC 3711), keyed with SDES (RFC 4568: the keys travel in the
 * SDP's {@code a=crypto} lines).
 *
 * <p>SDES keys are only as secret as the signalling that carries them (RFC 4568 §8.3): over plain UDP or TCP anyone
 * who sees the SIP messages can decrypt the media. Turn SRTP on together with SIP over TLS; that is why the default is
 * {@link #OFF}.
 */
public enum SrtpMode {

    /** Plain RTP only: offers {@code RTP/AVP} without keys, ignores keys in offers, refuses {@code RTP/SAVP} (488). */
    OFF,

    /**
     * SRTP when the far end wants it: offers {@code RTP/AVP} with keys (best-effort SRTP, as many phones do), and
     * answers an offer with a usable key with SRTP and one without with plain RTP.
     */
    OPTIONAL,

    /** SRTP always: offers {@code RTP/SAVP} with keys, refuses an offer without a usable key (488). */
    MANDATORY;

    /**
     * Reads a mode as written in the engine property {@code media.srtp}: {@code off}, {@code optional} or
     * {@code mandatory}, in any case.
     *
     * @throws IllegalArgumentException for any other text
     */
    public static SrtpMode parse(String text) {
        for (SrtpMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("media.srtp must be off, optional or mandatory, not '" + text + "'");
    }
}
