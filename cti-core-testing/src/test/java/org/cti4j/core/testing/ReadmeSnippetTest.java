package org.cti4j.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cti4j.api.Call;
import org.cti4j.api.CallListener;
import org.cti4j.api.DialOptions;
import org.cti4j.core.CoreEngine;
import org.junit.jupiter.api.Test;

/**
 * The snippet of the README's "Testing an application without a network", run as printed; a second test checks that
 * the README still prints exactly the lines between the markers below, so that neither can change without the other.
 */
class ReadmeSnippetTest {

    private static final String BEGIN = "// README snippet begin";
    private static final String END = "// README snippet end";

    @Test
    // The snippet is the README's, which shows the call an application gets back.
    @SuppressWarnings("UnusedVariable")
    void theReadmeSnippetRunsAsPrinted() {
        // README snippet begin
        DialOptions options = DialOptions.builder().fromUri("sip:1000@127.0.0.1").toUri("sip:2000@127.0.0.1")
                .maxAnswerSeconds(600).build();
        CallListener listener = new CallListener() { };
        ScriptedSignaling phones = new ScriptedSignaling();
        ManualScheduler clock = new ManualScheduler();
        try (CoreEngine engine = CoreEngine.builder().signaling(phones).media(new ScriptedMedia())
                .clock(clock).scheduler(clock).build()) {
            Call call = engine.dial(options, listener);
            ScriptedSignaling.Outbound callee = phones.nextDialled(Duration.ofSeconds(5));
            callee.ring();                                  // returns once the engine has taken it in
            clock.advance(Duration.ofSeconds(50));          // max_ring_seconds: the engine cancels
            callee.awaitAction("cancel", Duration.ofSeconds(5));
        }
        // README snippet end
    }

    @Test
    void theReadmePrintsExactlyTheSnippetThatRuns() throws IOException {
        Path module = Path.of("").toAbsolutePath();
        List<String> source = Files.readAllLines(module.resolve(
                "src/test/java/org/cti4j/core/testing/ReadmeSnippetTest.java"), StandardCharsets.UTF_8);
        List<String> snippet = dedent(source.subList(indexOf(source, BEGIN, 0) + 1, indexOf(source, END, 0)));

        List<String> readme = Files.readAllLines(module.resolveSibling("README.md"), StandardCharsets.UTF_8);
        int section = indexOf(readme, "### Testing an application without a network", 0);
        int open = indexOf(readme, "```java", section);
        List<String> printed = readme.subList(open + 1, indexOf(readme, "```", open + 1));

        assertThat(printed).containsExactlyElementsOf(snippet);
    }

    private static int indexOf(List<String> lines, String marker, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("'" + marker + "' not found after line " + from);
    }

    private static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            out.add(line.isBlank() ? "" : line.substring(indent));
        }
        return out;
    }
}
