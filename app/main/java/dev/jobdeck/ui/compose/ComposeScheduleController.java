package dev.jobdeck.ui.compose;

import dev.jobdeck.ui.fx.ChoiceLabels;
import dev.jobdeck.ui.compose.ScheduleModel.DelayUnit;
import dev.jobdeck.ui.compose.ScheduleModel.Schedule;
import javafx.beans.value.ObservableStringValue;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;

import java.util.Map;

import static dev.jobdeck.ui.compose.FormBindings.markInvalid;
import static dev.jobdeck.ui.compose.FormBindings.showError;

/** Binds the "Send" choice (now, at, after, cron) to the {@link ScheduleModel} it is shown. */
public final class ComposeScheduleController {

    private ScheduleModel model;

    @FXML private ToggleGroup composeWhen;
    @FXML private RadioButton composeWhenNow;
    @FXML private RadioButton composeWhenAt;
    @FXML private RadioButton composeWhenAfter;
    @FXML private RadioButton composeWhenCron;
    @FXML private DatePicker composeAtDate;
    @FXML private TextField composeAtTime;
    @FXML private Spinner<Integer> composeDelayAmount;
    @FXML private ComboBox<DelayUnit> composeDelayUnit;
    @FXML private TextField composeCron;
    @FXML private Label composeCronNext;
    @FXML private Label composeWhenError;

    /** Called by the Compose screen once loaded, with this pane's model and the form's problem with the timing. */
    void show(ScheduleModel schedule, ObservableStringValue error) {
        model = schedule;
        showError(error, composeWhenError, composeWhenError);
        error.addListener((obs, old, message) -> {
            markInvalid(new Node[] {composeAtDate, composeAtTime, composeDelayAmount, composeCron}, false);
            markInvalid(inputsOf(model.scheduleProperty().get()), !message.isEmpty());
        });

        Map<Schedule, RadioButton> radios = Map.of(Schedule.NOW, composeWhenNow, Schedule.AT, composeWhenAt,
                Schedule.AFTER, composeWhenAfter, Schedule.CRON, composeWhenCron);
        radios.forEach((kind, radio) -> radio.setUserData(kind));
        composeWhen.selectToggle(radios.get(model.scheduleProperty().get()));
        composeWhen.selectedToggleProperty().addListener((obs, old, toggle) -> {
            if (toggle != null) {
                model.scheduleProperty().set((Schedule) toggle.getUserData());
            }
        });
        model.scheduleProperty().addListener((obs, old, kind) -> composeWhen.selectToggle(radios.get(kind)));

        composeAtDate.valueProperty().bindBidirectional(model.atDateProperty());
        composeAtTime.textProperty().bindBidirectional(model.atTimeProperty());
        composeDelayAmount.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 999, 10));
        composeDelayAmount.getValueFactory().valueProperty().bindBidirectional(model.delayAmountProperty());
        composeDelayUnit.getItems().setAll(DelayUnit.values());
        composeDelayUnit.setConverter(ChoiceLabels.of(DelayUnit::label));
        composeDelayUnit.valueProperty().bindBidirectional(model.delayUnitProperty());
        composeCron.textProperty().bindBidirectional(model.cronProperty());
        composeCronNext.textProperty().bind(model.cronNextRunProperty());

        composeAtDate.disableProperty().bind(model.scheduleProperty().isNotEqualTo(Schedule.AT));
        composeAtTime.disableProperty().bind(composeAtDate.disableProperty());
        composeDelayAmount.disableProperty().bind(model.scheduleProperty().isNotEqualTo(Schedule.AFTER));
        composeDelayUnit.disableProperty().bind(composeDelayAmount.disableProperty());
        composeCron.disableProperty().bind(model.scheduleProperty().isNotEqualTo(Schedule.CRON));
    }

    private Node[] inputsOf(Schedule schedule) {
        return switch (schedule) {
            case NOW -> new Node[0];
            case AT -> new Node[] {composeAtDate, composeAtTime};
            case AFTER -> new Node[] {composeDelayAmount};
            case CRON -> new Node[] {composeCron};
        };
    }
}
