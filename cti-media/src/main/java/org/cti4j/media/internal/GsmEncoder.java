package org.cti4j.media.internal;

import static org.cti4j.media.internal.GsmMath.abs;
import static org.cti4j.media.internal.GsmMath.add;
import static org.cti4j.media.internal.GsmMath.asl;
import static org.cti4j.media.internal.GsmMath.asr;
import static org.cti4j.media.internal.GsmMath.div;
import static org.cti4j.media.internal.GsmMath.lAdd;
import static org.cti4j.media.internal.GsmMath.mult;
import static org.cti4j.media.internal.GsmMath.multR;
import static org.cti4j.media.internal.GsmMath.norm;
import static org.cti4j.media.internal.GsmMath.saturate;
import static org.cti4j.media.internal.GsmMath.sub;

import java.util.Arrays;

/**
 * A GSM 06.10 full-rate (RPE-LTP) encoder in the fixed-point arithmetic of the recommendation: 160 samples of 13-bit
 * linear audio (taken from the top of 16-bit samples) become one 33-byte frame in the layout of libgsm and of raw
 * {@code .gsm} files (a 0xD signature nibble, then 260 bits, most significant first).
 *
 * <pre>
 *   preprocessing (offset compensation, pre-emphasis) ─▶ LPC analysis (8 log-area ratios)
 *   ─▶ short-term analysis filter ─▶ 4 × 40 samples: long-term prediction (lag, gain) ─▶ RPE (grid, APCM)
 * </pre>
 *
 * <p>Keeps the encoder state between frames; one instance per stream, used by one thread.
 */
public final class GsmEncoder {

    /** Samples in one frame. */
    public static final int FRAME_SAMPLES = 160;
    /** Bytes in one encoded frame. */
    public static final int FRAME_BYTES = 33;

    private static final int[] LAR_A = {20480, 20480, 20480, 20480, 13964, 15360, 8534, 9036};
    private static final int[] LAR_B = {0, 0, 2048, -2560, 94, -1792, -341, -1144};
    private static final int[] LAR_MIC = {-32, -32, -16, -16, -8, -8, -4, -4};
    private static final int[] LAR_MAC = {31, 31, 15, 15, 7, 7, 3, 3};
    private static final int[] LAR_INVA = {13107, 13107, 13107, 13107, 19223, 17476, 31454, 29708};
    private static final int[] LAR_BITS = {6, 6, 5, 5, 4, 4, 3, 3};
    private static final int[] DLB = {6554, 16384, 26214, 32767};
    private static final int[] QLB = {3277, 11469, 21299, 32767};
    private static final int[] H = {-134, -374, 0, 2054, 5741, 8192, 5741, 2054, 0, -374, -134};
    private static final int[] NRFAC = {29128, 26215, 23832, 21846, 20165, 18725, 17476, 16384};
    private static final int[] FAC = {18431, 20479, 22527, 24575, 26623, 28671, 30719, 32767};

    // state kept between frames
    private int z1;
    private int lz2;
    private int mp;
    private final int[] u = new int[8];
    private final int[][] larpp = new int[2][8];
    private int j;
    /** The reconstructed short-term residual: 120 samples of history, then the current frame's 160. */
    private final int[] dp0 = new int[280];

    // scratch
    private final int[] s = new int[FRAME_SAMPLES];
    private final long[] acf = new long[9];
    private final int[] lar = new int[8];
    private final int[] reflection = new int[8];
    private final int[] schurP = new int[9];
    private final int[] schurK = new int[9];
    private final int[] larc = new int[8];
    private final int[] larp = new int[8];
    private final int[] wt = new int[40];
    private final int[] e = new int[50];
    private final int[] dpp = new int[40];
    private final int[] x = new int[40];
    private final int[] xm = new int[13];
    private final int[] xmc = new int[13];
    private final int[] xmp = new int[13];
    private final GsmBitWriter bits = new GsmBitWriter();
    private int xmaxc;

    /** Encodes one frame of 160 samples into 33 bytes. */
    public void encode(short[] samples, byte[] frame) {
        preprocess(samples);
        lpcAnalysis();
        shortTermAnalysis();
        bits.start(frame);
        bits.put(0xD, 4);
        for (int i = 0; i < 8; i++) {
            bits.put(larc[i], LAR_BITS[i]);
        }
        for (int k = 0; k < 4; k++) {
            encodeSubframe(k);
        }
        System.arraycopy(dp0, 160, dp0, 0, 120);
    }

    // ---- 4.2.1 - 4.2.3: downscaling, offset compensation, pre-emphasis ----

    private void preprocess(short[] samples) {
        for (int k = 0; k < FRAME_SAMPLES; k++) {
            int so = (samples[k] >> 3) << 2;
            int s1 = so - z1;
            z1 = so;
            int ls2 = s1 << 15;
            int msp = lz2 >> 15;
            int lsp = lz2 - (msp << 15);
            ls2 += multR(lsp, 32735);
            lz2 = lAdd(msp * 32735, ls2);
            int ltemp = lAdd(lz2, 16384);
            int msp2 = multR(mp, -28180);
            mp = ltemp >> 15;
            s[k] = add(mp, msp2);
        }
    }

    // ---- 4.2.4 - 4.2.7: LPC analysis ----

    private void lpcAnalysis() {
        autocorrelation();
        int[] r = reflectionCoefficients();
        for (int i = 0; i < 8; i++) {
            int temp = abs(r[i]);
            if (temp < 22118) {
                temp >>= 1;
            } else if (temp < 31130) {
                temp -= 11059;
            } else {
                temp = (temp - 26112) << 2;
            }
            lar[i] = r[i] < 0 ? -temp : temp;
        }
        for (int i = 0; i < 8; i++) {
            int temp = mult(LAR_A[i], lar[i]);
            temp = add(temp, LAR_B[i]);
            temp = add(temp, 256);
            temp >>= 9;
            larc[i] = temp > LAR_MAC[i] ? LAR_MAC[i] - LAR_MIC[i] : temp < LAR_MIC[i] ? 0 : temp - LAR_MIC[i];
        }
    }

    private void autocorrelation() {
        int smax = 0;
        for (int k = 0; k < FRAME_SAMPLES; k++) {
            smax = Math.max(smax, abs(s[k]));
        }
        int scale = smax == 0 ? 0 : 4 - norm(smax << 16);
        if (scale > 0) {
            int factor = 16384 >> (scale - 1);
            for (int k = 0; k < FRAME_SAMPLES; k++) {
                s[k] = multR(s[k], factor);
            }
        }
        for (int k = 0; k <= 8; k++) {
            long sum = 0;
            for (int i = k; i < FRAME_SAMPLES; i++) {
                sum += (long) s[i] * s[i - k];
            }
            acf[k] = sum << 1;
        }
        if (scale > 0) {
            for (int k = 0; k < FRAME_SAMPLES; k++) {
                s[k] <<= scale;
            }
        }
    }

    /** Schur recursion: returns the 8 reflection coefficients. */
    private int[] reflectionCoefficients() {
        int[] r = reflection;
        Arrays.fill(r, 0);
        if (acf[0] == 0) {
            return r;
        }
        int shift = norm((int) acf[0]);
        int[] p = schurP;
        int[] k = schurK;
        for (int i = 0; i <= 8; i++) {
            p[i] = ((int) acf[i] << shift) >> 16;
        }
        for (int i = 1; i <= 7; i++) {
            k[i] = p[i];
        }
        for (int n = 0; n < 8; n++) {
            int temp = abs(p[1]);
            if (p[0] < temp) {
                return r;
            }
            r[n] = div(temp, p[0]);
            if (p[1] > 0) {
                r[n] = -r[n];
            }
            if (n == 7) {
                return r;
            }
            p[0] = add(p[0], multR(p[1], r[n]));
            for (int m = 1; m <= 7 - n; m++) {
                int pm = add(p[m + 1], multR(k[m], r[n]));
                k[m] = add(k[m], multR(p[m + 1], r[n]));
                p[m] = pm;
            }
        }
        return r;
    }

    // ---- 4.2.8 - 4.2.10: short-term analysis filtering ----

    private void shortTermAnalysis() {
        int[] current = larpp[j];
        j ^= 1;
        int[] previous = larpp[j];
        j ^= 1;
        for (int i = 0; i < 8; i++) {
            int temp = add(larc[i], LAR_MIC[i]) << 10;
            temp = sub(temp, LAR_B[i] << 1);
            temp = multR(LAR_INVA[i], temp);
            current[i] = add(temp, temp);
        }
        for (int i = 0; i < 8; i++) {
            larp[i] = add(add(previous[i] >> 2, current[i] >> 2), previous[i] >> 1);
        }
        filter(0, 13);
        for (int i = 0; i < 8; i++) {
            larp[i] = add(previous[i] >> 1, current[i] >> 1);
        }
        filter(13, 27);
        for (int i = 0; i < 8; i++) {
            larp[i] = add(add(previous[i] >> 2, current[i] >> 2), current[i] >> 1);
        }
        filter(27, 40);
        System.arraycopy(current, 0, larp, 0, 8);
        filter(40, FRAME_SAMPLES);
        j ^= 1;
    }

    /** Converts {@link #larp} to reflection coefficients and runs the lattice filter over s[from, to). */
    private void filter(int from, int to) {
        for (int i = 0; i < 8; i++) {
            int value = larp[i];
            int temp = value == Short.MIN_VALUE ? Short.MAX_VALUE : abs(value);
            temp = temp < 11059 ? temp << 1 : temp < 20070 ? temp + 11059 : add(temp >> 2, 26112);
            larp[i] = value < 0 ? -temp : temp;
        }
        for (int k = from; k < to; k++) {
            int di = s[k];
            int sav = di;
            for (int i = 0; i < 8; i++) {
                int ui = u[i];
                int rpi = larp[i];
                u[i] = sav;
                sav = add(ui, multR(rpi, di));
                di = add(di, multR(rpi, ui));
            }
            s[k] = di;
        }
    }

    // ---- 4.2.11 - 4.2.18: long-term prediction and RPE, per 40-sample subframe ----

    private void encodeSubframe(int subframe) {
        int d = subframe * 40;
        int dp = 120 + d;
        int dmax = 0;
        for (int k = 0; k < 40; k++) {
            dmax = Math.max(dmax, abs(s[d + k]));
        }
        int temp = dmax == 0 ? 0 : norm(dmax << 16);
        int scal = temp > 6 ? 0 : 6 - temp;
        for (int k = 0; k < 40; k++) {
            wt[k] = s[d + k] >> scal;
        }
        long lmax = 0;
        int nc = 40;
        for (int lambda = 40; lambda <= 120; lambda++) {
            long sum = 0;
            for (int k = 0; k < 40; k++) {
                sum += (long) wt[k] * dp0[dp + k - lambda];
            }
            if (sum > lmax) {
                nc = lambda;
                lmax = sum;
            }
        }
        int lmaxScaled = (int) ((lmax << 1) >> (6 - scal));
        int lpower = 0;
        for (int k = 0; k < 40; k++) {
            int v = dp0[dp + k - nc] >> 3;
            lpower += v * v;
        }
        lpower <<= 1;
        int bc;
        if (lmaxScaled <= 0) {
            bc = 0;
        } else if (lmaxScaled >= lpower) {
            bc = 3;
        } else {
            int shift = norm(lpower);
            int r = (lmaxScaled << shift) >> 16;
            int sPower = (lpower << shift) >> 16;
            bc = 0;
            while (bc <= 2 && r > mult(sPower, DLB[bc])) {
                bc++;
            }
        }
        int bp = QLB[bc];
        for (int k = 0; k < 40; k++) {
            dpp[k] = multR(bp, dp0[dp + k - nc]);
            e[5 + k] = sub(s[d + k], dpp[k]);
        }
        int mc = rpeEncode();
        for (int k = 0; k < 40; k++) {
            dp0[dp + k] = add(e[5 + k], dpp[k]);
        }
        bits.put(nc, 7);
        bits.put(bc, 2);
        bits.put(mc, 2);
        bits.put(xmaxc, 6);
        for (int i = 0; i < 13; i++) {
            bits.put(xmc[i], 3);
        }
    }

    /** Weighting filter, grid selection, APCM; leaves the quantised excitation in e[5..44]; returns the grid. */
    private int rpeEncode() {
        for (int k = 0; k < 40; k++) {
            int sum = 4096;
            for (int i = 0; i < 11; i++) {
                sum += e[k + i] * H[i];
            }
            x[k] = saturate(sum >> 13);
        }
        int mc = 0;
        long best = 0;
        for (int m = 0; m < 4; m++) {
            long energy = 0;
            for (int i = 0; i < 13; i++) {
                int v = x[m + 3 * i] >> 2;
                energy += (long) v * v;
            }
            if (energy > best) {
                mc = m;
                best = energy;
            }
        }
        int xmax = 0;
        for (int i = 0; i < 13; i++) {
            xm[i] = x[mc + 3 * i];
            xmax = Math.max(xmax, abs(xm[i]));
        }
        int exp = 0;
        int temp = xmax >> 9;
        boolean stop = false;
        for (int i = 0; i <= 5; i++) {
            stop |= temp <= 0;
            temp >>= 1;
            if (!stop) {
                exp++;
            }
        }
        xmaxc = add(xmax >> (exp + 5), exp << 3);
        exp = 0;
        if (xmaxc > 15) {
            exp = (xmaxc >> 3) - 1;
        }
        int mant = xmaxc - (exp << 3);
        if (mant == 0) {
            exp = -4;
            mant = 7;
        } else {
            while (mant <= 7) {
                mant = mant << 1 | 1;
                exp--;
            }
            mant -= 8;
        }
        int shift = 6 - exp;
        int inverse = NRFAC[mant];
        for (int i = 0; i < 13; i++) {
            int v = (short) (xm[i] << shift);
            v = mult(v, inverse);
            xmc[i] = (v >> 12) + 4;
        }
        int factor = FAC[mant];
        int rightShift = sub(6, exp);
        int rounding = asl(1, rightShift - 1);
        for (int i = 0; i < 13; i++) {
            int v = ((xmc[i] << 1) - 7) << 12;
            v = multR(factor, v);
            v = add(v, rounding);
            xmp[i] = asr(v, rightShift);
        }
        Arrays.fill(e, 5, 45, 0);
        for (int i = 0; i < 13; i++) {
            e[5 + mc + 3 * i] = xmp[i];
        }
        return mc;
    }
}
