package org.cti4j.sip.internal;

/**
 * Why a request is refused: the status and reason phrase of the final response it gets.
 *
 * @param status a final status, 400 to 699
 * @param reason the reason phrase, naming what is wrong where the status alone does not
 */
record Refusal(int status, String reason) {

    Refusal {
        if (status < 400 || status > 699) {
            throw new IllegalArgumentException("a refusal is a 4xx-6xx status, not " + status);
        }
    }

    /** Reads {@code "<status> <reason>"}, as a refusal is carried in a header between the parser and the router. */
    static Refusal parse(String statusLine) {
        return new Refusal(Integer.parseInt(statusLine.substring(0, 3)), statusLine.substring(4));
    }

    /** Returns {@code "<status> <reason>"}, the form {@link #parse} reads. */
    @Override
    public String toString() {
        return status + " " + reason;
    }
}
