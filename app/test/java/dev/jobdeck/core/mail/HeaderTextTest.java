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
        assertThat(HeaderText.problem(value)).contains("must not contain line breaks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Quarterly report", "tabs\tare fine", "Ünïcödé ✓"})
    void singleLineValueIsAccepted(String value) {
        assertThat(HeaderText.problem(value)).isEmpty();
    }

    @Test
    void nullHasNoLineBreak() {
        assertThat(HeaderText.containsLineBreak(null)).isFalse();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "'\u001fx'        | U+001F INFORMATION SEPARATOR ONE at position 1",
            "'abc\u007F'      | U+007F DELETE at position 4",
            "'\u0080'         | U+0080 PADDING CHARACTER at position 1",
            "'ab\u009F'       | U+009F APPLICATION PROGRAM COMMAND at position 3",
    })
    void otherControlCharactersAreRefusedNamingTheCharacterAndItsPosition(String value, String where) {
        assertThat(HeaderText.problem(value)).contains("must not contain control characters: " + where);
    }

    @Test
    void nulIsRefused() {
        assertThat(HeaderText.problem("a\u0000")).contains("must not contain control characters: U+0000 NULL at position 2");
    }

    @Test
    void positionsCountCharactersNotUtf16Units() {
        assertThat(HeaderText.problem("\uD83D\uDE00\u0007")).contains("must not contain control characters: U+0007 BEL at position 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tabs\tare fine", "Ünïcödé ✓", "\u00A0no-break space", "\u2028 separator is not a control"})
    void tabAndPrintableTextPass(String value) {
        assertThat(HeaderText.problem(value)).isEmpty();
    }

    @Test
    void lineBreaksKeepTheirOwnMessage() {
        assertThat(HeaderText.problem("a\u0007\r\nb")).contains(HeaderText.LINE_BREAK_MESSAGE);
    }
}
