package org.cti4j.media;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of an {@link RtpMediaProvider}. Build with {@link #builder()}; every setting has a default.
 *
 * @param bindAddress the local IP address the RTP sockets bind to (default {@code 127.0.0.1})
 * @param advertisedAddress the address put in offers and answers (default: the bind address, or this host's address
 *     when binding to the wildcard address)
 * @param firstPort the lowest RTP port (default 20000); RTP uses the even ports, RTCP the odd port above
 * @param lastPort the highest port of the range, RTCP included (default 29999)
 * @param workers the number of media worker threads (default: the number of processors)
 * @param inactivityTimeout how long without RTP, while media should flow, before the session reports inactivity
 *     (default 30 s)
 * @param ringbackFrequency the ringback tone's frequency in Hz (default 450)
 * @param ringbackOn how long each ring lasts (default 1 s)
 * @param ringbackOff the pause between rings (default 4 s)
 * @param srtp whether calls use SRTP (default {@link SrtpMode#OFF}: SDES keys are only secret over TLS signalling)
 */
public record RtpMediaConfig(String bindAddress, String advertisedAddress, int firstPort, int lastPort, int workers,
        Duration inactivityTimeout, int ringbackFrequency, Duration ringbackOn, Duration ringbackOff, SrtpMode srtp) {

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException if a port is out of 1024-65535, the range holds no RTP/RTCP pair, workers is
     *     not positive, or a duration or frequency is not positive
     */
    public RtpMediaConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(inactivityTimeout, "inactivityTimeout");
        Objects.requireNonNull(ringbackOn, "ringbackOn");
        Objects.requireNonNull(ringbackOff, "ringbackOff");
        Objects.requireNonNull(srtp, "srtp");
        if (firstPort < 1024 || lastPort > 65535 || firstPort + (firstPort & 1) + 1 > lastPort) {
            throw new IllegalArgumentException("RTP port range " + firstPort + "-" + lastPort
                    + " must lie within 1024-65535 and hold at least one even port and the port above it");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
        if (inactivityTimeout.isNegative() || inactivityTimeout.isZero()) {
            throw new IllegalArgumentException("inactivity timeout must be positive, not " + inactivityTimeout);
        }
        if (ringbackFrequency <= 0 || ringbackFrequency >= 4000) {
            throw new IllegalArgumentException("ringback frequency must be within 1-3999 Hz, not " + ringbackFrequency);
        }
        if (ringbackOn.isNegative() || ringbackOn.isZero() || ringbackOff.isNegative()) {
            throw new IllegalArgumentException("ringback cadence " + ringbackOn + " on, " + ringbackOff
                    + " off is not valid");
        }
    }

    /** Returns the default settings. */
    public static RtpMediaConfig defaults() {
        return builder().build();
    }

    /** Returns a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link RtpMediaConfig}. Not thread-safe. */
    public static final class Builder {

        private String bindAddress = "127.0.0.1";
        private String advertisedAddress;
        private int firstPort = 20000;
        private int lastPort = 29999;
        private int workers = Runtime.getRuntime().availableProcessors();
        private Duration inactivityTimeout = Duration.ofSeconds(30);
        private int ringbackFrequency = 450;
        private Duration ringbackOn = Duration.ofSeconds(1);
        private Duration ringbackOff = Duration.ofSeconds(4);
        private SrtpMode srtp = SrtpMode.OFF;

        private Builder() {
        }

        /** Sets the local IP address the RTP sockets bind to. */
        public Builder bindAddress(String address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Sets the address put in offers and answers, when it differs from the bind address (NAT, wildcard). */
        public Builder advertisedAddress(String address) {
            this.advertisedAddress = address;
            return this;
        }

        /** Sets the port range, e.g. 20000 to 29999. */
        public Builder rtpPorts(int first, int last) {
            this.firstPort = first;
            this.lastPort = last;
            return this;
        }

        /** Sets the number of media worker threads. */
        public Builder workers(int count) {
            this.workers = count;
            return this;
        }

        /** Sets how long without RTP before a session reports inactivity. */
        public Builder inactivityTimeout(Duration timeout) {
            this.inactivityTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Sets the ringback tone. */
        public Builder ringback(int frequencyHz, Duration on, Duration off) {
            this.ringbackFrequency = frequencyHz;
            this.ringbackOn = Objects.requireNonNull(on, "on");
            this.ringbackOff = Objects.requireNonNull(off, "off");
            return this;
        }

        /** Sets whether calls use SRTP; turn it on together with SIP over TLS (see {@link SrtpMode}). */
        public Builder srtp(SrtpMode mode) {
            this.srtp = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Builds the settings.
         *
         * @throws IllegalArgumentException if they are not valid (see {@link RtpMediaConfig})
         */
        public RtpMediaConfig build() {
            return new RtpMediaConfig(bindAddress, advertisedAddress != null ? advertisedAddress : bindAddress,
                    firstPort, lastPort, workers, inactivityTimeout, ringbackFrequency, ringbackOn, ringbackOff, srtp);
        }
    }
}
