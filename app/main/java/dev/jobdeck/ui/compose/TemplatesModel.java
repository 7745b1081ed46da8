package dev.jobdeck.ui.compose;

import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.mail.BodyFormat;
import dev.jobdeck.core.store.SavedTemplate;
import dev.jobdeck.core.templates.TemplateLibrary;
import dev.jobdeck.core.templates.TemplateLibrary.InvalidTemplateException;
import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.compose.ComposeModel.Outcome;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Compose screen's saved templates: picking one fills the message from it; the message can be saved under
 * a name or the picked template deleted. The template the form was last filled from or saved as goes with
 * every e-mail queued.
 */
public final class TemplatesModel {

    private final TemplateLibrary templates;
    private final TaskRunner tasks;
    private final MessageModel message;
    private final Function<Field, ReadOnlyStringWrapper> fieldErrors;

    // Properties: the inputs, bound both ways by the view
    private final ObjectProperty<String> templateChoice = new SimpleObjectProperty<>();
    private final StringProperty templateName = new SimpleStringProperty("");

    // Properties: derived state, read-only to the view
    private final ObservableList<String> templateNames = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper templateNameError = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper templateMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Outcome> templateOutcome = new ReadOnlyObjectWrapper<>(Outcome.NONE);
    private final ReadOnlyBooleanWrapper templateBusy = new ReadOnlyBooleanWrapper(false);
    private List<SavedTemplate> saved = List.of();
    /** The saved template the form was last filled from or saved as; kept with every e-mail queued. */
    private String usedTemplate = "";

    /** @param fieldErrors the Compose form's error of each field, where a template's subject or body problem shows */
    TemplatesModel(TemplateLibrary templates, TaskRunner tasks, MessageModel message,
                   Function<Field, ReadOnlyStringWrapper> fieldErrors) {
        this.templates = templates;
        this.tasks = tasks;
        this.message = message;
        this.fieldErrors = fieldErrors;
        templateName.addListener((obs, old, value) -> templateNameError.set(""));
        templateChoice.addListener((obs, old, name) -> {
            if (name != null && !name.equals(usedTemplate)) {
                fillFrom(name);
            }
        });
    }

    // Commands

    /** Saves the form's subject, body, format and plain-text part under the typed name (replacing one of that name). */
    public void saveTemplate() {
        if (templateBusy.get()) {
            return;
        }
        showTemplate(Outcome.NONE, "");
        String name = templateName.get();
        String subjectText = message.subjectProperty().get();
        String bodyText = message.bodyProperty().get();
        BodyFormat bodyFormat = message.formatProperty().get();
        String text = message.textAlternativeProperty().get();
        templateBusy.set(true);
        tasks.run(() -> {
                    TemplateLibrary.Saved done = templates.save(name, subjectText, bodyText, bodyFormat, text);
                    return new Listed<>(done, templates.all());
                },
                result -> {
                    templateBusy.set(false);
                    TemplateLibrary.Saved done = result.outcome();
                    usedTemplate = done.template().name();
                    showTemplates(result.all());
                    templateChoice.set(usedTemplate);
                    templateName.set(usedTemplate);
                    showTemplate(Outcome.SUCCESS, (done.updated() ? "Updated" : "Saved") + " the template \u201c" + usedTemplate + "\u201d.");
                },
                failure -> {
                    templateBusy.set(false);
                    if (failure instanceof InvalidTemplateException invalid) {
                        invalid.problems().forEach((field, problem) -> {
                            switch (field) {
                                case NAME -> templateNameError.set(problem);
                                case SUBJECT -> fieldErrors.apply(Field.SUBJECT).set(problem);
                                case BODY -> fieldErrors.apply(Field.BODY).set(problem);
                                case TEXT_ALTERNATIVE -> fieldErrors.apply(Field.TEXT_ALTERNATIVE).set(problem);
                            }
                        });
                        showTemplate(Outcome.DANGER, "The template was not saved. Correct the fields marked in red.");
                    } else {
                        showTemplate(Outcome.DANGER, "The template was not saved: " + failure.getMessage());
                    }
                });
    }

    /** What a change to the saved templates did, and the list after it. */
    private record Listed<T>(T outcome, List<SavedTemplate> all) {
    }

    /** Deletes the template picked in the list; the form keeps its text. */
    public void deleteTemplate() {
        String name = templateChoice.get();
        if (templateBusy.get()) {
            return;
        }
        if (name == null || name.isBlank()) {
            showTemplate(Outcome.DANGER, "Pick the saved template to delete first.");
            return;
        }
        templateBusy.set(true);
        tasks.run(() -> {
                    boolean deleted = templates.delete(name);
                    return new Listed<>(deleted, templates.all());
                },
                result -> {
                    templateBusy.set(false);
                    if (name.equals(usedTemplate)) {
                        usedTemplate = "";
                    }
                    showTemplates(result.all());
                    templateChoice.set(null);
                    showTemplate(result.outcome() ? Outcome.SUCCESS : Outcome.DANGER,
                            result.outcome()
                                    ? "Deleted the template \u201c" + name + "\u201d. The form keeps its text."
                                    : "There is no template \u201c" + name + "\u201d any more.");
                },
                failure -> {
                    templateBusy.set(false);
                    showTemplate(Outcome.DANGER, "The template was not deleted: " + failure.getMessage());
                });
    }

    /** Reads the saved templates' list again (off the JavaFX thread). */
    public void refreshTemplates() {
        tasks.run(templates::all, this::showTemplates,
                failure -> showTemplate(Outcome.DANGER, "Cannot read the saved templates: " + failure.getMessage()));
    }

    /** No template picked or named: the next e-mails go out without one. */
    void clear() {
        usedTemplate = "";
        templateChoice.set(null);
        templateName.set("");
        showTemplate(Outcome.NONE, "");
    }

    /** The template kept with the e-mails queued now; empty for none. */
    String usedTemplate() {
        return usedTemplate;
    }

    private void showTemplates(List<SavedTemplate> all) {
        saved = List.copyOf(all);
        List<String> names = new ArrayList<>();
        all.forEach(t -> names.add(t.name()));
        templateNames.setAll(names);
    }

    /** Fills subject, body, format and plain-text part from the saved template (read with the list). */
    private void fillFrom(String name) {
        Optional<SavedTemplate> picked = saved.stream().filter(t -> t.name().equals(name)).findFirst();
        if (picked.isEmpty()) {
            return;
        }
        SavedTemplate template = picked.get();
        usedTemplate = template.name();
        templateName.set(template.name());
        message.fillFrom(template);
        showTemplate(Outcome.SUCCESS, "Filled the form from the template \u201c" + template.name() + "\u201d.");
    }

    private void showTemplate(Outcome kind, String text) {
        templateOutcome.set(kind);
        templateMessage.set(text);
    }

    // Property accessors

    /** The saved template picked in the list; picking one fills the form from it. */
    public ObjectProperty<String> templateChoiceProperty() {
        return templateChoice;
    }

    /** The name the form is saved under. */
    public StringProperty templateNameProperty() {
        return templateName;
    }

    public ObservableList<String> templateNames() {
        return FXCollections.unmodifiableObservableList(templateNames);
    }

    public ReadOnlyStringProperty templateNameErrorProperty() {
        return templateNameError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty templateMessageProperty() {
        return templateMessage.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Outcome> templateOutcomeProperty() {
        return templateOutcome.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty templateBusyProperty() {
        return templateBusy.getReadOnlyProperty();
    }
}
