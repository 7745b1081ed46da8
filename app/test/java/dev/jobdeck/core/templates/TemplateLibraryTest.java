package dev.jobdeck.core.templates;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.store.SavedTemplate;
import dev.jobdeck.core.templates.TemplateLibrary.Field;
import dev.jobdeck.core.templates.TemplateLibrary.InvalidTemplateException;
import dev.jobdeck.testsupport.ConsoleStore;
import dev.jobdeck.testsupport.ScratchStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ConsoleStore
class TemplateLibraryTest {

    private ConsoleServices services;
    private TemplateLibrary library;

    @BeforeEach
    void open(ConsoleServices services) {
        this.services = services;
        library = services.parts().templates();
    }

    @Test
    void savedTemplateIsListedFoundUpdatedAndDeleted() throws Exception {
        assertThat(library.save(" Welcome ", "Hi {{email}}", "<p>Hi</p>", BodyFormat.HTML, "Hi").updated()).isFalse();
        library.save("announcement", "News", "Text", BodyFormat.TEXT, "dropped for plain text");

        assertThat(library.all()).extracting(SavedTemplate::name).containsExactly("announcement", "Welcome");
        SavedTemplate welcome = library.find("Welcome").orElseThrow();
        assertThat(welcome.subject()).isEqualTo("Hi {{email}}");
        assertThat(welcome.format()).isEqualTo(BodyFormat.HTML);
        assertThat(welcome.textAlternative()).isEqualTo("Hi");
        assertThat(library.find("announcement").orElseThrow().textAlternative()).isEmpty();

        assertThat(library.save("Welcome", "Hello {{email}}", "Plain now", BodyFormat.TEXT, "").updated()).isTrue();
        assertThat(library.find("Welcome").orElseThrow().body()).isEqualTo("Plain now");
        assertThat(library.all()).hasSize(2);

        assertThat(library.delete("Welcome")).isTrue();
        assertThat(library.delete("Welcome")).isFalse();
        assertThat(library.all()).extracting(SavedTemplate::name).containsExactly("announcement");
    }

    @Test
    void templatesSurviveARestart(ScratchStore store) throws Exception {
        library.save("Kept", "S", "B", BodyFormat.TEXT, "");
        services.close();

        services = store.openConsole();

        assertThat(services.parts().templates().find("Kept")).isPresent();
    }

    @ParameterizedTest(name = "[{index}] {3}: {4}")
    @CsvSource(delimiter = '|', value = {
            "''         | S          | B          | NAME    | Enter a name",
            "'a\nb'     | S          | B          | NAME    | line breaks",
            "ok         | ''         | B          | SUBJECT | Enter a subject",
            "ok         | 'S\r\nX'   | B          | SUBJECT | line breaks",
            "ok         | Hi {{x     | B          | SUBJECT | line 1, column 4",
            "ok         | S          | {{#a}}     | BODY    | line 1, column 1",
            "ok         | 'S\u0001X'  | B          | SUBJECT | U+0001 START OF HEADING at position 2",
            "ok         | 'S\u009bX'  | B          | SUBJECT | U+009B CONTROL SEQUENCE INTRODUCER at position 2",
            "'a\u0007b'  | S          | B          | NAME    | U+0007 BEL at position 2",
    })
    void badTemplateIsRefusedAtItsFieldAndNothingIsSaved(String name, String subject, String body, Field field,
                                                          String message) throws Exception {
        assertThatThrownBy(() -> library.save(name, subject, body, BodyFormat.TEXT, ""))
                .isInstanceOfSatisfying(InvalidTemplateException.class,
                        e -> assertThat(e.problems()).containsKey(field).extractingByKey(field).asString().contains(message));
        assertThat(library.all()).isEmpty();
    }

    @Test
    void brokenTextPartOfAnHtmlTemplateIsRefusedThere() {
        assertThatThrownBy(() -> library.save("ok", "S", "<p>x</p>", BodyFormat.HTML, "{{/x}}"))
                .isInstanceOfSatisfying(InvalidTemplateException.class,
                        e -> assertThat(e.problems()).containsOnlyKeys(Field.TEXT_ALTERNATIVE));
    }
}
