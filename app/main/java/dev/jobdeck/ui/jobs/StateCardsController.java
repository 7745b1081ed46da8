package dev.jobdeck.ui.jobs;

import dev.jobdeck.ui.fx.Styles;
import dev.jobdeck.core.jobs.query.JobState;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.VBox;

import java.util.Map;
import java.util.Optional;

/** The view of {@code StateCards.fxml}: a count per state from {@link StateCardsModel}; a click filters to it. */
public final class StateCardsController {

    private JobFilterModel filter;

    @FXML private VBox cardScheduled;
    @FXML private VBox cardEnqueued;
    @FXML private VBox cardProcessing;
    @FXML private VBox cardSucceeded;
    @FXML private VBox cardFailed;
    @FXML private VBox cardDeleted;
    @FXML private Label countScheduled;
    @FXML private Label countEnqueued;
    @FXML private Label countProcessing;
    @FXML private Label countSucceeded;
    @FXML private Label countFailed;
    @FXML private Label countDeleted;

    /** Called by the Jobs screen's controller once both are loaded. */
    void attach(JobsModel jobs) {
        filter = jobs.filter();
        Map<JobState, VBox> cards = Map.of(JobState.SCHEDULED, cardScheduled, JobState.ENQUEUED, cardEnqueued,
                JobState.PROCESSING, cardProcessing, JobState.SUCCEEDED, cardSucceeded,
                JobState.FAILED, cardFailed, JobState.DELETED, cardDeleted);
        Map<JobState, Label> counts = Map.of(JobState.SCHEDULED, countScheduled, JobState.ENQUEUED, countEnqueued,
                JobState.PROCESSING, countProcessing, JobState.SUCCEEDED, countSucceeded,
                JobState.FAILED, countFailed, JobState.DELETED, countDeleted);
        cards.forEach((state, card) -> {
            Styles.showState(card, state);
            counts.get(state).textProperty().bind(jobs.cards().countProperty(state));
        });
        filter.filterProperty().addListener((obs, old, shown) -> markFilterCard(cards, shown));
    }

    private static void markFilterCard(Map<JobState, VBox> cards, Optional<JobState> filter) {
        cards.forEach((state, card) -> card.pseudoClassStateChanged(Styles.SELECTED, filter.equals(Optional.of(state))));
    }

    @FXML
    private void filterByCard(MouseEvent event) {
        filter.toggleFilter(JobState.valueOf((String) ((Node) event.getSource()).getUserData()));
    }
}
