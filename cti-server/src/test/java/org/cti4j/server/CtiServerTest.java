package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.DialError;
import org.cti4j.api.DroppedBy;
import org.cti4j.api.SipUri;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CtiServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @Test
    void withoutFlagsTheDefaultsApply() throws Exception {
        CtiServerConfig config = CtiServerConfig.parse(new String[0], Map.of());

        assertThat(config.sipHost()).isEqualTo("127.0.0.1");
        assertThat(config.sipPort()).isEqualTo(5060);
        assertThat(config.sipTransport()).isEqualTo("udp");
        assertThat(config.rtpFirstPort()).isEqualTo(20000);
        assertThat(config.rtpLastPort()).isEqualTo(29999);
        assertThat(config.rpcHost()).isEqualTo("127.0.0.1");
        assertThat(config.rpcPort()).isEqualTo(8088);
        assertThat(config.token()).isNull();
        assertThat(config.nodeId()).isEqualTo("0.0.0");
        assertThat(config.cdrFile()).isNull();
        assertThat(config.keyStore()).isNull();
        assertThat(config.sessionGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.shareResources()).isFalse();
    }

    @Test
    void metricsAreNotServedUnlessAPortIsGivenAndListenOnLoopbackByDefault() throws Exception {
        CtiServerConfig none = CtiServerConfig.parse(new String[0], Map.of());
        CtiServerConfig some = CtiServerConfig.parse(new String[] {"--metrics-port", "9100"}, Map.of());
        CtiServerConfig any = CtiServerConfig.parse(new String[] {"--metrics-port=0", "--metrics-host", "0.0.0.0"},
                Map.of());

        assertThat(none.metricsPort()).isEqualTo(-1);
        assertThat(none.toString()).contains("metrics=off");
        assertThat(some.metricsHost()).isEqualTo("127.0.0.1");
        assertThat(some.metricsPort()).isEqualTo(9100);
        assertThat(any.metricsHost()).isEqualTo("0.0.0.0");
        assertThat(any.metricsPort()).isZero();
        assertThatThrownBy(() -> CtiServerConfig.parse(new String[] {"--metrics-port", "70000"}, Map.of()))
                .isInstanceOf(CtiServerConfig.BadInputException.class).hasMessageContaining("--metrics-port");
    }

    @Test
    void theSoundsAndRecordingsDirectoriesAreUnderTheWorkingDirectoryByDefault() throws Exception {
        CtiServerConfig config = CtiServerConfig.parse(new String[0], Map.of());

        // As the README says: ./sounds and ./recordings.
        assertThat(config.soundsDir()).isEqualTo(Path.of("sounds"));
        assertThat(config.recordingsDir()).isEqualTo(Path.of("recordings"));
        assertThat(CtiServerConfig.USAGE).contains("--sounds-dir DIR", "(default ./sounds)", "--recordings-dir DIR",
                "(default ./recordings)");
    }

    @Test
    void theSoundsAndRecordingsDirectoriesComeFromFlagsThenTheConfigFile() throws Exception {
        Path file = write("media.properties", "sounds-dir=/srv/cti/sounds\nrecordings-dir = /srv/cti/rec\n");

        CtiServerConfig fromFile = CtiServerConfig.parse(new String[] {"--config", file.toString()}, Map.of());
        CtiServerConfig flags = CtiServerConfig.parse(new String[] {"--config", file.toString(), "--sounds-dir",
            "prompts", "--recordings-dir=calls"}, Map.of());

        assertThat(fromFile.soundsDir()).isEqualTo(Path.of("/srv/cti/sounds"));
        assertThat(fromFile.recordingsDir()).isEqualTo(Path.of("/srv/cti/rec"));
        assertThat(flags.soundsDir()).isEqualTo(Path.of("prompts"));
        assertThat(flags.recordingsDir()).isEqualTo(Path.of("calls"));
        assertThat(flags.toString()).contains("soundsDir=prompts", "recordingsDir=calls");
    }

    @Test
    void anEmptySoundsOrRecordingsDirectoryIsBadInput() {
        for (String flag : List.of("--sounds-dir", "--recordings-dir")) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CtiServer.ExitException exit = catchThrowableOfType(CtiServer.ExitException.class,
                    () -> CtiServer.start(new String[] {flag, " "}, Map.of(), print(new ByteArrayOutputStream()),
                            print(err)));
            assertThat(exit.exitCode()).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains(flag, "empty");
        }
    }

    @Test
    void flagsOverrideTheConfigFileWhichOverridesTheDefaults() throws Exception {
        Path file = write("server.properties", """
                # a comment
                sip-port = 5070
                rpc-port=9000
                node-id=1.2.3
                token=from-the-file
                sip-transport=TCP
                rtp-ports=30000-30999
                cdr-file=from-file.jsonl
                """);

        CtiServerConfig config = CtiServerConfig.parse(new String[] {"--sip-port", "5080", "--config",
            file.toString(), "--cdr-file=cdr.jsonl", "--session-grace", "0", "--share-resources", "true"}, Map.of());

        assertThat(config.sipPort()).isEqualTo(5080);
        assertThat(config.rpcPort()).isEqualTo(9000);
        assertThat(config.nodeId()).isEqualTo("1.2.3");
        assertThat(config.token()).isEqualTo("from-the-file");
        assertThat(config.sipTransport()).isEqualTo("tcp");
        assertThat(config.rtpFirstPort()).isEqualTo(30000);
        assertThat(config.rtpLastPort()).isEqualTo(30999);
        assertThat(config.cdrFile()).isEqualTo(Path.of("cdr.jsonl"));
        assertThat(config.sessionGrace()).isZero();
        assertThat(config.shareResources()).isTrue();
        assertThat(config.drainTime()).as("no drain unless asked").isZero();
        assertThat(CtiServerConfig.parse(new String[] {"--drain-seconds", "300"}, Map.of()).drainTime())
                .isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(config.sipHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void theTokenComesFromTheFlagThenTheEnvironmentThenTheFile() throws Exception {
        Path file = write("token.properties", "token=file\n");
        Map<String, String> env = Map.of("CTI4J_TOKEN", "env");
        String[] withFile = {"--config", file.toString()};

        assertThat(CtiServerConfig.parse(withFile, Map.of()).token()).isEqualTo("file");
        assertThat(CtiServerConfig.parse(withFile, env).token()).isEqualTo("env");
        assertThat(CtiServerConfig.parse(new String[] {"--config", file.toString(), "--token", "flag"}, env)
                .token()).isEqualTo("flag");
    }

    @Test
    void theOutboundProxyAndCredentialsComeFromFlagsThenTheEnvironmentThenTheFile() throws Exception {
        Path file = write("sip.properties", """
                sip-outbound-proxy=sip:10.0.0.5:5070
                sip-username=alice
                sip-password=from-the-file
                sip-realm=pbx.example.com
                """);
        String[] withFile = {"--config", file.toString()};

        CtiServerConfig fromFile = CtiServerConfig.parse(withFile, Map.of());
        assertThat(fromFile.sipOutboundProxy()).isEqualTo("sip:10.0.0.5:5070");
        assertThat(fromFile.sipUsername()).isEqualTo("alice");
        assertThat(fromFile.sipPassword()).isEqualTo("from-the-file");
        assertThat(fromFile.sipRealm()).isEqualTo("pbx.example.com");

        Map<String, String> env = Map.of("CTI4J_SIP_PASSWORD", "from-the-env");
        assertThat(CtiServerConfig.parse(withFile, env).sipPassword()).isEqualTo("from-the-env");

        CtiServerConfig flags = CtiServerConfig.parse(new String[] {"--config", file.toString(),
            "--sip-outbound-proxy", "sip:127.0.0.1:5080", "--sip-username=bob", "--sip-password", "from-the-flag",
            "--sip-realm", "other"}, env);
        assertThat(flags.sipOutboundProxy()).isEqualTo("sip:127.0.0.1:5080");
        assertThat(flags.sipUsername()).isEqualTo("bob");
        assertThat(flags.sipPassword()).isEqualTo("from-the-flag");
        assertThat(flags.sipRealm()).isEqualTo("other");
    }

    @Test
    void withoutSipFlagsThereIsNoProxyAndNoCredentials() throws Exception {
        CtiServerConfig config = CtiServerConfig.parse(new String[0], Map.of());

        assertThat(config.sipOutboundProxy()).isNull();
        assertThat(config.sipUsername()).isNull();
        assertThat(config.sipPassword()).isNull();
        assertThat(config.sipRealm()).isNull();
    }

    @Test
    void engineFlagsBecomeEngineProperties() throws Exception {
        Path file = write("advertised.properties", "media-advertised-address=192.0.2.1\n");

        CtiServerConfig fromFile = CtiServerConfig.parse(new String[] {"--config", file.toString()}, Map.of());
        CtiServerConfig flag = CtiServerConfig.parse(new String[] {"--config", file.toString(),
            "--media-advertised-address", " 192.0.2.7 "}, Map.of());

        assertThat(CtiServerConfig.parse(new String[0], Map.of()).engineProperties()).isEmpty();
        assertThat(fromFile.engineProperties()).containsExactly(Map.entry("media.advertised-address", "192.0.2.1"));
        assertThat(flag.engineProperties()).containsExactly(Map.entry("media.advertised-address", "192.0.2.7"));
        assertThat(CtiServerConfig.parse(new String[] {"--srtp", "mandatory"}, Map.of()).engineProperties())
                .containsExactly(Map.entry("media.srtp", "mandatory"));
        assertThat(CtiServerConfig.ENGINE_PROPERTY_FLAGS).allSatisfy((name, property) -> assertThat(
                CtiServerConfig.USAGE).as("--help lists --%s", name).contains("--" + name + " "));
    }

    @Test
    void theSipAdvertisedAddressIsTheMediaOneTooUnlessThatIsGiven() throws Exception {
        CtiServerConfig alone = CtiServerConfig.parse(new String[] {"--sip-advertised-address", "192.0.2.1"},
                Map.of());
        CtiServerConfig both = CtiServerConfig.parse(new String[] {"--sip-advertised-address", "192.0.2.1",
            "--media-advertised-address", "198.51.100.2"}, Map.of());
        CtiServerConfig fromFile = CtiServerConfig.parse(new String[] {"--config",
            write("nat.properties", "sip-advertised-address=203.0.113.9\n").toString()}, Map.of());

        assertThat(alone.engineProperties()).containsOnly(Map.entry("sip.advertised-address", "192.0.2.1"),
                Map.entry("media.advertised-address", "192.0.2.1"));
        assertThat(both.engineProperties()).containsOnly(Map.entry("sip.advertised-address", "192.0.2.1"),
                Map.entry("media.advertised-address", "198.51.100.2"));
        assertThat(fromFile.engineProperties()).containsEntry("sip.advertised-address", "203.0.113.9")
                .containsEntry("media.advertised-address", "203.0.113.9");
    }

    @Test
    void accountsComeFromTheConfigFileOnlyAndTheirPasswordsAreMasked() throws Exception {
        Path file = write("accounts.properties", """
                sip.accounts=agent
                sip.account.agent.registrar=sip:pbx.example.com
                sip.account.agent.aor=sip:1001@pbx.example.com
                sip.account.agent.password=s3cret
                sip-keepalive-seconds=20
                """);

        CtiServerConfig config = CtiServerConfig.parse(new String[] {"--config", file.toString()}, Map.of());

        assertThat(config.engineProperties()).containsEntry("sip.accounts", "agent")
                .containsEntry("sip.account.agent.registrar", "sip:pbx.example.com")
                .containsEntry("sip.account.agent.password", "s3cret")
                .containsEntry("sip.keepalive-seconds", "20");
        assertThat(config.toString()).doesNotContain("s3cret").contains("sip.account.agent.password=***");
        assertThat(catchThrowableOfType(CtiServerConfig.BadInputException.class, () -> CtiServerConfig.parse(
                new String[] {"--sip.account.agent.password", "s3cret"}, Map.of())))
                .hasMessageContaining("--config file only");
    }

    @Test
    void anAccountWithoutItsAorStopsTheServerNamingTheProperty() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path file = write("half.properties", """
                sip.accounts=agent
                sip.account.agent.registrar=sip:pbx.example.com
                """);

        CtiServer.ExitException exit = catchThrowableOfType(CtiServer.ExitException.class,
                () -> CtiServer.start(new String[] {"--rpc-port", "0", "--config", file.toString()}, Map.of(),
                        print(new ByteArrayOutputStream()), print(err)));

        assertThat(exit).isNotNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("sip.account.agent.aor");
    }

    @Test
    void aMalformedSipAdvertisedAddressStopsTheServerNamingTheProperty() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        CtiServer.ExitException exit = catchThrowableOfType(CtiServer.ExitException.class,
                () -> CtiServer.start(new String[] {"--rpc-port", "0", "--sip-advertised-address", "192.0.2.1:5060"}, Map.of(), print(new ByteArrayOutputStream()), print(err)));

        // The engine checks the value before it binds anything.
        assertThat(exit).isNotNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("sip.advertised-address", "192.0.2.1:5060");
    }

    @Test
    void theLimitsBecomeEnginePropertiesAndABadOneStopsTheServerNamingIt() throws Exception {
        assertThat(CtiServerConfig.parse(new String[] {"--max-live-calls", "500", "--max-calls-per-second", "40"},
                Map.of()).engineProperties()).containsOnly(Map.entry("engine.max-live-calls", "500"),
                Map.entry("engine.max-calls-per-second", "40"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        CtiServer.ExitException exit = catchThrowableOfType(CtiServer.ExitException.class,
                () -> CtiServer.start(new String[] {"--rpc-port", "0", "--max-live-calls", "many"}, Map.of(),
                        print(new ByteArrayOutputStream()), print(err)));

        assertThat(exit).isNotNull();
        assertThat(exit.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("engine.max-live-calls", "'many'");
    }

    @Test
    void aSipPasswordWithoutAUserNameIsRefusedEvenFromTheEnvironment() throws Exception {
        Throwable thrown = catchThrowableOfType(CtiServerConfig.BadInputException.class,
                () -> CtiServerConfig.parse(new String[0], Map.of("CTI4J_SIP_PASSWORD", "x")));

        assertThat(thrown).hasMessageContaining("--sip-password").hasMessageContaining("without --sip-username");
    }

    @Test
    void anyAddressNeedsAToken() throws Exception {
        CtiServerConfig config = CtiServerConfig.parse(new String[] {"--rpc-host", "0.0.0.0"},
                Map.of("CTI4J_TOKEN", "secret"));

        assertThat(config.rpcHost()).isEqualTo("0.0.0.0");
        assertThat(config.token()).isEqualTo("secret");
    }

    @Test
    void theKeyStorePasswordMayComeFromTheEnvironment() throws Exception {
        Path keyStore = write("server.p12", "not checked before start");

        CtiServerConfig config = CtiServerConfig.parse(new String[] {"--keystore", keyStore.toString()},
                Map.of("CTI4J_KEYSTORE_PASSWORD", "changeit"));

        assertThat(config.keyStore()).isEqualTo(keyStore);
        assertThat(config.keyStorePassword()).isEqualTo("changeit");
    }

    @Test
    void theSettingsPrintWithoutTheirSecrets() throws Exception {
        Path keyStore = write("secret.p12", "x");
        CtiServerConfig config = CtiServerConfig.parse(new String[] {"--token", "s3cr3t-token", "--keystore",
            keyStore.toString(), "--keystore-password", "s3cr3t-password", "--sip-username", "alice",
            "--sip-password", "s3cr3t-sip"}, Map.of());

        assertThat(config.toString()).doesNotContain("s3cr3t").contains("token=***", "sipPassword=***",
                "sipUsername=alice");
    }

    @Test
    void helpPrintsEveryFlagAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CtiServer.ExitException exit = catchThrowableOfType(CtiServer.ExitException.class,
                () -> CtiServer.start(new String[] {"--help"}, Map.of(), print(out),
                        print(new ByteArrayOutputStream())));

        assertThat(exit.exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--sip-host", "--sip-port", "--sip-transport",
                "--rtp-ports", "--rpc-host", "--rpc-port", "--token", "CTI4J_TOKEN", "--node-id", "--cdr-file",
                "--keystore", "--keystore-password", "--session-grace", "--share-resources", "--sip-outbound-proxy", "--sip-username",
                "--sip-password", "CTI4J_SIP_PASSWORD", "--sip-realm", "--config", "--drain-seconds",
                "--max-live-calls", "--max-calls-per-second");
    }

    static Stream<Arguments> badInputs() throws IOException {
        Path unknownKey = write("unknown-key.properties", "sip-port=5060\nsip-prot=5070\n");
        Path keyStore = write("no-password.p12", "x");
        return Stream.of(
                Arguments.of(List.of("--bogus", "1"), List.of("--bogus", "'1'")),
                Arguments.of(List.of("stray"), List.of("'stray'")),
                Arguments.of(List.of("--sip-port"), List.of("--sip-port", "needs a value")),
                Arguments.of(List.of("--sip-port", "abc"), List.of("--sip-port 'abc'", "whole number")),
                Arguments.of(List.of("--sip-port", "70000"), List.of("--sip-port '70000'", "1-65535")),
                Arguments.of(List.of("--sip-port", "0"), List.of("--sip-port '0'")),
                Arguments.of(List.of("--rpc-port=-1"), List.of("--rpc-port '-1'", "0-65535")),
                Arguments.of(List.of("--sip-host", " "), List.of("--sip-host", "empty")),
                Arguments.of(List.of("--sip-transport", "sctp"), List.of("--sip-transport 'sctp'", "udp, tcp or tls")),
                Arguments.of(List.of("--rtp-ports", "20000"), List.of("--rtp-ports '20000'")),
                Arguments.of(List.of("--rtp-ports", "20000-abc"), List.of("--rtp-ports '20000-abc'")),
                Arguments.of(List.of("--rtp-ports", "30000-20000"), List.of("--rtp-ports '30000-20000'")),
                Arguments.of(List.of("--rtp-ports", "100-200"), List.of("--rtp-ports '100-200'", "1024-65535")),
                Arguments.of(List.of("--node-id", "1.2"), List.of("--node-id '1.2'", "area.station.instance")),
                Arguments.of(List.of("--session-grace", "3601"), List.of("--session-grace '3601'", "0-3600")),
                Arguments.of(List.of("--drain-seconds", "86401"), List.of("--drain-seconds '86401'", "0-86400")),
                Arguments.of(List.of("--drain-seconds", "-5"), List.of("--drain-seconds '-5'", "0-86400")),
                Arguments.of(List.of("--token", ""), List.of("--token", "empty")),
                Arguments.of(List.of("--share-resources", "yes"), List.of("--share-resources 'yes'", "true or false")),
                Arguments.of(List.of("--rpc-host", "0.0.0.0"), List.of("--rpc-host '0.0.0.0'", "token")),
                Arguments.of(List.of("--config", dir.resolve("missing.properties").toString()),
                        List.of("--config '" + dir.resolve("missing.properties") + "'", "cannot be read")),
                Arguments.of(List.of("--config", unknownKey.toString()), List.of("'sip-prot'", "'5070'",
                        unknownKey.toString())),
                Arguments.of(List.of("--keystore", dir.resolve("missing.p12").toString()),
                        List.of("--keystore '" + dir.resolve("missing.p12") + "'", "not a readable file")),
                Arguments.of(List.of("--keystore", keyStore.toString()), List.of("--keystore", "--keystore-password")),
                Arguments.of(List.of("--cdr-file", dir.toString()),
                        List.of("--cdr-file '" + dir + "'", "cannot be opened")),
                Arguments.of(List.of("--sip-outbound-proxy", "http://10.0.0.5"),
                        List.of("--sip-outbound-proxy 'http://10.0.0.5'", "not a SIP URI")),
                Arguments.of(List.of("--sip-outbound-proxy", " "), List.of("--sip-outbound-proxy", "empty")),
                Arguments.of(List.of("--sip-username", "alice"), List.of("--sip-username 'alice'",
                        "needs --sip-password", "CTI4J_SIP_PASSWORD")),
                Arguments.of(List.of("--sip-username", "", "--sip-password", "p"), List.of("--sip-username",
                        "empty")),
                Arguments.of(List.of("--sip-username", "alice", "--sip-password", ""), List.of("--sip-password",
                        "empty")),
                Arguments.of(List.of("--sip-password", "p"), List.of("--sip-password", "without --sip-username")),
                Arguments.of(List.of("--sip-realm", "r"), List.of("--sip-realm 'r'", "without --sip-username")),
                Arguments.of(List.of("--media-advertised-address", " "), List.of("--media-advertised-address",
                        "empty")));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputExitsTwoWithAMessageNamingTheFlagAndValue(List<String> args, List<String> named) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        CtiServer.ExitException exit = catchThrowableOfType(CtiServer.ExitException.class,
                () -> CtiServer.start(args.toArray(String[]::new), Map.of(), print(out), print(err)));

        assertThat(exit).as("start with %s", args).isNotNull();
        assertThat(exit.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("cti-server: ").contains(named);
        assertThat(out.size()).isZero();
    }

    @Test
    void cdrLinesAreJsonObjectsWithTheWireNamesAppendedToTheFile() throws Exception {
        Path file = write("cdr.jsonl", "{\"res_id\":\"an earlier line\"}\n");
        Instant begin = Instant.parse("2026-11-21T10:00:00.700Z");
        CdrRecord answered = new CdrRecord("1.0.3-sys.call-1", 0, CallDirection.INBOUND,
                SipUri.parse("1001@192.0.2.10"), SipUri.parse("sip:400@192.0.2.1:5070"), begin,
                begin.plusSeconds(5), begin.plusSeconds(65), DroppedBy.USR, 200, "crm-ticket \"42\"\nsecond line",
                null);
        CdrRecord busy = new CdrRecord("1.0.3-ext.duo_callback-2", 2, CallDirection.OUTBOUND,
                SipUri.parse("sip:400@192.0.2.1"), SipUri.parse("13898877785@192.0.2.20"), begin, null,
                begin.plusSeconds(3), DroppedBy.USR, 486, "", new DialError(486, "Busy Here"), "/rec/duo.wav",
                "cannot record /rec/duo.wav: No space left on device");

        try (CdrFile cdrs = CdrFile.open(file)) {
            cdrs.onCdr(answered);
            cdrs.onCdr(busy);
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("{\"res_id\":\"an earlier line\"}");
        JsonNode first = JSON.readTree(lines.get(1));
        assertThat(fieldNames(first)).containsExactly("res_id", "leg", "call_dir", "from_uri", "to_uri", "begin_time",
                "answer_time", "end_time", "dropped_by", "cause", "user_data", "error", "record_file", "record_error");
        assertThat(first.get("res_id").asText()).isEqualTo("1.0.3-sys.call-1");
        assertThat(first.get("leg").isInt()).isTrue();
        assertThat(first.get("leg").asInt()).isZero();
        assertThat(first.get("call_dir").asText()).isEqualTo("inbound");
        assertThat(first.get("from_uri").asText()).isEqualTo("sip:1001@192.0.2.10");
        assertThat(first.get("to_uri").asText()).isEqualTo("sip:400@192.0.2.1:5070");
        assertThat(first.get("begin_time").isIntegralNumber()).isTrue();
        assertThat(first.get("begin_time").asLong()).isEqualTo(begin.getEpochSecond());
        assertThat(first.get("answer_time").asLong()).isEqualTo(begin.getEpochSecond() + 5);
        assertThat(first.get("end_time").asLong()).isEqualTo(begin.getEpochSecond() + 65);
        assertThat(first.get("dropped_by").asText()).isEqualTo("usr");
        assertThat(first.get("cause").asInt()).isEqualTo(200);
        assertThat(first.get("user_data").asText()).isEqualTo("crm-ticket \"42\"\nsecond line");
        assertThat(first.get("error").isNull()).isTrue();
        assertThat(first.get("record_file").isNull()).isTrue();
        assertThat(first.get("record_error").isNull()).isTrue();

        JsonNode second = JSON.readTree(lines.get(2));
        assertThat(second.get("leg").asInt()).isEqualTo(2);
        assertThat(second.get("call_dir").asText()).isEqualTo("outbound");
        assertThat(second.get("to_uri").asText()).isEqualTo("sip:13898877785@192.0.2.20");
        assertThat(second.get("answer_time").isNull()).isTrue();
        assertThat(second.get("cause").asInt()).isEqualTo(486);
        assertThat(second.get("error").asText()).isEqualTo("486 Busy Here");
        assertThat(second.get("record_file").asText()).isEqualTo("/rec/duo.wav");
        assertThat(second.get("record_error").asText())
                .isEqualTo("cannot record /rec/duo.wav: No space left on device");
    }

    @Test
    void eachCdrReachesTheFileWithoutWaitingForClose() throws Exception {
        Path file = dir.resolve("live.jsonl");
        try (CdrFile cdrs = CdrFile.open(file)) {
            cdrs.onCdr(record("0.0.0-sys.call-7"));

            Await.until("the CDR line in the file", Duration.ofSeconds(10), () -> !linesOf(file).isEmpty());
            assertThat(Files.readAllLines(file)).singleElement().asString().contains("0.0.0-sys.call-7");
        }
    }

    private static List<String> linesOf(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aClosedCdrFileLogsLateRecordsInsteadOfThrowing() throws Exception {
        CdrFile cdrs = CdrFile.open(dir.resolve("closed.jsonl"));
        cdrs.close();

        assertThatCode(() -> cdrs.onCdr(record("0.0.0-sys.call-8"))).doesNotThrowAnyException();
        assertThatCode(cdrs::close).doesNotThrowAnyException();
        assertThat(Files.readAllLines(dir.resolve("closed.jsonl"))).isEmpty();
    }

    private static CdrRecord record(String resId) {
        Instant now = Instant.now();
        return new CdrRecord(resId, 0, CallDirection.OUTBOUND, SipUri.parse("sip:a@127.0.0.1"),
                SipUri.parse("sip:b@127.0.0.1"), now, now, now, DroppedBy.SYS, 200, "", null);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
