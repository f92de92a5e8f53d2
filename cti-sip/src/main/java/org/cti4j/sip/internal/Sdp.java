package org.cti4j.sip.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.spi.SdesCrypto;

/**
 * Turns a {@link MediaDescription} into SDP (RFC 4566) and back: one audio stream over RTP/AVP, or RTP/SAVP, with
 * its SDES {@code a=crypto} lines (RFC 4568) carried as written. Parsing is lenient
 * where peers differ (line endings, static payload types without {@code rtpmap}, the old {@code c=0.0.0.0} hold) and
 * strict where it matters: a body without an audio stream or a usable address is rejected.
 */
final class Sdp {

    private static final Map<Integer, PayloadType> STATIC = Map.of(
            0, PayloadType.PCMU,
            3, new PayloadType(3, "GSM", 8000),
            8, PayloadType.PCMA,
            9, new PayloadType(9, "G722", 8000),
            18, new PayloadType(18, "G729", 8000));

    private Sdp() {
    }

    /** A body that is not usable SDP. */
    static final class SdpException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        SdpException(String message) {
            super(message);
        }
    }

    /** Writes {@code media} as an SDP body. */
    static byte[] write(MediaDescription media, long sessionId, long version) {
        String ipVersion = media.address().contains(":") ? "IP6" : "IP4";
        StringBuilder sdp = new StringBuilder(256)
                .append("v=0\r\n")
                .append("o=cti4j ").append(sessionId).append(' ').append(version).append(" IN ").append(ipVersion)
                .append(' ').append(media.address()).append("\r\n")
                .append("s=cti4j\r\n")
                .append("c=IN ").append(ipVersion).append(' ').append(media.address()).append("\r\n")
                .append("t=0 0\r\n")
                .append("m=audio ").append(media.port()).append(media.secureProfile() ? " RTP/SAVP" : " RTP/AVP");
        for (PayloadType pt : media.payloadTypes()) {
            sdp.append(' ').append(pt.number());
        }
        sdp.append("\r\n");
        for (PayloadType pt : media.payloadTypes()) {
            sdp.append("a=rtpmap:").append(pt.number()).append(' ').append(pt.encoding()).append('/')
                    .append(pt.clockRate()).append("\r\n");
            if (pt.isTelephoneEvent()) {
                sdp.append("a=fmtp:").append(pt.number()).append(" 0-15\r\n");
            }
        }
        for (SdesCrypto crypto : media.crypto()) {
            sdp.append("a=crypto:").append(crypto.toAttributeValue()).append("\r\n");
        }
        sdp.append("a=ptime:20\r\n");
        sdp.append("a=").append(media.direction().name().toLowerCase(Locale.ROOT)).append("\r\n");
        return sdp.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads the first audio stream of an SDP body.
     *
     * @throws SdpException if there is no audio stream, no connection address, or a line is malformed
     */
    static MediaDescription parse(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        String sessionAddress = null;
        String mediaAddress = null;
        MediaDirection sessionDirection = MediaDirection.SENDRECV;
        MediaDirection mediaDirection = null;
        int port = -1;
        List<Integer> formats = null;
        Map<Integer, PayloadType> rtpmaps = new HashMap<>();
        boolean inAudio = false;
        boolean audioSeen = false;
        boolean secure = false;
        List<SdesCrypto> crypto = new ArrayList<>();
        for (String rawLine : text.split("\r?\n", 0)) {
            String line = rawLine.strip();
            if (line.length() < 2 || line.charAt(1) != '=') {
                if (line.isEmpty()) {
                    continue;
                }
                throw new SdpException("malformed SDP line '" + shorten(line) + "'");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 'm') {
                if (audioSeen) {
                    inAudio = false;
                    continue;
                }
                String[] parts = value.split(" +", 0);
                inAudio = parts.length >= 4 && parts[0].equals("audio");
                if (inAudio) {
                    audioSeen = true;
                    port = parseInt(parts[1].split("/", 0)[0], "m= port");
                    if (port < 0 || port > 65535) {
                        throw new SdpException("SDP audio port " + port + " is out of range");
                    }
                    secure = secureProfile(parts[2]);
                    formats = new ArrayList<>();
                    for (int i = 3; i < parts.length; i++) {
                        formats.add(parseInt(parts[i], "payload type"));
                    }
                }
            } else if (type == 'c') {
                String[] parts = value.split(" +", 0);
                if (parts.length < 3) {
                    throw new SdpException("malformed SDP connection line 'c=" + shorten(value) + "'");
                }
                String address = parts[2].split("/", 0)[0];
                if (audioSeen && inAudio) {
                    mediaAddress = address;
                } else if (!audioSeen) {
                    sessionAddress = address;
                }
            } else if (type == 'a' && (inAudio || !audioSeen)) {
                MediaDirection direction = direction(value);
                if (direction != null) {
                    if (inAudio) {
                        mediaDirection = direction;
                    } else {
                        sessionDirection = direction;
                    }
                } else if (inAudio && value.startsWith("rtpmap:")) {
                    PayloadType pt = rtpmap(value.substring(7));
                    rtpmaps.put(pt.number(), pt);
                } else if (inAudio && value.startsWith("crypto:")) {
                    SdesCrypto attribute = crypto(value.substring(7));
                    if (attribute != null) {
                        crypto.add(attribute);
                    }
                }
            }
        }
        if (!audioSeen) {
            throw new SdpException("SDP has no audio stream");
        }
        String address = mediaAddress != null ? mediaAddress : sessionAddress;
        if (address == null) {
            throw new SdpException("SDP has no connection address for its audio stream");
        }
        MediaDirection direction = mediaDirection != null ? mediaDirection : sessionDirection;
        if (address.equals("0.0.0.0") && direction == MediaDirection.SENDRECV) {
            direction = MediaDirection.INACTIVE;
        }
        List<PayloadType> payloadTypes = new ArrayList<>();
        for (int number : formats) {
            PayloadType pt = rtpmaps.getOrDefault(number, STATIC.get(number));
            if (pt != null) {
                payloadTypes.add(pt);
            } else if (number >= 0 && number <= 127) {
                payloadTypes.add(new PayloadType(number, "unknown", 8000));
            }
        }
        return new MediaDescription(address, port, payloadTypes, direction, crypto, secure);
    }

    /**
     * Returns whether a transport profile is {@code RTP/SAVP} (or {@code RTP/SAVPF}), false for {@code RTP/AVP} (or
     * {@code RTP/AVPF}).
     *
     * @throws SdpException for any other profile, such as DTLS-SRTP's {@code UDP/TLS/RTP/SAVP}: its keys are
     *     exchanged in a way this side does not speak
     */
    private static boolean secureProfile(String profile) {
        return switch (profile.toUpperCase(Locale.ROOT)) {
            case "RTP/AVP", "RTP/AVPF" -> false;
            case "RTP/SAVP", "RTP/SAVPF" -> true;
            default -> throw new SdpException("SDP audio profile '" + shorten(profile) + "' is not supported");
        };
    }

    /** Reads an {@code a=crypto} value (RFC 4568 9.1); {@code null} for a line too short to use, which is skipped. */
    private static SdesCrypto crypto(String value) {
        String[] parts = value.strip().split(" +", 4);
        if (parts.length < 3) {
            return null;
        }
        try {
            int tag = Integer.parseInt(parts[0]);
            if (tag < 0 || tag > 999_999_999) {
                return null;
            }
            return new SdesCrypto(tag, parts[1], parts[2], parts.length > 3 ? parts[3] : "");
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static MediaDirection direction(String attribute) {
        return switch (attribute) {
            case "sendrecv" -> MediaDirection.SENDRECV;
            case "sendonly" -> MediaDirection.SENDONLY;
            case "recvonly" -> MediaDirection.RECVONLY;
            case "inactive" -> MediaDirection.INACTIVE;
            default -> null;
        };
    }

    private static PayloadType rtpmap(String value) {
        String[] parts = value.split(" +", 2);
        if (parts.length != 2) {
            throw new SdpException("malformed SDP rtpmap '" + shorten(value) + "'");
        }
        int number = parseInt(parts[0], "rtpmap payload type");
        String[] encoding = parts[1].split("/", 0);
        int clockRate = encoding.length > 1 ? parseInt(encoding[1], "rtpmap clock rate") : 8000;
        if (number < 0 || number > 127 || clockRate <= 0) {
            throw new SdpException("SDP rtpmap '" + shorten(value) + "' is out of range");
        }
        return new PayloadType(number, encoding[0], clockRate);
    }

    private static int parseInt(String text, String what) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new SdpException("SDP " + what + " '" + shorten(text) + "' is not a number");
        }
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
