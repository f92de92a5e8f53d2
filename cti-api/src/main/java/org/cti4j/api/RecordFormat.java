package org.cti4j.api;

import java.util.Locale;

/**
 * The format of a recording file ({@code record_format}), with the specification's numeric codes 1 to 6.
 *
 * <p>Every format is a real file that common tools (sox, ffmpeg) play. {@link #PCM_16BIT} is cti4j's own addition
 * (code {@code 0}): the format a {@code .wav} file gets when no format is given.
 */
public enum RecordFormat {
    /** {@code 0} (cti4j's addition): WAV, linear PCM 8 kHz 16-bit — the default for a {@code .wav} file. */
    PCM_16BIT(0),
    /** {@code 1}: WAV, linear PCM 8 kHz 8-bit. */
    PCM_8BIT(1),
    /** {@code 2}: WAV, CCITT A-law (G.711) 8 kHz. */
    ALAW(2),
    /** {@code 3}: WAV, CCITT µ-law (G.711) 8 kHz. */
    ULAW(3),
    /** {@code 4}: WAV, IMA ADPCM 8 kHz 4-bit. */
    IMA_ADPCM(4),
    /** {@code 5}: GSM 06.10 full rate. */
    GSM(5),
    /** {@code 6}: MP3. */
    MP3(6);

    private final int code;

    RecordFormat(int code) {
        this.code = code;
    }

    /** Returns the numeric code: the specification's 1 to 6, or 0 for {@link #PCM_16BIT}. */
    public int code() {
        return code;
    }

    /**
     * Returns the format with the given numeric code.
     *
     * @throws InvalidArgumentException if no format has that code
     */
    public static RecordFormat ofCode(int code) {
        for (RecordFormat format : values()) {
            if (format.code == code) {
                return format;
            }
        }
        throw new InvalidArgumentException("record_format", "record_format " + code
                + " is not one of 1 (PCM 8-bit), 2 (A-law), 3 (µ-law), 4 (IMA ADPCM), 5 (GSM), 6 (MP3), or 0 (PCM 16-bit)");
    }

    /**
     * Returns whether a recording in this format can be made in two channels ({@code record_stereo}): the WAV formats
     * with one byte or two per sample — {@link #PCM_16BIT}, {@link #PCM_8BIT}, {@link #ALAW}, {@link #ULAW}. IMA ADPCM,
     * GSM and MP3 are mono only.
     */
    public boolean allowsStereo() {
        return this == PCM_16BIT || this == PCM_8BIT || this == ALAW || this == ULAW;
    }

    /**
     * Returns the format a file name implies when none is given: {@code .mp3} → {@link #MP3}, {@code .gsm} →
     * {@link #GSM}, anything else → {@link #PCM_16BIT} WAV.
     */
    public static RecordFormat forFileName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".mp3")) {
            return MP3;
        }
        if (name.endsWith(".gsm")) {
            return GSM;
        }
        return PCM_16BIT;
    }
}
