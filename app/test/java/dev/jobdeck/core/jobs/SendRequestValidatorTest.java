package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.SendRequest.Field;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendRequestValidatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneId.of("UTC"));
    private final SendRequestValidator validator = new SendRequestValidator(CLOCK);

    static Stream<Arguments> badRequests() {
        SendRequest ok = new SendRequest("me@x.org", "you@y.org", "", "", "Subject", "Body", When.now());
        return Stream.of(
                Arguments.of(with(ok, Field.FROM, ""), Field.FROM, "sender"),
                Arguments.of(with(ok, Field.FROM, "me@"), Field.FROM, "me@"),
                Arguments.of(with(ok, Field.FROM, "a@x.org, b@x.org"), Field.FROM, "exactly one"),
                Arguments.of(with(ok, Field.TO, ""), Field.TO, "at least one"),
                Arguments.of(with(ok, Field.TO, "good@y.org, bad@"), Field.TO, "bad@"),
                Arguments.of(with(ok, Field.TO, "no-at-sign"), Field.TO, "no-at-sign"),
                Arguments.of(with(ok, Field.CC, "x y@z.org"), Field.CC, "x y@z.org"),
                Arguments.of(with(ok, Field.BCC, "@z.org"), Field.BCC, "@z.org"),
                Arguments.of(with(ok, Field.SUBJECT, ""), Field.SUBJECT, "Enter a subject"),
                Arguments.of(with(ok, Field.SUBJECT, "Hi\r\nBcc: evil@x.org"), Field.SUBJECT, "line breaks"),
                Arguments.of(with(ok, Field.SUBJECT, "Hi\nthere"), Field.SUBJECT, "line breaks"),
                Arguments.of(with(ok, Field.SUBJECT, "Hi\u001b[31m"), Field.SUBJECT,
                        "The subject must not contain control characters: U+001B ESCAPE at position 3."),
                Arguments.of(with(ok, Field.SUBJECT, "Price\u0085list"), Field.SUBJECT, "U+0085 NEXT LINE (NEL) at position 6"),
                Arguments.of(with(ok, Field.SUBJECT, "Del\u007F"), Field.SUBJECT, "U+007F DELETE at position 4"),
                Arguments.of(with(ok, Field.TO, "a".repeat(65) + "@y.org"), Field.TO, "at most 64 are allowed"),
                Arguments.of(with(ok, Field.FROM, "me@" + "x".repeat(64) + ".org"), Field.FROM, "at most 63 are allowed"),
                Arguments.of(with(ok, Field.CC, "Bo\u0001b <b@y.org>"), Field.CC, "U+0001 START OF HEADING at position 3"),
                Arguments.of(with(ok, Field.CC, manyAddresses(400)), Field.CC, "at most 8000 are allowed (400 addresses given)"),
                Arguments.of(with(ok, Field.BCC, manyAddresses(400)), Field.BCC, "The Bcc addresses come to"),
                Arguments.of(withWhen(ok, new When.Cron("every day")), Field.WHEN, "not a cron expression"),
                Arguments.of(withWhen(ok, new When.Cron("61 * * * *")), Field.WHEN, "not a cron expression"),
                Arguments.of(withWhen(ok, new When.At(LocalDateTime.parse("2026-11-25T11:59:00"))), Field.WHEN, "in the past"),
                Arguments.of(withWhen(ok, new When.After(Duration.ZERO)), Field.WHEN, "more than zero"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void badInputIsRefusedWithAMessageOnItsField(SendRequest request, Field field, String message) {
        assertThatThrownBy(() -> validator.validate(request))
                .isInstanceOfSatisfying(InvalidSendRequestException.class,
                        e -> assertThat(e.problems()).containsOnlyKeys(field).extractingByKey(field).asString()
                                .containsIgnoringCase(message));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "Hi {{first_name}}     | Body                    | SUBJECT | The subject uses the field first_name, which 2 of 2 recipients lack (first: recipient 1 (a@y.org), which has only email).",
            "Hi                    | Dear {{first_name}},    | BODY    | The body uses the field first_name, which 2 of 2 recipients lack",
            "Hi {{email}           | Body                    | SUBJECT | The subject is not a valid template: line 1, column 4",
            "Hi                    | {{#vip}}Hello           | BODY    | The body is not a valid template: line 1, column 1: the section {{#vip}} is never closed",
    })
    void templateProblemsAreRefusedAtTheirField(String subject, String body, Field field, String message) {
        SendRequest request = new SendRequest("me@x.org", "a@y.org, b@y.org", "", "", subject, body, When.now());

        assertThatThrownBy(() -> validator.validate(request)).isInstanceOfSatisfying(InvalidSendRequestException.class,
                e -> assertThat(e.problems()).containsOnlyKeys(field).extractingByKey(field).asString().contains(message));
    }

    @Test
    void everyPastedRecipientHasItsEmailAsAField() throws Exception {
        ValidSend send = validator.validate(new SendRequest("me@x.org", "a@y.org, b@y.org", "", "", "For {{email}}",
                "<p>{{email}}</p>", When.now(), dev.jobdeck.core.mail.BodyFormat.HTML, "", "Welcome"));

        assertThat(send.template().render(send.recipients().get(1).fields()).subject()).isEqualTo("For b@y.org");
        assertThat(send.templateName()).isEqualTo("Welcome");
    }

    @Test
    void recipientsAreSplitOnCommasSemicolonsAndNewLines() throws Exception {
        ValidSend send = validator.validate(new SendRequest("me@x.org", "a@y.org, b@y.org;c@y.org\nd@y.org\n\n", "", "",
                "S", "", When.now()));
        assertThat(send.recipients()).extracting(Recipient::address).containsExactly("a@y.org", "b@y.org", "c@y.org", "d@y.org");
        assertThat(send.recipients().get(0).fields()).isEqualTo(java.util.Map.of("email", "a@y.org"));
        assertThat(send.recipients().get(1).fields()).isEqualTo(java.util.Map.of("email", "b@y.org"));
        assertThat(send.runAt()).isNull();
    }

    @Test
    void cronGetsItsFirstRun() throws Exception {
        ValidSend send = validator.validate(new SendRequest("me@x.org", "a@y.org", "", "", "S", "", new When.Cron("0 9 * * *")));
        assertThat(send.cron()).isEqualTo("0 9 * * *");
        assertThat(send.runAt()).isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
    }

    @Test
    void importedRecipientsKeepTheirMergeFieldsWithEmailNormalized() throws Exception {
        Recipient ann = new Recipient(" ann@y.org ", java.util.Map.of("name", "Ann"));
        ValidSend send = validator.validate(imported("", ann));
        assertThat(send.recipients()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("ann@y.org");
            assertThat(r.fields()).containsEntry("email", "ann@y.org").containsEntry("name", "Ann");
        });
    }

    @Test
    void importedRecipientsAndATypedToFieldAreNotMixed() {
        assertThatThrownBy(() -> validator.validate(imported("bob@y.org", new Recipient("ann@y.org", java.util.Map.of()))))
                .isInstanceOfSatisfying(InvalidSendRequestException.class, e -> assertThat(e.problems())
                        .containsEntry(Field.TO, "Use either the To field or an imported CSV file, not both."));
    }

    @Test
    void anImportedRecipientWithABadAddressRefusesTheWholeRequest() {
        assertThatThrownBy(() -> validator.validate(imported("", new Recipient("ann@y.org", java.util.Map.of()),
                new Recipient("bob@\r\nBcc: x@y.org", java.util.Map.of()))))
                .isInstanceOfSatisfying(InvalidSendRequestException.class, e -> assertThat(e.problems())
                        .containsOnlyKeys(Field.TO).extractingByKey(Field.TO).asString().startsWith("Imported recipient"));
    }

    @Test
    void aTabInTheSubjectIsAccepted() throws Exception {
        assertThat(validator.validate(new SendRequest("me@x.org", "a@y.org", "", "", "Q3\treport", "", When.now())).subject())
                .isEqualTo("Q3\treport");
    }

    @Test
    void aControlCharacterMergedIntoTheSubjectFromCsvDataNamesTheRecipientCharacterAndPosition() {
        SendRequest request = new SendRequest("me@x.org", "", "", "", "Hi {{name}}", "", When.now(), java.util.List.of(
                new Recipient("ann@y.org", java.util.Map.of("name", "Ann")),
                new Recipient("bob@y.org", java.util.Map.of("name", "Bo\u0008b"))), java.util.List.of());

        assertThatThrownBy(() -> validator.validate(request)).isInstanceOfSatisfying(InvalidSendRequestException.class,
                e -> assertThat(e.problems()).containsOnlyKeys(Field.SUBJECT).extractingByKey(Field.SUBJECT).asString()
                        .isEqualTo("After merging, the subject for recipient 2 (bob@y.org) must not contain control characters:"
                                + " U+0008 BACKSPACE at position 6: a field put it there. Fix that recipient's data."));
    }

    /** {@code n} distinct addresses of 20 characters each, comma separated as the outbox keeps them. */
    private static String manyAddresses(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> String.format("user%05d@example.org", i))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static SendRequest imported(String to, Recipient... recipients) {
        return new SendRequest("me@x.org", to, "", "", "S", "", When.now(), java.util.List.of(recipients), java.util.List.of());
    }

    private static SendRequest with(SendRequest r, Field field, String value) {
        return new SendRequest(field == Field.FROM ? value : r.from(), field == Field.TO ? value : r.to(),
                field == Field.CC ? value : r.cc(), field == Field.BCC ? value : r.bcc(),
                field == Field.SUBJECT ? value : r.subject(), r.body(), r.when());
    }

    private static SendRequest withWhen(SendRequest r, When when) {
        return new SendRequest(r.from(), r.to(), r.cc(), r.bcc(), r.subject(), r.body(), when);
    }
}
