package dev.jobdeck.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jobdeck.core.mail.EmailMessage.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailMessageTest {

    @Test
    void validMessageKeepsNormalizedFields() {
        EmailMessage m = EmailMessage.of(" ops@jobdeck.dev ", "Ann <ann@x.org>", List.of("c@x.org"), List.of("b@x.org"),
                "Report", "Hi");

        assertThat(m.from()).isEqualTo("ops@jobdeck.dev");
        assertThat(m.to()).isEqualTo("Ann <ann@x.org>");
        assertThat(m.cc()).containsExactly("c@x.org");
        assertThat(m.bcc()).containsExactly("b@x.org");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void bodyMayBeEmpty(String body) {
        assertThat(EmailMessage.of("a@x.org", "b@x.org", "Subject", body).body()).isEmpty();
    }

    @Test
    void ccAndBccListsAreImmutableCopies() {
        List<String> cc = new ArrayList<>(List.of("c@x.org"));
        EmailMessage m = EmailMessage.of("a@x.org", "b@x.org", cc, null, "S", "");
        cc.add("d@x.org");

        assertThat(m.cc()).containsExactly("c@x.org").isUnmodifiable();
        assertThat(m.bcc()).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void blankSubjectIsRefused(String subject) {
        InvalidEmailException e = invalid(() -> EmailMessage.of("a@x.org", "b@x.org", subject, "body"));

        assertThat(e.problems()).containsOnlyKeys(Field.SUBJECT);
        assertThat(e.problem(Field.SUBJECT)).contains("a subject is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Hello\r\nBcc: victim@y.org", "two\nlines", "cr\r"})
    void subjectWithLineBreakIsRefused(String subject) {
        InvalidEmailException e = invalid(() -> EmailMessage.of("a@x.org", "b@x.org", subject, "body"));

        assertThat(e.problems()).containsEntry(Field.SUBJECT, "must not contain line breaks");
    }

    @Test
    void fromWithLineBreakIsRefused() {
        InvalidEmailException e = invalid(() -> EmailMessage.of("a@x.org\r\nBcc: v@y.org", "b@x.org", "S", ""));

        assertThat(e.problems()).containsEntry(Field.FROM, "\"a@x.org\uFFFD\uFFFDBcc: v@y.org\": must not contain line breaks");
    }

    @Test
    void toMustBeExactlyOneRecipient() {
        InvalidEmailException e = invalid(() -> EmailMessage.of("a@x.org", "b@x.org, c@x.org", "S", ""));

        assertThat(e.problem(Field.TO)).hasValueSatisfying(m -> assertThat(m).contains("exactly one address"));
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() {
        InvalidEmailException e = invalid(() -> EmailMessage.of("foo", "bob@", List.of("ok@x.org", "@bar"),
                List.of("x y@z.com"), " ", null));

        assertThat(e.problems()).containsOnlyKeys(Field.FROM, Field.TO, Field.CC, Field.BCC, Field.SUBJECT);
        assertThat(e.problems().get(Field.FROM)).isEqualTo("\"foo\": missing @ and domain");
        assertThat(e.problems().get(Field.TO)).isEqualTo("\"bob@\": missing domain");
        assertThat(e.problems().get(Field.CC)).isEqualTo("\"@bar\": missing the part before @");
        assertThat(e.problems().get(Field.BCC)).isEqualTo("\"x y@z.com\": not a valid e-mail address");
        assertThat(e.getMessage()).startsWith("From: ").contains("Subject: a subject is required");
    }

    @Test
    void ccElementHidingASecondAddressIsRefused() {
        InvalidEmailException e = invalid(() -> EmailMessage.of("a@x.org", "b@x.org", List.of("c@x.org, d@x.org"),
                List.of(), "S", ""));

        assertThat(e.problems()).containsOnlyKeys(Field.CC);
    }

    @Test
    void missingToIsRequired() {
        assertThatThrownBy(() -> EmailMessage.of("a@x.org", null, "S", ""))
                .isInstanceOfSatisfying(InvalidEmailException.class,
                        e -> assertThat(e.problem(Field.TO)).hasValueSatisfying(m -> assertThat(m).contains("required")));
    }

    private static InvalidEmailException invalid(Runnable construction) {
        InvalidEmailException e = catchThrowableOfType(InvalidEmailException.class, construction::run);
        assertThat(e).as("expected InvalidEmailException").isNotNull();
        return e;
    }
}
