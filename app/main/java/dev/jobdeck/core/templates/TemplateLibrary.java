package dev.jobdeck.core.templates;

import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.mail.HeaderText;
import dev.jobdeck.core.store.SavedTemplate;
import dev.jobdeck.core.store.TemplateTable;

import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's saved templates: listed, saved (a new name adds one, an existing name updates it) and
 * deleted. A template is checked before it is saved, so a saved template always compiles; whether the
 * recipients have its fields is checked when it is used.
 */
public final class TemplateLibrary {

    public static final int MAX_NAME = 200;

    /** Where a problem with a template to save is shown. */
    public enum Field { NAME, SUBJECT, BODY, TEXT_ALTERNATIVE }

    /** Refused before anything was written, with a message per field. */
    public static final class InvalidTemplateException extends Exception {

        private final Map<Field, String> problems;

        public InvalidTemplateException(Map<Field, String> problems) {
            super(problems.toString());
            this.problems = Map.copyOf(problems);
        }

        public Map<Field, String> problems() {
            return problems;
        }
    }

    /** What a save did: {@code updated} when a template of that name existed and was replaced. */
    public record Saved(SavedTemplate template, boolean updated) {
    }

    private final TemplateTable table;
    private final Clock clock;

    public TemplateLibrary(TemplateTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    public List<SavedTemplate> all() throws SQLException {
        return table.all();
    }

    public Optional<SavedTemplate> find(String name) throws SQLException {
        return table.find(name == null ? "" : name.strip());
    }

    public Saved save(String name, String subject, String body, BodyFormat format, String textAlternative)
            throws InvalidTemplateException, SQLException {
        Map<Field, String> problems = new EnumMap<>(Field.class);
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty()) {
            problems.put(Field.NAME, "Enter a name to save the template under.");
        } else if (HeaderText.problem(trimmed).isPresent()) {
            problems.put(Field.NAME, "The name " + HeaderText.problem(trimmed).get() + ".");
        } else if (trimmed.length() > MAX_NAME) {
            problems.put(Field.NAME, "The name is longer than " + MAX_NAME + " characters.");
        }
        String subjectText = subject == null ? "" : subject;
        if (subjectText.isBlank()) {
            problems.put(Field.SUBJECT, "Enter a subject to save with the template.");
        } else if (HeaderText.problem(subjectText).isPresent()) {
            problems.put(Field.SUBJECT, "The subject " + HeaderText.problem(subjectText).get() + ".");
        } else if (subjectText.length() > 998) {
            problems.put(Field.SUBJECT, "The subject is longer than 998 characters.");
        }
        BodyFormat f = format == null ? BodyFormat.TEXT : format;
        String text = f == BodyFormat.HTML && textAlternative != null ? textAlternative : "";
        if (!problems.containsKey(Field.SUBJECT)) {
            try {
                MailTemplate.compile(subjectText, body, f, text);
            } catch (TemplateSyntaxException e) {
                problems.put(Field.valueOf(e.part().name()), e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidTemplateException(problems);
        }
        SavedTemplate template = new SavedTemplate(trimmed, subjectText, body, f, text, clock.instant());
        return new Saved(template, table.save(template));
    }

    /** Returns whether there was a template of that name. */
    public boolean delete(String name) throws SQLException {
        return table.delete(name == null ? "" : name.strip());
    }
}
