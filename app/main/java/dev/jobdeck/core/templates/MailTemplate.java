package dev.jobdeck.core.templates;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.mail.HtmlText;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Subject, body and plain-text part of an e-mail as Mustache templates ({@code {{first_name}}}), compiled once
 * and merged per recipient. Strict: a field a recipient does not have is an error, never an empty string, so
 * nobody gets "Dear ," — {@link #missingFields} names them all before anything is queued. Values are merged
 * as they are into the subject and plain text, and HTML-escaped into an HTML body ({@code {{{field}}}} merges
 * raw HTML). A section {@code {{#field}}…{{/field}}} shows only when the field is not empty.
 */
public final class MailTemplate {

    private static final Pattern JMUSTACHE_LINE = Pattern.compile("@ line (\\d+)");
    private static final Set<String> BUILT_IN_NAMES = Set.of(".", "this", "-first", "-last", "-index");
    private static final Mustache.Compiler PLAIN = Mustache.compiler().escapeHTML(false).strictSections(true)
            .emptyStringIsFalse(true);
    private static final Mustache.Compiler HTML = PLAIN.escapeHTML(true);

    private final BodyFormat format;
    private final Map<TemplatePart, Part> parts = new EnumMap<>(TemplatePart.class);

    private record Part(String source, Template compiled, SortedSet<String> fields) {

        /** Text without any tag renders to itself: 100,000 recipients then share one string. */
        boolean isStatic() {
            return !source.contains("{{");
        }
    }

    private MailTemplate(BodyFormat format) {
        this.format = format;
    }

    /**
     * Compiles the parts; an empty {@code textAlternative} of an HTML e-mail means "derive it from the HTML",
     * and a plain-text e-mail has none.
     *
     * @throws TemplateSyntaxException for the first part (subject, body, plain-text part) that does not parse
     */
    public static MailTemplate compile(String subject, String body, BodyFormat format, String textAlternative)
            throws TemplateSyntaxException {
        BodyFormat f = format == null ? BodyFormat.TEXT : format;
        MailTemplate template = new MailTemplate(f);
        template.parts.put(TemplatePart.SUBJECT, part(TemplatePart.SUBJECT, nullToEmpty(subject), PLAIN));
        template.parts.put(TemplatePart.BODY, part(TemplatePart.BODY, nullToEmpty(body), f == BodyFormat.HTML ? HTML : PLAIN));
        if (f == BodyFormat.HTML && textAlternative != null && !textAlternative.isBlank()) {
            template.parts.put(TemplatePart.TEXT_ALTERNATIVE, part(TemplatePart.TEXT_ALTERNATIVE, textAlternative, PLAIN));
        }
        return template;
    }

    /** A plain-text template. */
    public static MailTemplate compile(String subject, String body) throws TemplateSyntaxException {
        return compile(subject, body, BodyFormat.TEXT, "");
    }

    private static Part part(TemplatePart which, String source, Mustache.Compiler compiler) throws TemplateSyntaxException {
        Optional<TagScanner.Problem> problem = TagScanner.check(source);
        if (problem.isPresent()) {
            TagScanner.Problem p = problem.get();
            throw new TemplateSyntaxException(which, p.line(), p.column(), p.message());
        }
        Template compiled;
        try {
            compiled = compiler.compile(source);
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            Matcher line = JMUSTACHE_LINE.matcher(message);
            throw new TemplateSyntaxException(which, line.find() ? Integer.parseInt(line.group(1)) : 1, 0,
                    line.replaceAll("").strip());
        }
        SortedSet<String> fields = new TreeSet<>();
        compiled.visit(new Mustache.Visitor() {
            @Override
            public void visitText(String text) {
                // Literal text needs no field.
            }

            @Override
            public void visitVariable(String name) {
                add(name);
            }

            @Override
            public boolean visitInclude(String name) {
                return false;
            }

            @Override
            public boolean visitSection(String name) {
                add(name);
                return true;
            }

            @Override
            public boolean visitInvertedSection(String name) {
                add(name);
                return true;
            }

            private void add(String name) {
                if (!BUILT_IN_NAMES.contains(name)) {
                    fields.add(name);
                }
            }
        });
        return new Part(source, compiled, Collections.unmodifiableSortedSet(fields));
    }

    public BodyFormat format() {
        return format;
    }

    /** Whether the plain-text part of an HTML e-mail is derived from the HTML (no text written for it). */
    public boolean derivesTextAlternative() {
        return format == BodyFormat.HTML && !parts.containsKey(TemplatePart.TEXT_ALTERNATIVE);
    }

    /** The merge fields {@code part} uses, sorted. */
    public SortedSet<String> fieldsOf(TemplatePart part) {
        Part p = parts.get(part);
        return p == null ? Collections.emptySortedSet() : p.fields();
    }

    /** The fields each part uses that {@code fields} lacks. */
    public MissingFields missingFields(Map<String, String> fields) {
        Map<TemplatePart, SortedSet<String>> missing = new EnumMap<>(TemplatePart.class);
        parts.forEach((which, part) -> {
            SortedSet<String> lacking = new TreeSet<>();
            for (String name : part.fields()) {
                if (!fields.containsKey(name)) {
                    lacking.add(name);
                }
            }
            if (!lacking.isEmpty()) {
                missing.put(which, lacking);
            }
        });
        return new MissingFields(missing);
    }

    /**
     * Merges {@code fields} into every part.
     *
     * @throws MissingFieldsException when a part uses a field that {@code fields} lacks
     */
    public RenderedEmail render(Map<String, String> fields) throws MissingFieldsException {
        MissingFields missing = missingFields(fields);
        if (!missing.isEmpty()) {
            throw new MissingFieldsException(missing);
        }
        String subject = merge(TemplatePart.SUBJECT, fields);
        String body = merge(TemplatePart.BODY, fields);
        if (format == BodyFormat.TEXT) {
            return new RenderedEmail(subject, body, format, "", false);
        }
        if (derivesTextAlternative()) {
            return new RenderedEmail(subject, body, format, HtmlText.toPlainText(body), true);
        }
        return new RenderedEmail(subject, body, format, merge(TemplatePart.TEXT_ALTERNATIVE, fields), false);
    }

    /** The subject alone, for checking every recipient's before anything is queued; fields must not be missing. */
    public String subjectFor(Map<String, String> fields) {
        return merge(TemplatePart.SUBJECT, fields);
    }

    private String merge(TemplatePart which, Map<String, String> fields) {
        Part part = parts.get(which);
        if (part.isStatic()) {
            return part.source();
        }
        try {
            return part.compiled().execute(fields);
        } catch (MustacheException e) {
            // missingFields() found every name the template uses, so this is a bug, not bad input.
            throw new IllegalStateException("Merging the " + which.label() + " failed: " + e.getMessage(), e);
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
