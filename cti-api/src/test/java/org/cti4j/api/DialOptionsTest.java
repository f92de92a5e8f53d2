package org.cti4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cti4j.api.InvalidArguments.assertRejected;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DialOptionsTest {

    private static final SipUri FROM = SipUri.parse("sip:1000@192.0.2.1");
    private static final SipUri TO = SipUri.parse("sip:1001@192.0.2.10:5060");

    private static DialOptions.Builder complete() {
        return DialOptions.builder().fromUri(FROM).toUri(TO).maxAnswerSeconds(600);
    }

    @Test
    void aCompleteBuildGivesTheValuesSet() {
        DialOptions options = DialOptions.builder()
                .fromUri("sip:1000@192.0.2.1")
                .toUri("1001@192.0.2.10:5060")
                .maxAnswerSeconds(600)
                .maxRingSeconds(30)
                .userData("order 42")
                .build();

        assertThat(options.fromUri()).isEqualTo(FROM);
        assertThat(options.toUri()).isEqualTo(TO);
        assertThat(options.maxAnswerSeconds()).isEqualTo(600);
        assertThat(options.maxRingSeconds()).isEqualTo(30);
        assertThat(options.userData()).isEqualTo("order 42");
    }

    @Test
    void theSipUriSettersKeepTheUrisGiven() {
        SipUri from = SipUri.of("a", "example.com");
        SipUri to = SipUri.of("b", "example.org").withPort(5080);

        DialOptions options = DialOptions.builder().fromUri(from).toUri(to).maxAnswerSeconds(1).build();

        assertThat(options.fromUri()).isEqualTo(from);
        assertThat(options.toUri()).isEqualTo(to);
    }

    @Test
    void theDefaultsAreFiftyRingSecondsAndNoUserData() {
        DialOptions options = complete().build();

        assertThat(options.maxRingSeconds()).isEqualTo(50).isEqualTo(DialOptions.DEFAULT_MAX_RING_SECONDS);
        assertThat(options.userData()).isEmpty();
    }

    @Test
    void theLastValueSetWins() {
        DialOptions options = complete().maxAnswerSeconds(10).maxAnswerSeconds(20).maxRingSeconds(5)
                .maxRingSeconds(6).userData("a").userData("b").toUri("x@y").build();

        assertThat(options.maxAnswerSeconds()).isEqualTo(20);
        assertThat(options.maxRingSeconds()).isEqualTo(6);
        assertThat(options.userData()).isEqualTo("b");
        assertThat(options.toUri()).isEqualTo(SipUri.of("x", "y"));
    }

    static Stream<Arguments> missingParameters() {
        return Stream.of(
                Arguments.of("from_uri", DialOptions.builder().toUri(TO).maxAnswerSeconds(600)),
                Arguments.of("to_uri", DialOptions.builder().fromUri(FROM).maxAnswerSeconds(600)),
                Arguments.of("max_answer_seconds", DialOptions.builder().fromUri(FROM).toUri(TO)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingParameters")
    void rejectsAMissingRequiredParameter(String parameter, DialOptions.Builder builder) {
        assertRejected(builder::build, parameter, "missing");
    }

    @Test
    void anEmptyBuilderNamesTheFirstMissingParameter() {
        assertRejected(() -> DialOptions.builder().build(), "from_uri", "missing");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 3601, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void rejectsAMaxRingSecondsOutOfRange(int seconds) {
        assertRejected(() -> complete().maxRingSeconds(seconds), "max_ring_seconds", seconds);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3600})
    void acceptsTheBoundsOfMaxRingSeconds(int seconds) {
        assertThat(complete().maxRingSeconds(seconds).build().maxRingSeconds()).isEqualTo(seconds);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5, 604801})
    void rejectsAMaxAnswerSecondsOutOfRange(int seconds) {
        assertRejected(() -> complete().maxAnswerSeconds(seconds), "max_answer_seconds", seconds);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 604800})
    void acceptsTheBoundsOfMaxAnswerSeconds(int seconds) {
        assertThat(complete().maxAnswerSeconds(seconds).build().maxAnswerSeconds()).isEqualTo(seconds);
    }

    @Test
    void rejectsANullUserData() {
        assertRejected(() -> complete().userData(null), "user_data", "null");
    }

    @Test
    void rejectsAUserDataLongerThan4096Characters() {
        assertRejected(() -> complete().userData("x".repeat(4097)), "user_data", 4097, 4096);
    }

    @Test
    void acceptsAUserDataOfExactly4096Characters() {
        String data = "é".repeat(4096);

        assertThat(complete().userData(data).build().userData()).isEqualTo(data);
    }

    static Stream<Arguments> badUris() {
        return Stream.of(
                Arguments.of("from_uri", (Consumer<String>) text -> DialOptions.builder().fromUri(text)),
                Arguments.of("to_uri", (Consumer<String>) text -> DialOptions.builder().toUri(text)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUris")
    void rejectsABadUriNamingTheParameterAndTheValue(String parameter, Consumer<String> setter) {
        assertRejected(() -> setter.accept("tel:+123"), parameter, "tel:+123");
        assertRejected(() -> setter.accept("a@b@c"), parameter, "a@b@c");
        assertRejected(() -> setter.accept("host:65536"), parameter, "host:65536");
        assertRejected(() -> setter.accept(""), parameter, "missing");
        assertRejected(() -> setter.accept((String) null), parameter, "missing");
    }

    @Test
    void rejectsANullSipUri() {
        assertRejected(() -> DialOptions.builder().fromUri((SipUri) null), "from_uri", "missing");
        assertRejected(() -> DialOptions.builder().toUri((SipUri) null), "to_uri", "missing");
    }

    @Test
    void theConstructorAcceptsValidValues() {
        DialOptions options = new DialOptions(FROM, TO, 604800, 3600, "x".repeat(4096));

        assertThat(options.maxAnswerSeconds()).isEqualTo(604800);
        assertThat(options.maxRingSeconds()).isEqualTo(3600);
    }

    @Test
    void theConstructorRejectsAMissingUri() {
        assertRejected(() -> new DialOptions(null, TO, 600, 50, ""), "from_uri", "missing");
        assertRejected(() -> new DialOptions(FROM, null, 600, 50, ""), "to_uri", "missing");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5, 604801})
    void theConstructorRejectsAMaxAnswerSecondsOutOfRange(int seconds) {
        assertRejected(() -> new DialOptions(FROM, TO, seconds, 50, ""), "max_answer_seconds",
                seconds);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 3601})
    void theConstructorRejectsAMaxRingSecondsOutOfRange(int seconds) {
        assertRejected(() -> new DialOptions(FROM, TO, 600, seconds, ""), "max_ring_seconds",
                seconds);
    }

    @Test
    void theConstructorRejectsABadUserData() {
        assertRejected(() -> new DialOptions(FROM, TO, 600, 50, null), "user_data", "null");
        assertRejected(() -> new DialOptions(FROM, TO, 600, 50, "x".repeat(4097)), "user_data", 4097);
    }

    @Test
    void aRejectedSetterLeavesTheBuilderUsable() {
        DialOptions.Builder builder = complete().maxRingSeconds(20);

        assertRejected(() -> builder.maxRingSeconds(0), "max_ring_seconds", 0);

        assertThat(builder.build().maxRingSeconds()).isEqualTo(20);
    }
}
