package dev.jobdeck.ui.jobs;

import dev.jobdeck.ui.fx.Styles;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.VBox;
import org.jobrunr.jobs.states.StateName;

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
        Map<StateName, VBox> cards = Map.of(StateName.SCHEDULED, cardScheduled, StateName.ENQUEUED, cardEnqueued,
                StateName.PROCESSING, cardProcessing, StateName.SUCCEEDED, cardSucceeded,
                StateName.FAILED, cardFailed, StateName.DELETED, cardDeleted);
        Map<StateName, Label> counts = Map.of(StateName.SCHEDULED, countScheduled, StateName.ENQUEUED, countEnqueued,
                StateName.PROCESSING, countProcessing, StateName.SUCCEEDED, countSucceeded,
                StateName.FAILED, countFailed, StateName.DELETED, countDeleted);
        cards.forEach((state, card) -> {
            Styles.showState(card, state);
            counts.get(state).textProperty().bind(jobs.cards().countProperty(state));
        });
        filter.filterProperty().addListener((obs, old, shown) -> markFilterCard(cards, shown));
    }

    private static void markFilterCard(Map<StateName, VBox> cards, Optional<StateName> filter) {
        cards.forEach((state, card) -> card.pseudoClassStateChanged(Styles.SELECTED, filter.equals(Optional.of(state))));
    }

    @FXML
    private void filterByCard(MouseEvent event) {
        filter.toggleFilter(StateName.valueOf((String) ((Node) event.getSource()).getUserData()));
    }
}
