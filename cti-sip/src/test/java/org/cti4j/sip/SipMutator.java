package org.cti4j.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A seeded generator of mutated SIP requests: valid INVITEs (with SDP), OPTIONS, BYEs, CANCELs, ACKs, INFOs and
 * REGISTERs with one to five random mutations stacked on each — lines duplicated, removed or swapped, values made
 * huge, emptied or given NULs, high-bit bytes, invalid or overlong UTF-8; random header names; folded lines; the
 * request line broken; Content-Length lies; SDP mutations (bad {@code c=} and {@code m=} lines, huge ports, 1,000
 * m-lines, unknown codecs, odd {@code rtpmap}/{@code fmtp}, IPv6 and host name addresses, missing lines); then byte
 * damage — bit flips, bytes inserted or deleted, truncation anywhere (also between a CR and its LF), line ends
 * changed to LF or CR; and a second message in the same datagram or write.
 *
 * <p>Case {@code n} depends only on the seed and {@code n} ({@link #generate}), so a failing case is rerun from the
 * printed seed and number. Every case carries its token ({@link #token}) in its Via branch, tags and Call-ID, so that
 * an answer is traced to its case whichever of them a mutation spared. One case in five is an INVITE to the user
 * {@link #SDP_USER} whose SIP is left intact and whose SDP alone is mutated, so that it reaches the media engine.
 *
 * <p>Messages are built as ISO-8859-1 text, one char a byte, so that any byte can be written.
 */
public final class SipMutator {

    /** The methods of the valid requests that are mutated. */
    public static final List<String> METHODS = List.of("INVITE", "OPTIONS", "BYE", "CANCEL", "ACK", "INFO",
            "REGISTER");
    /** The Request-URI user of INVITEs whose SDP alone is mutated. */
    public static final String SDP_USER = "sdpfuzz";
    /** The Request-URI user of every other case. */
    public static final String USER = "fuzz";
    /** The largest datagram sent over UDP: larger cases are cut to this size. */
    public static final int MAX_DATAGRAM = 65_000;

    /** Byte sequences that are not valid UTF-8: overlong forms, lone continuations, surrogates, 0xFE/0xFF. */
    private static final String[] BAD_UTF8 = {"\u00c0\u00af", "\u00e0\u0080\u00af", "\u00f0\u0080\u0080\u00af",
        "\u00c1\u00bf", "\u0080", "\u00bf\u00bf", "\u00ed\u00a0\u0080", "\u00fe", "\u00ff",
        "\u00f8\u0088\u0080\u0080\u0080", "\u00c3", "\u00e2\u0082", "\u00f4\u0090\u0080\u0080"};

    private final long seed;

    /**
     * A mutated request: its number, method, the mutations applied in order, its bytes, and whether it is an INVITE
     * to {@link #SDP_USER} whose SDP alone was mutated.
     */
    // A case is sent, never compared or hashed: the array's identity equality does not matter.
    @SuppressWarnings("ArrayRecordComponent")
    public record Case(int number, String method, List<String> mutations, byte[] bytes, boolean sdpOnly) {
        /** Returns a one-line description: number, method and mutations. */
        public String describe() {
            return "#" + number + " " + method + " " + String.join(" + ", mutations);
        }
    }

    /** Creates a generator; the same seed gives the same cases. */
    public SipMutator(long seed) {
        this.seed = seed;
    }

    /** Returns the seed. */
    public long seed() {
        return seed;
    }

    /** Returns the token that case {@code number} carries: {@code Mz}, six digits, {@code q}. */
    public static String token(int number) {
        return String.format(Locale.ROOT, "Mz%06dq", number);
    }

    /**
     * Returns the case number of the first token in {@code text}, or {@code -1}.
     */
    public static int caseOf(String text) {
        for (int at = text.indexOf("Mz"); at >= 0 && at + 9 <= text.length(); at = text.indexOf("Mz", at + 2)) {
            if (text.charAt(at + 8) == 'q') {
                try {
                    return Integer.parseInt(text.substring(at + 2, at + 8));
                } catch (NumberFormatException notDigits) {
                    // another "Mz": go on
                }
            }
        }
        return -1;
    }

    /**
     * Generates case {@code number}, sent over {@code transport} ("UDP" or "TCP") from {@code peerPort} (the Via and
     * Contact name it) to an engine on {@code sipPort}.
     */
    public Case generate(int number, String transport, int peerPort, int sipPort) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + number);
        String method = METHODS.get(random.nextInt(METHODS.size()));
        Message base = Message.valid(method, token(number), transport, peerPort, sipPort);
        List<String> applied = new ArrayList<>();
        String text;
        boolean sdpOnly = method.equals("INVITE") && random.nextInt(5) == 0;
        if (sdpOnly) {
            base.lines.replaceAll(line -> line.replace("sip:" + USER + "@", "sip:" + SDP_USER + "@"));
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                applied.add(SdpMutations.apply(base.sdp, random));
            }
            text = base.text(true);
        } else {
            int lineMutations = random.nextInt(4);
            int byteMutations = random.nextInt(3);
            if (lineMutations + byteMutations == 0) {
                lineMutations = 1;
            }
            for (int i = 0; i < lineMutations; i++) {
                applied.add(mutateLines(base, random));
            }
            text = base.text(base.contentLength == null);
            for (int i = 0; i < byteMutations; i++) {
                StringBuilder damaged = new StringBuilder(text);
                applied.add(damage(damaged, random));
                text = damaged.toString();
            }
            if (random.nextInt(20) == 0) {
                String second = Message.valid(METHODS.get(random.nextInt(METHODS.size())), token(number) + "b",
                        transport, peerPort, sipPort).text(true);
                text = text + (random.nextBoolean() ? "" : "\r\n") + second;
                applied.add("second message");
            }
        }
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        if (transport.equals("UDP") && bytes.length > MAX_DATAGRAM) {
            bytes = java.util.Arrays.copyOf(bytes, MAX_DATAGRAM);
            applied.add("cut to a datagram");
        }
        return new Case(number, method, List.copyOf(applied), bytes, sdpOnly);
    }

    // ---- the valid message ----

    /** A request as lines (request line first), an SDP or other body, and an optional Content-Length lie. */
    static final class Message {
        final List<String> lines = new ArrayList<>();
        final List<String> sdp = new ArrayList<>();
        String body = "";
        String contentLength;
        String lineEnd = "\r\n";

        static Message valid(String method, String token, String transport, int peerPort, int sipPort) {
            Message m = new Message();
            String uri = method.equals("REGISTER") ? "sip:127.0.0.1:" + sipPort
                    : "sip:" + USER + "@127.0.0.1:" + sipPort;
            boolean inDialog = method.equals("BYE") || method.equals("INFO")
                    || (method.equals("ACK") && token.hashCode() % 2 == 0);
            m.lines.add(method + " " + uri + " SIP/2.0");
            m.lines.add("Via: SIP/2.0/" + transport + " 127.0.0.1:" + peerPort + ";branch=z9hG4bK-" + token
                    + ";rport");
            m.lines.add("Max-Forwards: 70");
            m.lines.add("From: \"Fuzz\" <sip:alice@127.0.0.1>;tag=" + token);
            m.lines.add("To: <" + uri + ">" + (inDialog ? ";tag=" + token + "-b" : ""));
            m.lines.add("Call-ID: " + token + "@127.0.0.1");
            m.lines.add("CSeq: " + (method.equals("INFO") || method.equals("BYE") ? 2 : 1) + " " + method);
            m.lines.add("Contact: <sip:alice@127.0.0.1:" + peerPort + ";transport=" + transport.toLowerCase(
                    Locale.ROOT) + ">");
            m.lines.add("User-Agent: cti4j-mutator");
            switch (method) {
                case "INVITE" -> {
                    m.lines.add("Content-Type: application/sdp");
                    m.sdp.addAll(List.of("v=0", "o=fuzz 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1",
                            "t=0 0", "m=audio 40000 RTP/AVP 0 8 101", "a=rtpmap:0 PCMU/8000",
                            "a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-15",
                            "a=ptime:20", "a=sendrecv"));
                }
                case "INFO" -> {
                    m.lines.add("Content-Type: application/dtmf-relay");
                    m.body = "Signal=5\r\nDuration=160\r\n";
                }
                case "REGISTER" -> m.lines.add("Expires: 3600");
                default -> {
                    // no body, no more headers
                }
            }
            return m;
        }

        /** The body: the SDP lines (CRLF-ended) or the other body. */
        String body() {
            if (sdp.isEmpty()) {
                return body;
            }
            StringBuilder out = new StringBuilder();
            for (String line : sdp) {
                out.append(line).append("\r\n");
            }
            return out.toString();
        }

        /** The message text; with {@code countBody} a true Content-Length is added unless a lie was chosen. */
        String text(boolean countBody) {
            String content = body();
            StringBuilder out = new StringBuilder();
            for (String line : lines) {
                out.append(line).append(lineEnd);
            }
            if (contentLength != null) {
                out.append("Content-Length: ").append(contentLength).append(lineEnd);
            } else if (countBody) {
                out.append("Content-Length: ").append(content.length()).append(lineEnd);
            }
            return out.append(lineEnd).append(content).toString();
        }
    }

    // ---- mutations of lines ----

    private static String mutateLines(Message m, Random random) {
        List<String> lines = m.lines;
        int at = random.nextInt(lines.size());
        String line = lines.get(at);
        switch (random.nextInt(16)) {
            case 0 -> {
                lines.add(at, line);
                return "duplicated line " + at;
            }
            case 1 -> {
                if (at == 0) {
                    lines.set(0, lines.get(0).replace("SIP/2.0", "SIP/" + random.nextInt(10) + "." + random.nextInt(
                            10)));
                    return "request line version";
                }
                lines.remove(at);
                return "removed line " + at;
            }
            case 2 -> {
                int other = random.nextInt(lines.size());
                lines.set(at, lines.get(other));
                lines.set(other, line);
                return "swapped lines " + at + " and " + other;
            }
            case 3 -> {
                int length = new int[] {300, 1_000, 8_000, 40_000, 70_000}[random.nextInt(5)];
                lines.set(at, insert(line, filler(random, length), random));
                return "oversized line " + at + " by " + length;
            }
            case 4 -> {
                lines.set(at, insert(line, BAD_UTF8[random.nextInt(BAD_UTF8.length)], random));
                return "bad UTF-8 in line " + at;
            }
            case 5 -> {
                lines.set(at, insert(line, "\u0000".repeat(1 + random.nextInt(3)), random));
                return "NUL in line " + at;
            }
            case 6 -> {
                int colon = Math.max(1, line.indexOf(':'));
                lines.set(at, line.substring(0, colon) + (char) (0x80 + random.nextInt(0x80)) + line.substring(
                        colon));
                return "high-bit byte in the name of line " + at;
            }
            case 7 -> {
                lines.add(1 + random.nextInt(lines.size()), randomText(random, 1 + random.nextInt(30), 0x21, 0xff)
                        + ": " + randomText(random, random.nextInt(60), 0x20, 0xff));
                return "random header";
            }
            case 8 -> {
                int colon = line.indexOf(':');
                lines.set(at, colon > 0 && at > 0 ? line.substring(0, colon + 1) : "");
                return "emptied line " + at;
            }
            case 9 -> {
                lines.set(at, line + "\r\n" + (random.nextBoolean() ? " " : "\t") + randomText(random, random.nextInt(
                        20), 0x20, 0x7e));
                return "folded line " + at;
            }
            case 10 -> {
                m.contentLength = new String[] {"-1", "0", "99999", "2147483648", "99999999999999999999", "abc",
                    "1e3", " ", "12 13", "0x10", String.valueOf(m.body().length() + 1 + random.nextInt(50))}[
                    random.nextInt(11)];
                return "Content-Length " + m.contentLength;
            }
            case 11 -> {
                lines.set(0, requestLine(lines.get(0), random));
                return "request line broken";
            }
            case 12 -> {
                m.lineEnd = random.nextBoolean() ? "\n" : "\r";
                return "line ends " + (m.lineEnd.equals("\n") ? "LF" : "CR");
            }
            case 13 -> {
                if (m.sdp.isEmpty()) {
                    m.body = randomText(random, random.nextInt(2_000), 0, 0xff);
                    return "random body";
                }
                return "SDP: " + SdpMutations.apply(m.sdp, random);
            }
            case 14 -> {
                String header = new String[] {"Via", "Route", "Record-Route", "Contact", "Accept", "Supported"}[
                    random.nextInt(6)];
                int copies = new int[] {100, 1_000, 3_000}[random.nextInt(3)];
                for (int i = 0; i < copies; i++) {
                    lines.add(1 + random.nextInt(lines.size()), header.equals("Via")
                            ? "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-" + i
                            : header + ": <sip:h" + i + "@127.0.0.1;lr>");
                }
                return copies + " " + header + " headers";
            }
            default -> {
                lines.set(at, line.replace(":", random.nextBoolean() ? " \t :  " : ":\u0080"));
                return "odd separator in line " + at;
            }
        }
    }

    private static String requestLine(String line, Random random) {
        String[] parts = java.util.Arrays.copyOf(line.split(" ", 3), 3);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i] == null ? "" : parts[i];
        }
        return switch (random.nextInt(7)) {
            case 0 -> parts[0].toLowerCase(Locale.ROOT) + " " + parts[1] + " " + parts[2];
            case 1 -> randomText(random, 1 + random.nextInt(12), 0x21, 0x7e) + " " + parts[1] + " " + parts[2];
            case 2 -> parts[0] + " " + new String[] {"tel:+1555", "http://x/", "sips:@", "sip:", "<sip:a@b>", "*",
                "sip:a@[::1", "sip:a@256.1.1.1:99999"}[random.nextInt(8)] + " " + parts[2];
            case 3 -> parts[0] + " " + parts[1];
            case 4 -> parts[0] + "  " + parts[1] + "\t" + parts[2];
            case 5 -> parts[0];
            default -> " " + line;
        };
    }

    // ---- damage to bytes ----

    private static String damage(StringBuilder text, Random random) {
        int length = text.length();
        switch (random.nextInt(7)) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int at = random.nextInt(length);
                    text.setCharAt(at, (char) ((text.charAt(at) ^ (1 << random.nextInt(8))) & 0xff));
                }
                return flips + " bit flips";
            }
            case 1 -> {
                int at = random.nextInt(length + 1);
                String bytes = randomText(random, 1 + random.nextInt(16), 0, 0xff);
                text.insert(at, bytes);
                return bytes.length() + " bytes inserted at " + at;
            }
            case 2 -> {
                int at = random.nextInt(length);
                int end = Math.min(length, at + 1 + random.nextInt(64));
                text.delete(at, end);
                return (end - at) + " bytes deleted at " + at;
            }
            case 3 -> {
                int at = random.nextInt(length);
                text.setLength(at);
                return "truncated at " + at;
            }
            case 4 -> {
                int crlf = text.indexOf("\r\n", random.nextInt(length));
                int at = crlf < 0 ? length / 2 : crlf + 1;
                text.setLength(at);
                return "truncated between CR and LF at " + at;
            }
            case 5 -> {
                String replaced = text.toString().replace("\r\n", random.nextBoolean() ? "\n" : "\r");
                int at = random.nextInt(length);
                text.replace(0, length, text.substring(0, at) + replaced.substring(Math.min(at, replaced.length())));
                return "line ends changed after about " + at;
            }
            default -> {
                int at = random.nextInt(length);
                text.setCharAt(at, (char) (0x80 + random.nextInt(0x80)));
                return "high-bit byte at " + at;
            }
        }
    }

    // ---- helpers ----

    /** Inserts {@code text} at a random place after the header name (or anywhere in the request line). */
    private static String insert(String line, String text, Random random) {
        int colon = line.indexOf(':');
        int from = colon > 0 && !line.startsWith("sip") ? colon + 1 : 0;
        int at = from + random.nextInt(line.length() - from + 1);
        return line.substring(0, at) + text + line.substring(at);
    }

    private static String filler(Random random, int length) {
        String unit = new String[] {"a", "9", ";p=v", ",x", " ", "%41", "<", "\"q\\\"", "\u00c3\u00a9"}[
            random.nextInt(9)];
        return unit.repeat(Math.max(1, length / unit.length()));
    }

    /** Random chars in {@code [from, to]} (ISO-8859-1: one byte each). */
    static String randomText(Random random, int length, int from, int to) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) (from + random.nextInt(to - from + 1)));
        }
        return out.toString();
    }

}
