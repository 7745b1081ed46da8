package dev.jobdeck.core.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"Hello\r\nBcc: x@y.z", "line\nbreak", "carriage\rreturn", "\n", "trailing\r\n"})
    void valueWithCrOrLfIsRefused(String value) {
        assertThat(HeaderText.containsLineBreak(value)).isTrue();
        assertThat(HeaderText.lineBreakProblem(value)).contains("must not contain line breaks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Quarterly report", "tabs\tare fine", "Ünïcödé ✓"})
    void singleLineValueIsAccepted(String value) {
        assertThat(HeaderText.lineBreakProblem(value)).isEmpty();
    }

    @Test
    void nullHasNoLineBreak() {
        assertThat(HeaderText.containsLineBreak(null)).isFalse();
    }
}
