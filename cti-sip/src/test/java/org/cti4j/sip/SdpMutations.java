package org.cti4j.sip;

import java.util.List;
import java.util.Random;

/**
 * Random mutations of an SDP offer, kept as its lines: bad connection and media lines, huge and negative ports,
 * a thousand media lines, unknown codecs, odd {@code rtpmap} and {@code fmtp} attributes, IPv6 and host name
 * addresses, missing and duplicated lines, direction attributes, bytes that are not UTF-8. Used by
 * {@link SipMutator}.
 */
final class SdpMutations {

    private static final String[] CONNECTIONS = {"c=IN IP4", "c=IN IP4 999.1.1.1", "c=IN IP4 0.0.0.0",
        "c=IN IP6 ::1", "c=IN IP6 [::1]", "c=IN IP6 fe80::1%lo", "c=IN IP4 localhost", "c=IN IP4 fuzz.invalid",
        "c=IN IP4 127.0.0.1/127", "c=IN IP4 224.2.1.1/127/3", "c=IN XX 127.0.0.1", "c=", "c=IN IP4 " + "1.".repeat(
            500) + "1", "c=IN IP4 127.0.0.1 extra words", "c=IN IP6 127.0.0.1", "c=IN IP4 ::1"};
    private static final String[] MEDIA = {"m=audio", "m=audio abc RTP/AVP 0", "m=audio 99999999999 RTP/AVP 0",
        "m=audio 65536 RTP/AVP 0", "m=audio -1 RTP/AVP 0", "m=audio 0 RTP/AVP 0", "m=audio 40000 RTP/AVP",
        "m=audio 40000 RTP/SAVP 0", "m=audio 40000 UDP/TLS/RTP/SAVPF 0", "m=video 40000 RTP/AVP 0",
        "m=audio 40000/2 RTP/AVP 0", "m=audio 40000 RTP/AVP 999", "m=audio 40000 RTP/AVP 128 -1 x",
        "m=audio 40000 RTP/AVP 96 97", "m=audio 40000 RTP/AVP " + "0 ".repeat(3000) + "8", "m=audio 1 RTP/AVP 0",
        "m=audio 40000 RTP/AVP 0 0 0 8 8 8"};
    private static final String[] ATTRIBUTES = {"a=rtpmap:0", "a=rtpmap:abc PCMU/8000", "a=rtpmap:0 PCMU/0",
        "a=rtpmap:0 PCMU/abc", "a=rtpmap:0 PCMA/8000", "a=rtpmap:8 PCMU/8000", "a=rtpmap:96 opus/48000/2",
        "a=rtpmap:97 X-weird/1", "a=rtpmap:200 PCMU/8000", "a=rtpmap:-1 PCMU/8000",
        "a=rtpmap:101 telephone-event/8000", "a=rtpmap:101 telephone-event/0", "a=fmtp:101 0-999999",
        "a=fmtp:101", "a=fmtp:abc x", "a=fmtp:101 " + "0-15,".repeat(2000), "a=ptime:0", "a=ptime:999999999",
        "a=ptime:-20", "a=maxptime:abc", "a=sendonly", "a=recvonly", "a=inactive", "a=sendrecv", "a=",
        "a=rtcp:99999", "a=rtcp-mux", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:xyz", "b=AS:-1", "k=clear:x",
        "a=" + "x".repeat(10_000)};

    private SdpMutations() {
    }

    /** Applies one random mutation to {@code sdp} and returns its name. */
    static String apply(List<String> sdp, Random random) {
        switch (random.nextInt(11)) {
            case 0 -> {
                String line = CONNECTIONS[random.nextInt(CONNECTIONS.length)];
                replaceOrAdd(sdp, "c=", line);
                return "connection '" + shorten(line) + "'";
            }
            case 1 -> {
                String line = MEDIA[random.nextInt(MEDIA.length)];
                replaceOrAdd(sdp, "m=", line);
                return "media '" + shorten(line) + "'";
            }
            case 2 -> {
                int copies = random.nextBoolean() ? 1_000 : 10;
                for (int i = 0; i < copies; i++) {
                    sdp.add("m=audio " + (40002 + 2 * i) + " RTP/AVP 0");
                }
                return copies + " more m-lines";
            }
            case 3, 4 -> {
                String line = ATTRIBUTES[random.nextInt(ATTRIBUTES.length)];
                sdp.add(random.nextInt(sdp.size() + 1), line);
                return "attribute '" + shorten(line) + "'";
            }
            case 5 -> {
                if (sdp.isEmpty()) {
                    return "nothing to remove";
                }
                String removed = sdp.remove(random.nextInt(sdp.size()));
                return "removed '" + shorten(removed) + "'";
            }
            case 6 -> {
                if (sdp.isEmpty()) {
                    return "nothing to duplicate";
                }
                int at = random.nextInt(sdp.size());
                sdp.add(at, sdp.get(at));
                return "duplicated '" + shorten(sdp.get(at)) + "'";
            }
            case 7 -> {
                sdp.add(random.nextInt(sdp.size() + 1), SipMutator.randomText(random, random.nextInt(80), 0, 0xff));
                return "random line";
            }
            case 8 -> {
                if (sdp.isEmpty()) {
                    return "nothing to damage";
                }
                int at = random.nextInt(sdp.size());
                String line = sdp.get(at);
                int cut = random.nextInt(line.length() + 1);
                sdp.set(at, line.substring(0, cut) + new String[] {"\u00c0\u00af", "\u0000", "\u00ff", " ", "\r",
                    "\n"}[random.nextInt(6)] + line.substring(cut));
                return "damaged '" + shorten(line) + "'";
            }
            case 9 -> {
                replaceOrAdd(sdp, "m=", "m=audio " + (1 + random.nextInt(65535)) + " RTP/AVP "
                        + random.nextInt(128) + " " + random.nextInt(128));
                sdp.add("a=rtpmap:" + random.nextInt(128) + " " + new String[] {"PCMU", "PCMA", "G729", "GSM",
                    "telephone-event", "L16"}[random.nextInt(6)] + "/" + new int[] {8000, 16000, 0, 1}[random.nextInt(
                        4)]);
                return "random codec choice";
            }
            default -> {
                sdp.clear();
                return "empty SDP";
            }
        }
    }

    private static void replaceOrAdd(List<String> sdp, String prefix, String line) {
        for (int i = 0; i < sdp.size(); i++) {
            if (sdp.get(i).startsWith(prefix)) {
                sdp.set(i, line);
                return;
            }
        }
        sdp.add(line);
    }

    private static String shorten(String line) {
        String printable = line.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
}
