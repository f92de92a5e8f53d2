package org.cti4j.media.internal;

/**
 * The basic fixed-point operations of GSM 06.10 (section 5.1): 16-bit saturating arithmetic, Q15 multiplication and
 * division, normalisation and shifts, exactly as the recommendation defines them, so that {@link GsmEncoder} gives
 * the reference bit stream.
 */
public final class GsmMath {

    private GsmMath() {
    }

    public static int saturate(int value) {
        return Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value));
    }

    public static int add(int a, int b) {
        return saturate(a + b);
    }

    public static int sub(int a, int b) {
        return saturate(a - b);
    }

    public static int mult(int a, int b) {
        if (a == Short.MIN_VALUE && b == Short.MIN_VALUE) {
            return Short.MAX_VALUE;
        }
        return (a * b) >> 15;
    }

    public static int multR(int a, int b) {
        if (a == Short.MIN_VALUE && b == Short.MIN_VALUE) {
            return Short.MAX_VALUE;
        }
        return (a * b + 16384) >> 15;
    }

    public static int abs(int a) {
        return a < 0 ? (a == Short.MIN_VALUE ? Short.MAX_VALUE : -a) : a;
    }

    public static int lAdd(int a, int b) {
        long sum = (long) a + b;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, sum));
    }

    /** Returns how far a 32-bit value can be shifted left before it overflows. */
    public static int norm(int a) {
        if (a < 0) {
            if (a <= -1073741824) {
                return 0;
            }
            a = ~a;
        }
        return Integer.numberOfLeadingZeros(a) - 1;
    }

    /** Returns num / denum in Q15, for 0 <= num <= denum. */
    public static int div(int num, int denum) {
        if (num == 0) {
            return 0;
        }
        int result = 0;
        int remainder = num;
        for (int k = 0; k < 15; k++) {
            result <<= 1;
            remainder <<= 1;
            if (remainder >= denum) {
                remainder -= denum;
                result++;
            }
        }
        return result;
    }

    public static int asl(int a, int n) {
        if (n >= 16) {
            return 0;
        }
        if (n <= -16) {
            return a < 0 ? -1 : 0;
        }
        return n < 0 ? asr(a, -n) : a << n;
    }

    public static int asr(int a, int n) {
        if (n >= 16) {
            return a < 0 ? -1 : 0;
        }
        if (n <= -16) {
            return 0;
        }
        return n < 0 ? a << -n : a >> n;
    }
}
