package dev.jobdeck.core.jobs;

import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.templates.MailTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Templates checked against recipients with fields (as a CSV import gives them) before anything is queued. */
class TemplateChecksTest {

    private static Recipient recipient(String address, String... keyValues) {
        Map<String, String> fields = new java.util.HashMap<>();
        fields.put("email", address);
        for (int i = 0; i < keyValues.length; i += 2) {
            fields.put(keyValues[i], keyValues[i + 1]);
        }
        return new Recipient(address, Map.copyOf(fields));
    }

    static Stream<Arguments> refused() {
        Recipient ann = recipient("ann@x.test", "name", "Ann");
        return Stream.of(
                Arguments.of("Hi {{name}}", "Body", List.of(ann, recipient("bob@x.test", "name", "Bob\r\nBcc: all@x.test")),
                        Field.SUBJECT, "After merging, the subject for recipient 2 (bob@x.test) must not contain line breaks"),
                Arguments.of("Hi {{name}}", "Body", List.of(recipient("bob@x.test", "name", "Bob\nX")),
                        Field.SUBJECT, "recipient 1 (bob@x.test) must not contain line breaks"),
                Arguments.of("{{name}}", "Body", List.of(ann, recipient("bob@x.test", "name", " ")),
                        Field.SUBJECT, "the subject for recipient 2 (bob@x.test) is empty"),
                Arguments.of("{{name}}", "Body", List.of(recipient("bob@x.test", "name", "x".repeat(999))),
                        Field.SUBJECT, "longer than 998 characters"),
                Arguments.of("Hi", "{{first_name}} at {{company}}", List.of(recipient("a@x.test"), recipient("b@x.test", "first_name", "B")),
                        Field.BODY, "The body uses the fields company, first_name, which 2 of 2 recipients lack"
                                + " (first: recipient 1 (a@x.test), which has only email)."),
                Arguments.of("Hi {{name}}", "Body", List.of(ann, recipient("c@x.test", "nick", "C")),
                        Field.SUBJECT, "The subject uses the field name, which 1 of 2 recipients lack"
                                + " (first: recipient 2 (c@x.test), which has only email, nick)."));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void problemIsNamedOnTheFieldWithTheRecipient(String subject, String body, List<Recipient> recipients, Field field,
                                                  String message) throws Exception {
        MailTemplate template = MailTemplate.compile(subject, body, BodyFormat.TEXT, "");

        Map<Field, String> problems = TemplateChecks.check(template, recipients, 998);

        assertThat(problems).containsOnlyKeys(field);
        assertThat(problems.get(field)).contains(message);
    }

    @Test
    void recipientsWithEveryFieldPass() throws Exception {
        MailTemplate template = MailTemplate.compile("Hi {{name}}", "{{#vip}}VIP{{/vip}} {{email}}", BodyFormat.HTML, "{{name}}");

        assertThat(TemplateChecks.check(template, List.of(recipient("a@x.test", "name", "A", "vip", "")), 998)).isEmpty();
    }

    @Test
    void textPartProblemsAreShownAtTheTextPart() throws Exception {
        MailTemplate template = MailTemplate.compile("Hi", "<p>x</p>", BodyFormat.HTML, "Dear {{title}}");

        assertThat(TemplateChecks.check(template, List.of(recipient("a@x.test")), 998))
                .containsOnlyKeys(Field.TEXT_ALTERNATIVE);
    }
}
