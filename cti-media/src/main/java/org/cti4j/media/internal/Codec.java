package org.cti4j.media.internal;

import java.util.Locale;
import org.cti4j.core.spi.PayloadType;

/** The audio codecs the engine speaks on the wire: G.711 µ-law and A-law, 8 kHz, one byte per sample. */
public enum Codec {
    /** G.711 µ-law (static payload type 0). */
    PCMU,
    /** G.711 A-law (static payload type 8). */
    PCMA;

    private static final Codec[] BY_ORDINAL = values();

    /** Returns the codec with the given {@link #ordinal()} (without the copy that {@code values()} makes). */
    public static Codec ofOrdinal(int ordinal) {
        return BY_ORDINAL[ordinal];
    }

    /** Returns the codec a negotiated payload type names, or {@code null} if it is not one the engine speaks. */
    public static Codec of(PayloadType type) {
        if (type.clockRate() != 8000) {
            return null;
        }
        return switch (type.encoding().toUpperCase(Locale.ROOT)) {
            case "PCMU" -> PCMU;
            case "PCMA" -> PCMA;
            default -> null;
        };
    }
}
