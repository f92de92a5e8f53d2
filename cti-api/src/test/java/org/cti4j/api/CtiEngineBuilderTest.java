package org.cti4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.api.InvalidArguments.assertRejected;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CtiEngineBuilderTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0", "1.2.3", "10.200.3000"})
    void checkNodeIdAcceptsThreeNumbersWithDots(String nodeId) {
        assertThat(CtiEngine.Builder.checkNodeId(nodeId)).isEqualTo(nodeId);
    }

    @ParameterizedTest(name = "[{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {"1.2", "1.2.3.4", "a.b.c", "1..3", "-1.0.0", " 1.2.3", "1.2.3.", "1,2,3"})
    void checkNodeIdRejectsAnythingElse(String nodeId) {
        assertRejected(() -> CtiEngine.Builder.checkNodeId(nodeId), "node_id", "'" + nodeId + "'");
    }

    @Test
    void nodeIdRejectsABadNodeId() {
        assertRejected(() -> CtiEngine.builder().nodeId("1.2"), "node_id", "'1.2'");
    }

    @Test
    void nodeIdAcceptsAGoodNodeId() {
        CtiEngine.Builder builder = CtiEngine.builder();

        assertThat(builder.nodeId("1.0.3")).isSameAs(builder);
    }

    @Test
    void inboundAnswerTimeoutRejectsZero() {
        assertRejected(() -> CtiEngine.builder().inboundAnswerTimeout(Duration.ZERO), "inbound_answer_timeout",
                "PT0S");
    }

    @Test
    void inboundAnswerTimeoutRejectsLessThanASecond() {
        assertRejected(() -> CtiEngine.builder().inboundAnswerTimeout(Duration.ofMillis(500)),
                "inbound_answer_timeout", "PT0.5S");
    }

    @Test
    void inboundAnswerTimeoutRejectsMoreThanTenMinutes() {
        assertRejected(() -> CtiEngine.builder().inboundAnswerTimeout(Duration.ofMinutes(11)),
                "inbound_answer_timeout", "PT11M");
    }

    @Test
    void inboundAnswerTimeoutRejectsANegativeDuration() {
        assertRejected(() -> CtiEngine.builder().inboundAnswerTimeout(Duration.ofSeconds(-5)),
                "inbound_answer_timeout", "PT-5S");
    }

    @ParameterizedTest
    @ValueSource(longs = {1_000, 60_000, 600_000})
    void inboundAnswerTimeoutAcceptsOneSecondToTenMinutes(long millis) {
        CtiEngine.Builder builder = CtiEngine.builder();

        assertThat(builder.inboundAnswerTimeout(Duration.ofMillis(millis))).isSameAs(builder);
    }

    @ParameterizedTest(name = "[{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void propertyRejectsAnEmptyKey(String key) {
        assertRejected(() -> CtiEngine.builder().property(key, "x"), "property", "empty");
    }

    @Test
    void propertyAcceptsAKeyAndAValue() {
        CtiEngine.Builder builder = CtiEngine.builder();

        assertThat(builder.property("sip.port", "5070")).isSameAs(builder);
    }

    @Test
    void buildWithoutAnImplementationOnTheClassPathPointsToCtiCore() {
        assertThatThrownBy(() -> CtiEngine.builder().nodeId("1.2.3").build())
                .isInstanceOfSatisfying(EngineFailureException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENGINE_FAILURE))
                .hasMessageContaining("cti-core");
    }
}
