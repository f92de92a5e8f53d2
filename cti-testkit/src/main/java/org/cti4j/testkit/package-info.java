/**
 * Real phones in JUnit tests of applications built on cti4j: {@link org.cti4j.testkit.TestPhone}, an in-process SIP
 * phone with real RTP over 127.0.0.1 that the test scripts (answer, reject, ring, call, play a tone, press keys, hang
 * up) and that asserts what it heard ({@link org.cti4j.testkit.TestCall#awaitTone}, {@code awaitSilence},
 * {@code awaitKeys}); and {@link org.cti4j.testkit.CtiTest}, a JUnit 5 extension that gives each test a fresh
 * engine and phones and fails it if anything leaked. No baresip, SIPp or other program is needed.
 */
package org.cti4j.testkit;
