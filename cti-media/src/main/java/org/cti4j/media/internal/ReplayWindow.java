package org.cti4j.media.internal;

/**
 * A sliding replay window (RFC 3711 §3.3.2) of the last 128 packet indexes below the highest one accepted. Checked
 * before authentication, updated only after it succeeds. Not thread-safe.
 */
final class ReplayWindow {

    /** How far below the highest index a packet may arrive and still be accepted once. */
    static final int SIZE = 128;

    private boolean empty = true;
    private long highest;
    /** Bit {@code d} of {@code low} (d < 64) or bit {@code d - 64} of {@code high}: index {@code highest - d} seen. */
    private long low;
    private long high;

    /** Returns whether a packet with this index may be accepted: newer than the highest, or in the window unseen. */
    boolean accepts(long index) {
        if (empty || index > highest) {
            return true;
        }
        long delta = highest - index;
        if (delta >= SIZE) {
            return false;
        }
        return delta < 64 ? (low & (1L << delta)) == 0 : (high & (1L << (delta - 64))) == 0;
    }

    /** Records an authenticated packet's index. */
    void accept(long index) {
        if (empty) {
            empty = false;
            highest = index;
            low = 1;
            high = 0;
        } else if (index > highest) {
            long shift = index - highest;
            if (shift >= SIZE) {
                high = 0;
                low = 0;
            } else if (shift >= 64) {
                high = low << (shift - 64);
                low = 0;
            } else {
                high = (high << shift) | (low >>> (64 - shift));
                low <<= shift;
            }
            low |= 1;
            highest = index;
        } else {
            long delta = highest - index;
            if (delta < 64) {
                low |= 1L << delta;
            } else {
                high |= 1L << (delta - 64);
            }
        }
    }
}
