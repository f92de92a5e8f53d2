package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bounded, deterministic mutation run against a live engine over UDP and TCP: every header of a valid INVITE,
 * OPTIONS, BYE and CANCEL in turn made very long (1k, 10k, 60k characters), emptied, duplicated, removed, given odd
 * characters, nested 10,000 deep ({@code <<<...}) or given 10,000 parameters ({@code ;a;a;a...}); the Request-URI
 * the same way; a Via chain and a Route set of 1,000 headers; bodies cut short, Content-Lengths too large, too
 * small, negative and absurd. Each case is one request with a token of its own in every header, so that its answer
 * is known whichever header was mutated.
 *
 * <p>Every case gets a final response with a well-formed status line, except those listed in {@link #answerless},
 * where no answer is the right behaviour. No throwable may be caught by the provider's catch-all, and no thread may die of one; afterwards a
 * normal call completes.
 */
class SipMutationTest {

    private static final long SEED = 18;
    private static final Duration ANSWER = Duration.ofSeconds(5);
    /** How long a case expected to stay unanswered is watched, to count a surprising answer. */
    private static final Duration SILENCE = Duration.ofMillis(100);
    private static final String[] METHODS = {"INVITE", "OPTIONS", "BYE", "CANCEL"};

    private UncaughtThrowables uncaught;
    private SipSignalingProvider sip;
    private CoreEngine engine;

    /** One mutated request: which header, how, and the text of the whole request. */
    private record Case(String method, String header, String mutation, String text) {
        String name() {
            return method + " " + header + " " + mutation;
        }
    }

    @BeforeEach
    void start() {
        uncaught = new UncaughtThrowables();
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).build();
    }

    @AfterEach
    void stop() {
        engine.close();
        uncaught.close();
    }

    @Test
    void everyMutatedRequestIsAnsweredOrRightlyDroppedAndNothingCrashes() throws IOException {
        Map<String, Integer> byClass = new TreeMap<>();
        List<String> unanswered = new ArrayList<>();
        List<String> badStatusLines = new ArrayList<>();
        int cases = 0;
        int responses = 0;
        int silentAsExpected = 0;
        for (String transport : new String[] {"UDP", "TCP"}) {
            RawPeer udp = transport.equals("UDP") ? RawPeer.open("UDP", sip.port()) : null;
            try {
                int index = 0;
                for (String method : METHODS) {
                    Random random = new Random(SEED + method.hashCode());
                    for (Case c : cases(method, random)) {
                        index++;
                        String token = "m" + transport.toLowerCase(Locale.ROOT) + index;
                        RawPeer peer = udp != null ? udp : RawPeer.open("TCP", sip.port());
                        try {
                            String text = c.text().replace("TOKEN", token)
                                    .replace("PEERPORT", String.valueOf(peer.port()))
                                    .replace("TRANSPORT", transport).replace("SIPPORT", String.valueOf(sip.port()));
                            cases++;
                            boolean answerless = answerless(c, transport);
                            String answer = sendQuietly(peer, text, token, answerless ? SILENCE : ANSWER);
                            if (answer != null) {
                                responses++;
                                byClass.merge(answer.charAt(8) + "xx", 1, Integer::sum);
                                String statusLine = answer.substring(0, answer.indexOf("\r\n"));
                                if (!statusLine.matches("SIP/2\\.0 [1-6]\\d\\d [^\\p{Cntrl}]*")) {
                                    badStatusLines.add(transport + " " + c.name() + ": " + statusLine);
                                }
                            } else if (answerless) {
                                silentAsExpected++;
                            } else {
                                unanswered.add(transport + " " + c.name());
                            }
                        } finally {
                            if (udp == null) {
                                peer.close();
                            }
                        }
                    }
                }
            } finally {
                if (udp != null) {
                    udp.close();
                }
            }
        }
        System.out.printf("SIP mutation run: %d cases, %d responses %s, %d rightly unanswered, %d unanswered, "
                + "%d handling failures, %d uncaught%n", cases, responses, byClass, silentAsExpected,
                unanswered.size(), sip.handlingFailures(), uncaught.seen().size());
        assertThat(unanswered).as("cases that got no final response").isEmpty();
        assertThat(badStatusLines).as("answers whose status line is malformed").isEmpty();
        assertThat(sip.handlingFailures()).as("throwables caught while handling SIP").isZero();
        assertThat(uncaught.seen()).as("threads that died of an uncaught throwable").isEmpty();
        Await.until("no leg or call left", RawCalls.WAIT, () -> sip.liveLegs() == 0 && engine.resources().isEmpty());
        engine.setIncomingCallListener(RawCalls.answering());
        for (String transport : new String[] {"UDP", "TCP"}) {
            try (RawPeer peer = RawPeer.open(transport, sip.port())) {
                RawCalls.completeNormalCall(peer, sip.port());
            }
        }
    }

    /** Sends a case and returns its final response (the one carrying its token), or {@code null}. */
    private String sendQuietly(RawPeer peer, String text, String token, Duration wait) throws IOException {
        try {
            peer.send(text, sip.port());
        } catch (IOException e) {
            // The engine already closed a TCP connection it could not frame: the case is unanswered.
            return null;
        }
        return peer.receive(wait, m -> m.startsWith("SIP/2.0 ") && m.length() > 11 && m.charAt(8) >= '2'
                && m.contains(token));
    }

    /**
     * Returns whether no answer is the right outcome: without a usable Via a response has nowhere to go (RFC 3261
     * 18.2.2); a Content-Length larger than what follows makes a stream wait for bytes that never come (RFC 3261
     * 18.3). Over UDP the same requests are answered 400 (the datagram's end shows the body is short).
     */
    static boolean answerless(Case c, String transport) {
        if (c.header().equals("Via") && (c.mutation().equals("removed") || c.mutation().equals("emptied"))) {
            return true;
        }
        return transport.equals("TCP") && ((c.header().equals("Content-Length") && c.mutation().equals("too large"))
                || (c.header().equals("body") && c.mutation().equals("cut short")));
    }

    /** The valid request every case of {@code method} mutates, with placeholders the run fills in. */
    static List<String> baseLines(String method) {
        List<String> lines = new ArrayList<>();
        lines.add(method + " sip:bob@127.0.0.1:SIPPORT SIP/2.0");
        lines.add("Via: SIP/2.0/TRANSPORT 127.0.0.1:PEERPORT;branch=z9hG4bK-TOKEN");
        lines.add("Max-Forwards: 70");
        lines.add("From: <sip:alice@127.0.0.1>;tag=TOKEN");
        lines.add("To: <sip:bob@127.0.0.1:SIPPORT>" + (method.equals("BYE") ? ";tag=TOKEN-b" : ""));
        lines.add("Call-ID: TOKEN@127.0.0.1");
        lines.add("CSeq: 1 " + method);
        lines.add("Contact: <sip:alice@127.0.0.1:PEERPORT;transport=TRANSPORT>");
        if (method.equals("INVITE")) {
            lines.add("Content-Type: application/sdp");
        }
        return lines;
    }

    static String body(String method) {
        return method.equals("INVITE") ? RawCalls.pcmu(40_000) : "";
    }

    /** Every case of one method, in a fixed order. */
    static List<Case> cases(String method, Random random) {
        List<Case> cases = new ArrayList<>();
        List<String> base = baseLines(method);
        String body = body(method);
        for (int i = 0; i < base.size(); i++) {
            String line = base.get(i);
            String header = i == 0 ? "Request-URI" : line.substring(0, line.indexOf(':'));
            for (Map.Entry<String, List<String>> mutation : mutations(i, line, random).entrySet()) {
                List<String> lines = new ArrayList<>(base);
                lines.remove(i);
                lines.addAll(i, mutation.getValue());
                cases.add(new Case(method, header, mutation.getKey(), message(lines, body, body.length())));
            }
        }
        cases.add(new Case(method, "Via", "1000 deep", message(with(base, 2, 1000,
                "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-chain"), body, body.length())));
        cases.add(new Case(method, "Route", "1000 headers", message(with(base, base.size(), 1000,
                "Route: <sip:127.0.0.1:SIPPORT;lr>"), body, body.length())));
        if (!body.isEmpty()) {
            cases.add(new Case(method, "body", "cut short", message(base, body.substring(0, body.length() / 2),
                    body.length())));
        }
        cases.add(new Case(method, "Content-Length", "too large", message(base, body, body.length() + 100)));
        cases.add(new Case(method, "Content-Length", "too small", message(base, body, Math.max(0,
                body.length() - 10))));
        cases.add(new Case(method, "Content-Length", "negative", message(base, body, -5)));
        cases.add(new Case(method, "Content-Length", "absurd", message(base, body, Integer.MAX_VALUE)));
        return cases;
    }

    private static List<String> with(List<String> base, int at, int copies, String line) {
        List<String> lines = new ArrayList<>(base);
        for (int i = 0; i < copies; i++) {
            lines.add(at, line);
        }
        return lines;
    }

    private static String message(List<String> lines, String body, long contentLength) {
        return String.join("\r\n", lines) + "\r\nContent-Length: " + contentLength + "\r\n\r\n" + body;
    }

    /** The mutations of line {@code index} (0: the request line), by name. */
    private static Map<String, List<String>> mutations(int index, String line, Random random) {
        Map<String, List<String>> all = new TreeMap<>();
        for (int length : new int[] {1_000, 10_000, 60_000}) {
            all.put("long " + length, List.of(longer(index, line, length)));
        }
        all.put("odd characters", List.of(odd(index, line, random)));
        all.put("nested", List.of(inserted(index, line, "<".repeat(10_000))));
        all.put("parameters", List.of(index == 0 ? line.replace(" SIP/2.0", ";a".repeat(10_000) + " SIP/2.0")
                : line + ";a".repeat(10_000)));
        if (index > 0) {
            String name = line.substring(0, line.indexOf(':'));
            all.put("emptied", List.of(name + ":"));
            all.put("duplicated", List.of(line, line));
            all.put("removed", List.of());
        }
        return all;
    }

    /** Makes the value of a line (the Request-URI's user part, an address's user part, or the value) longer. */
    private static String longer(int index, String line, int length) {
        return inserted(index, line, "9".repeat(length));
    }

    private static String inserted(int index, String line, String text) {
        if (index == 0) {
            return line.replace("sip:bob@", "sip:bob" + text + "@");
        }
        if (line.contains("<sip:")) {
            return line.replaceFirst("<sip:(\\w+)@", "<sip:$1" + java.util.regex.Matcher.quoteReplacement(text)
                    + "@");
        }
        int colon = line.indexOf(':');
        return line.substring(0, colon + 2) + text + line.substring(colon + 2);
    }

    /** Puts a few odd characters (controls, quotes, brackets, non-ASCII, percent escapes) into the value. */
    private static String odd(int index, String line, Random random) {
        String pool = "\u0000\u0001\u0007\u001b\"'<>[]{}\\%%00%zz\u00e9\u00ff\u0080;,=@:";
        StringBuilder odd = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            odd.append(pool.charAt(random.nextInt(pool.length())));
        }
        return inserted(index, line, odd.toString());
    }
}
