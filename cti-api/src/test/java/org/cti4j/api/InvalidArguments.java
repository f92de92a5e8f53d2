package org.cti4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared assertion of the tests: a call is rejected with an {@link InvalidArgumentException}. */
final class InvalidArguments {

    private InvalidArguments() {
    }

    /**
     * Asserts that {@code call} throws an {@link InvalidArgumentException} for {@code parameter} whose message names
     * the parameter and holds each of {@code values}: a number as a whole number (so that {@code 0} is not found in
     * {@code 3600}), anything else as text.
     */
    static void assertRejected(ThrowingCallable call, String parameter, Object... values) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
                    assertThat(e.parameter()).isEqualTo(parameter);
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains(parameter);
                    for (Object value : values) {
                        if (value instanceof Number) {
                            assertThat(e.getMessage()).containsPattern(
                                    "(?<![0-9-])" + Pattern.quote(value.toString()) + "(?![0-9])");
                        } else {
                            assertThat(e.getMessage()).contains(String.valueOf(value));
                        }
                    }
                });
    }
}
