package dev.jobdeck.core.templates;

import dev.jobdeck.core.mail.BodyFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailTemplateTest {

    private static final Map<String, String> ANN = Map.of("email", "ann@example.com", "first_name", "Ann",
            "company", "R&D <Labs>", "vip", "", "plan", "gold");

    static Stream<Arguments> merges() {
        return Stream.of(
                Arguments.of("Hello {{first_name}}", BodyFormat.TEXT, "Hello Ann"),
                Arguments.of("To {{email}}", BodyFormat.TEXT, "To ann@example.com"),
                Arguments.of("{{ first_name }} at {{company}}", BodyFormat.TEXT, "Ann at R&D <Labs>"),
                Arguments.of("<p>{{company}}</p>", BodyFormat.HTML, "<p>R&amp;D &lt;Labs&gt;</p>"),
                Arguments.of("<p>{{{company}}}</p>", BodyFormat.HTML, "<p>R&D <Labs></p>"),
                Arguments.of("{{#vip}}VIP {{/vip}}{{first_name}}", BodyFormat.TEXT, "Ann"),
                Arguments.of("{{^vip}}Regular {{/vip}}{{first_name}}", BodyFormat.TEXT, "Regular Ann"),
                Arguments.of("{{#plan}}Plan: {{plan}}{{/plan}}", BodyFormat.TEXT, "Plan: gold"),
                Arguments.of("No fields at all", BodyFormat.TEXT, "No fields at all"),
                Arguments.of("{{! a note to myself }}Hi", BodyFormat.TEXT, "Hi"));
    }

    @ParameterizedTest(name = "{1}: \"{0}\" -> \"{2}\"")
    @MethodSource("merges")
    void bodyIsMergedWithTheRecipientsFields(String body, BodyFormat format, String expected) throws Exception {
        RenderedEmail mail = MailTemplate.compile("S", body, format, "").render(ANN);

        assertThat(mail.body()).isEqualTo(expected);
        assertThat(mail.format()).isEqualTo(format);
    }

    @Test
    void subjectIsMergedWithoutHtmlEscaping() throws Exception {
        RenderedEmail mail = MailTemplate.compile("News for {{company}}", "<p>x</p>", BodyFormat.HTML, "").render(ANN);

        assertThat(mail.subject()).isEqualTo("News for R&D <Labs>");
    }

    @Test
    void htmlWithoutTextPartGetsOneDerivedFromTheMergedHtml() throws Exception {
        RenderedEmail mail = MailTemplate.compile("S", "<h1>Hi {{first_name}}</h1><p>See <a href=\"https://x.test/a\">this</a>.</p>",
                BodyFormat.HTML, "  ").render(ANN);

        assertThat(mail.textDerived()).isTrue();
        assertThat(mail.textAlternative()).isEqualTo("Hi Ann\n\nSee this (https://x.test/a).");
    }

    @Test
    void writtenTextPartIsMergedAndKept() throws Exception {
        RenderedEmail mail = MailTemplate.compile("S", "<p>Hi</p>", BodyFormat.HTML, "Hi {{first_name}} & co").render(ANN);

        assertThat(mail.textDerived()).isFalse();
        assertThat(mail.textAlternative()).isEqualTo("Hi Ann & co");
    }

    @Test
    void plainTextHasNoTextPartEvenIfOneWasTyped() throws Exception {
        RenderedEmail mail = MailTemplate.compile("S", "Body", BodyFormat.TEXT, "ignored").render(ANN);

        assertThat(mail.textAlternative()).isEmpty();
    }

    @Test
    void everyMissingFieldIsNamedPerPartInsteadOfMergingEmptyText() throws Exception {
        MailTemplate template = MailTemplate.compile("Hi {{first_name}} {{last_name}}", "{{#vip}}{{discount}}{{/vip}} {{email}}",
                BodyFormat.HTML, "{{nickname}}");
        Map<String, String> onlyEmail = Map.of("email", "bob@example.com");

        MissingFields missing = template.missingFields(onlyEmail);

        assertThat(missing.byPart()).containsOnlyKeys(TemplatePart.SUBJECT, TemplatePart.BODY, TemplatePart.TEXT_ALTERNATIVE);
        assertThat(missing.byPart().get(TemplatePart.SUBJECT)).containsExactly("first_name", "last_name");
        assertThat(missing.byPart().get(TemplatePart.BODY)).containsExactly("discount", "vip");
        assertThat(missing.byPart().get(TemplatePart.TEXT_ALTERNATIVE)).containsExactly("nickname");
        assertThatThrownBy(() -> template.render(onlyEmail)).isInstanceOfSatisfying(MissingFieldsException.class,
                e -> assertThat(e.missing()).isEqualTo(missing));
    }

    @Test
    void fieldsUsedAreListedPerPart() throws Exception {
        MailTemplate template = MailTemplate.compile("{{a}} {{b}}", "{{#c}}{{d}}{{.}}{{/c}}");

        assertThat(template.fieldsOf(TemplatePart.SUBJECT)).containsExactly("a", "b");
        assertThat(template.fieldsOf(TemplatePart.BODY)).isEqualTo(Set.of("c", "d"));
    }

    @ParameterizedTest(name = "{0}: \"{1}\" -> line {2}, column {3}")
    @CsvSource(delimiter = '|', value = {
            "BODY    | Hello {{first_name                 | 1 | 7  | is not closed",
            "BODY    | Line one\\nHi {{name} there         | 2 | 4  | is not closed",
            "BODY    | Hi {{}}                             | 1 | 4  | empty tag",
            "BODY    | {{#vip}}VIP                         | 1 | 1  | never closed",
            "BODY    | ok\\n  {{/vip}}                     | 2 | 3  | never opened",
            "BODY    | {{#a}}{{#b}}x{{/a}}{{/b}}           | 1 | 14 | close that one first",
            "BODY    | {{> footer}}                        | 1 | 1  | partials",
            "BODY    | {{{raw}}                            | 1 | 1  | is not closed",
            "SUBJECT | Hi {{first_name}                    | 1 | 4  | is not closed",
    })
    void syntaxErrorsAreReportedAtTheirLineAndColumn(TemplatePart part, String source, int line, int column, String message) {
        String text = source.replace("\\n", "\n");
        String subject = part == TemplatePart.SUBJECT ? text : "S";
        String body = part == TemplatePart.BODY ? text : "B";

        assertThatThrownBy(() -> MailTemplate.compile(subject, body)).isInstanceOfSatisfying(TemplateSyntaxException.class, e -> {
            assertThat(e.part()).isEqualTo(part);
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.column()).isEqualTo(column);
            assertThat(e.getMessage()).contains("line " + line + ", column " + column).containsIgnoringCase(message);
        });
    }

    @Test
    void syntaxErrorsOnlyJmustacheSeesAreReportedWithItsLine() {
        assertThatThrownBy(() -> MailTemplate.compile("S", "a\nb\n{{=<% %>=}}<%#x%>"))
                .isInstanceOfSatisfying(TemplateSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("Section missing close tag 'x'");
                });
    }
}
