package dev.jobdeck.ui.jobs;

import dev.jobdeck.ui.fx.Confirm;
import dev.jobdeck.ui.fx.Styles;
import dev.jobdeck.core.jobs.query.JobState;
import javafx.animation.PauseTransition;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.util.Duration;
import javafx.util.StringConverter;

import java.util.Optional;

/**
 * The view of {@code JobFilterBar.fxml}: the state box and the search box ({@link JobFilterModel}), and Retry / Delete
 * of the jobs selected in the table.
 */
public final class JobFilterBarController {

    private JobsModel jobs;

    @FXML private ComboBox<Optional<JobState>> stateFilter;
    @FXML private TextField searchField;
    @FXML private Label searchProblem;
    @FXML private Button retrySelected;
    @FXML private Button deleteSelected;

    /** Called by the Jobs screen's controller once both are loaded. */
    void attach(JobsModel model) {
        jobs = model;
        JobFilterModel filter = model.filter();
        stateFilter.getItems().setAll(filter.filterChoices());
        stateFilter.setConverter(new StringConverter<>() {
            @Override
            public String toString(Optional<JobState> state) {
                return JobFilterModel.filterTitle(state);
            }

            @Override
            public Optional<JobState> fromString(String text) {
                throw new UnsupportedOperationException("the state filter is not editable");
            }
        });
        stateFilter.setValue(filter.filterProperty().get());
        stateFilter.valueProperty().addListener((obs, old, state) -> filter.setFilter(state));
        filter.filterProperty().addListener((obs, old, state) -> stateFilter.setValue(state));
        // Searched once typing pauses, not at every key: each search is a query on the store.
        PauseTransition typing = new PauseTransition(Duration.millis(300));
        typing.setOnFinished(event -> filter.setSearch(searchField.getText()));
        searchField.textProperty().addListener((obs, old, text) -> typing.playFromStart());
        searchProblem.textProperty().bind(filter.searchProblemProperty());
        searchProblem.visibleProperty().bind(filter.searchProblemProperty().isNotEmpty());
        searchProblem.managedProperty().bind(searchProblem.visibleProperty());
        filter.searchProblemProperty().addListener((obs, old, problem) ->
                searchField.pseudoClassStateChanged(Styles.INVALID, !problem.isEmpty()));
        bindFindShortcut();
        JobTableModel table = model.table();
        retrySelected.disableProperty().bind(table.canRetryProperty().not().or(model.busyProperty()));
        deleteSelected.disableProperty().bind(table.canDeleteProperty().not().or(model.busyProperty()));
    }

    /** Ctrl+F (Cmd+F) goes to the search box while this screen is the one shown. */
    private void bindFindShortcut() {
        KeyCombination find = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
        searchField.sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null) {
                scene.getAccelerators().put(find, () -> {
                    if (searchField.getScene() == scene && searchField.isVisible()) {
                        searchField.requestFocus();
                        searchField.selectAll();
                    }
                });
            }
        });
    }

    @FXML
    private void retrySelected() {
        jobs.retrySelected();
    }

    @FXML
    private void deleteSelected() {
        if (jobs.table().deleteQuestion().map(question -> Confirm.ask(deleteSelected, question)).orElse(true)) {
            jobs.deleteSelected();
        }
    }
}
