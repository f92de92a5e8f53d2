package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * cti-sip's main code uses of cti-core only its SPI, {@code org.cti4j.core.spi}: the engine's own classes may move
 * or change without a provider noticing.
 */
class CoreDependencyTest {

    private static final Pattern CORE_NAME = Pattern.compile("org\\.cti4j\\.core\\.(?!spi\\.)[A-Za-z_.]+");

    @Test
    void theMainCodeNamesNothingOfCoreButItsSpi() throws IOException {
        Path main = Path.of("src", "main", "java");
        assertThat(main).as("cti-sip's sources, from the module's folder").isDirectory();
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                Matcher matcher = CORE_NAME.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    found.add(main.relativize(file) + ": " + matcher.group());
                }
            }
        }
        assertThat(found).as("names of cti-core outside org.cti4j.core.spi").isEmpty();
    }
}
