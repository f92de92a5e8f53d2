package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The container image definition ({@code deploy/docker/Dockerfile}) against what it runs: it copies the jar the build
 * writes, gives the JVM the flags the systemd unit and the README give, and its default command is a valid server
 * command line — refused without a token (it listens beyond loopback), and with one listening on the ports the image
 * exposes. No container is built here (the build machine has no container engine); this keeps the file true to the
 * server it packages.
 */
class ContainerImageTest {

    private static final Path DOCKERFILE = Path.of("..", "deploy", "docker", "Dockerfile");
    private static final Path UNIT = Path.of("..", "deploy", "systemd", "cti4j.service");

    /** The Dockerfile's instructions, continuation lines joined and comments left out. */
    private static List<String> instructions() throws IOException {
        String text = Files.readString(DOCKERFILE).replaceAll("(?m)^\\s*#.*\\n", "").replace("\\\n", " ");
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static String instruction(String name) throws IOException {
        return instructions().stream().filter(line -> line.startsWith(name + " ")).map(line -> line.substring(
                name.length() + 1).strip()).reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + name));
    }

    private static String[] command() throws IOException {
        return new ObjectMapper().readValue(instruction("CMD"), String[].class);
    }

    @Test
    void itCopiesTheJarTheBuildWrites() throws IOException {
        assertThat(instruction("FROM")).isEqualTo("eclipse-temurin:17-jre");
        assertThat(instruction("COPY")).isEqualTo("cti-server/target/cti-server.jar /opt/cti4j/cti-server.jar");
        assertThat(Files.readString(Path.of("pom.xml")))
                .contains("<outputFile>${project.build.directory}/cti-server.jar</outputFile>");
        assertThat(instruction("ENTRYPOINT")).contains("exec java $JAVA_OPTS -jar /opt/cti4j/cti-server.jar");
        assertThat(instruction("USER")).isEqualTo("cti4j");
    }

    @Test
    void theJvmGetsTheFlagsOfTheSystemdUnit() throws IOException {
        Matcher env = Pattern.compile("JAVA_OPTS=\"([^\"]*)\"").matcher(instruction("ENV"));
        assertThat(env.find()).isTrue();
        Matcher unit = Pattern.compile("(?m)^ExecStart=/usr/bin/java (.*) -jar ").matcher(Files.readString(UNIT));
        assertThat(unit.find()).isTrue();
        assertThat(env.group(1)).isEqualTo(unit.group(1)).contains("-XX:MaxGCPauseMillis=10");
    }

    @Test
    void theDefaultCommandNeedsATokenAndListensOnThePortsTheImageExposes() throws Exception {
        String[] args = command();
        assertThatThrownBy(() -> CtiServerConfig.parse(args, Map.of()))
                .isInstanceOf(CtiServerConfig.BadInputException.class).hasMessageContaining("token");

        CtiServerConfig config = CtiServerConfig.parse(args, Map.of(CtiServerConfig.TOKEN_ENV, "secret"));
        List<String> exposed = Arrays.asList(instruction("EXPOSE").split("\\s+", 0));
        assertThat(exposed).contains(config.sipPort() + "/udp", config.sipPort() + "/tcp", config.rpcPort() + "/tcp",
                config.metricsPort() + "/tcp", config.rtpFirstPort() + "-" + config.rtpLastPort() + "/udp");
        assertThat(config.sipHost()).isEqualTo("0.0.0.0");
        assertThat(config.metricsHost()).isEqualTo("0.0.0.0");
        assertThat(config.drainTime()).isEqualTo(Duration.ofSeconds(30));
        // The CDR file and the recordings are where the image's volumes are.
        assertThat(config.cdrFile()).isEqualTo(Path.of("/var/log/cti4j/cdr.jsonl"));
        assertThat(instruction("VOLUME")).contains("/var/lib/cti4j/recordings", "/var/log/cti4j");
        assertThat(instruction("WORKDIR")).isEqualTo("/var/lib/cti4j");
    }
}
