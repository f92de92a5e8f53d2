/**
 * The load harness of issue #7: {@link org.cti4j.bench.load.LoadHarness} starts an embedded engine and SIPp phones,
 * drives duo callbacks or calls through them at a rate, measures inside its own process (calls per second,
 * concurrency, CPU, heap, GC pauses, SIP latencies on the wire, RTP timing and loss, leaks) and writes
 * {@code report.md}, {@code report.svg} and the raw samples. See {@code cti-bench/README.md}.
 */
package org.cti4j.bench.load;
