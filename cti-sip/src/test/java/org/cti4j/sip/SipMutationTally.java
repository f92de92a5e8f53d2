package org.cti4j.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What a {@link SipMutationRun} saw: cases sent, final responses by class and by code, cases left unanswered. */
public final class SipMutationTally {

    /** Final responses by status class ("2xx" ...). */
    public final Map<String, Integer> byClass = new TreeMap<>();
    /** Final responses by status code. */
    public final Map<Integer, Integer> byCode = new TreeMap<>();
    /** Cases by method. */
    public final Map<String, Integer> byMethod = new TreeMap<>();
    /** Answers whose status line is malformed, with their case. */
    public final List<String> badStatusLines = new ArrayList<>();
    /** Cases that could not be sent (a datagram the system refused), with the reason. */
    public final List<String> sendFailures = new ArrayList<>();
    /** Probes the engine did not answer. */
    public final List<String> failedProbes = new ArrayList<>();
    /** The first few unanswered cases, for the log. */
    public final List<String> unansweredExamples = new ArrayList<>();
    public int cases;
    public int finals;
    public int provisional;
    public int unanswered;
    public int closedByEngine;
    /** Responses that came after their case ended (retransmissions). */
    public int late;
    /** BYEs sent again over UDP because no answer came (the BYE or its answer was lost). */
    public int byesResent;
    public int probes;
    /** INVITEs whose SDP alone was mutated, and how many of them were answered 2xx. */
    public int sdpCases;
    public int sdpAnswered;

    void sent(SipMutator.Case c) {
        cases++;
        byMethod.merge(c.method(), 1, Integer::sum);
        if (c.sdpOnly()) {
            sdpCases++;
        }
    }

    void answered(int status, SipMutator.Case c) {
        finals++;
        byClass.merge(status / 100 + "xx", 1, Integer::sum);
        byCode.merge(status, 1, Integer::sum);
        if (status < 300 && c.sdpOnly()) {
            sdpAnswered++;
        }
    }

    void unanswered(SipMutator.Case c) {
        unanswered++;
        if (unansweredExamples.size() < 5) {
            unansweredExamples.add(c.describe());
        }
    }


    /** Returns the ten most frequent 4xx and 5xx codes with their counts, most frequent first. */
    public Map<Integer, Integer> topErrors() {
        return byCode.entrySet().stream().filter(e -> e.getKey() >= 400 && e.getKey() < 600)
                .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed()).limit(10)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
                        java.util.LinkedHashMap::new));
    }

    /** One paragraph for the log. */
    public String summary() {
        return String.format("%d cases %s: %d final responses %s, top 4xx/5xx %s, %d provisional, %d unanswered, "
                + "%d connections closed by the engine, %d late responses, %d BYEs resent, %d SDP-only INVITEs (%d answered 2xx), "
                + "%d bad status lines, %d send failures, %d/%d probes failed", cases, byMethod, finals, byClass,
                topErrors(), provisional, unanswered, closedByEngine, late, byesResent, sdpCases, sdpAnswered,
                badStatusLines.size(), sendFailures.size(), failedProbes.size(), probes);
    }
}
