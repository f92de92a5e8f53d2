package org.cti4j.core.spi;

/** A media operation that cannot be done, with the SIP status that best reports it (488, 503, ...). */
public class MediaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int sipStatus;

    /**
     * Creates the exception.
     *
     * @param sipStatus the SIP status that reports the failure: 488 for no common codec, 503 for no free port
     * @param message what went wrong
     */
    public MediaException(int sipStatus, String message) {
        super(message);
        this.sipStatus = sipStatus;
    }

    /** Returns the SIP status that reports the failure. */
    public int sipStatus() {
        return sipStatus;
    }
}
