package org.cti4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CtiEngine;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The README's example test of the kit is this one: {@link GreetingTest} below, between the README markers, is the
 * README's text line for line, and it passes.
 */
class ReadmeExampleTest {

    private static final Path THIS_FILE = Path.of("src/test/java/org/cti4j/testkit/ReadmeExampleTest.java");
    private static final Path README = Path.of("../README.md");
    private static final Path GREETING = Path.of("greeting.wav");

    @Test
    void theReadmesExampleIsThisTestWordForWord() throws IOException {
        List<String> source = Files.readAllLines(THIS_FILE);
        int begin = source.indexOf("    // README begin");
        int end = source.indexOf("    // README end");
        assertThat(begin).as("the README begin marker").isPositive();
        assertThat(end).as("the README end marker").isGreaterThan(begin);
        // The class is nested here: static, and one level of indentation less in the README.
        String example = source.subList(begin + 1, end).stream()
                .map(line -> line.startsWith("    ") ? line.substring(4) : line)
                .map(line -> line.replace("static class GreetingTest", "class GreetingTest"))
                .collect(Collectors.joining("\n"));
        assertThat(Files.readString(README)).as("README.md").contains("```java\n" + example + "\n```");
    }

    @Test
    void theReadmesExamplePasses() throws IOException {
        // The greeting the example plays, where a relative name finds it: the module's folder, removed after.
        TestPhone.writeTone(GREETING, 440, Duration.ofSeconds(2));
        try {
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(GreetingTest.class)).build(), listener);
            TestExecutionSummary summary = listener.getSummary();
            assertThat(summary.getFailures()).as("failures of the README's example").isEmpty();
            assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        } finally {
            Files.deleteIfExists(GREETING);
        }
    }

    // README begin
    @CtiTest
    static class GreetingTest {
        @Test
        void callersHearTheGreetingAndAreHungUp(CtiEngine engine, TestPhone caller) {
            engine.setIncomingCallListener(new CallListener() {
                @Override
                public void onIncoming(Call call, CallEvent.Incoming event) {
                    call.answer();
                    call.playStart("greeting.wav").thenRun(call::drop);   // a 440 Hz greeting
                }
            });
            TestCall call = caller.call("greeting");                       // sip:greeting@<the engine>
            call.awaitAnswered(Duration.ofSeconds(5));
            call.awaitTone(440, Duration.ofMillis(500), Duration.ofSeconds(5));
            call.awaitReleased(Duration.ofSeconds(5));
        }
    }
    // README end
}
