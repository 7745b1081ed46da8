package dev.jobdeck.ui.mailbox;

import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.ui.ChoiceLabels;
import dev.jobdeck.ui.WhileShown;
import dev.jobdeck.ui.Styles;
import dev.jobdeck.ui.mailbox.MailboxModel.RejectCode;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.css.PseudoClass;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.VBox;
import java.util.function.Function;


/** Shows the sink's mailbox and fault rules from {@link MailboxModel}; polls only while on screen. */
public final class MailboxController {

    private static final PseudoClass DOWN = PseudoClass.getPseudoClass("down");

    private final MailboxModel model;
    // Held in a field: the derived binding must live as long as the view for its listener to fire.
    private ObservableValue<Boolean> showing;
    private ReceivedMail lastSelected;

    @FXML private VBox mailboxRoot;
    @FXML private Label mailboxCount;
    @FXML private Label mailboxProblem;
    @FXML private Label mailboxNotice;
    @FXML private Button mailboxClear;
    @FXML private TableView<ReceivedMail> mailboxTable;
    @FXML private TableColumn<ReceivedMail, String> mailboxReceivedColumn;
    @FXML private TableColumn<ReceivedMail, String> mailboxFromColumn;
    @FXML private TableColumn<ReceivedMail, String> mailboxToColumn;
    @FXML private TableColumn<ReceivedMail, String> mailboxSubjectColumn;
    @FXML private TableColumn<ReceivedMail, String> mailboxSizeColumn;
    @FXML private TableColumn<ReceivedMail, String> mailboxMessageIdColumn;
    @FXML private Label sinkState;
    @FXML private Label faultSummary;
    @FXML private ToggleButton sinkDown;
    @FXML private TextField faultFailPercent;
    @FXML private Label faultFailPercentError;
    @FXML private TextField faultLatency;
    @FXML private Label faultLatencyError;
    @FXML private CheckBox faultHang;
    @FXML private Button faultClearAll;
    @FXML private VBox mailboxFaults;
    @FXML private TextField mailboxRejectAddress;
    @FXML private ComboBox<RejectCode> mailboxRejectCode;
    @FXML private Button mailboxAddRejection;
    @FXML private Label mailboxRejectError;
    @FXML private ListView<String> mailboxRejections;
    @FXML private Button mailboxClearRejections;

    public MailboxController(MailboxModel model) {
        this.model = model;
    }

    @FXML
    private void initialize() {
        column(mailboxReceivedColumn, model::receivedText);
        column(mailboxFromColumn, ReceivedMail::from);
        column(mailboxToColumn, ReceivedMail::to);
        column(mailboxSubjectColumn, ReceivedMail::subject);
        column(mailboxSizeColumn, mail -> MailboxModel.sizeText(mail.sizeBytes()));
        column(mailboxMessageIdColumn, ReceivedMail::messageId);
        mailboxTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        mailboxTable.setItems(model.messages());
        keepSelectionAcrossReplacements();
        mailboxCount.textProperty().bind(model.countProperty());
        mailboxProblem.textProperty().bind(model.problemProperty());
        mailboxProblem.visibleProperty().bind(model.problemProperty().isNotEmpty());
        mailboxProblem.managedProperty().bind(mailboxProblem.visibleProperty());
        mailboxNotice.textProperty().bind(model.noticeProperty());
        mailboxNotice.visibleProperty().bind(model.noticeProperty().isNotEmpty());
        mailboxNotice.managedProperty().bind(mailboxNotice.visibleProperty());

        mailboxRejectAddress.textProperty().bindBidirectional(model.rejectAddressProperty());
        mailboxRejectCode.getItems().setAll(RejectCode.values());
        mailboxRejectCode.setConverter(ChoiceLabels.of(RejectCode::label));
        mailboxRejectCode.valueProperty().bindBidirectional(model.rejectCodeProperty());
        mailboxRejectError.textProperty().bind(model.rejectErrorProperty());
        mailboxRejectError.visibleProperty().bind(model.rejectErrorProperty().isNotEmpty());
        mailboxRejectError.managedProperty().bind(mailboxRejectError.visibleProperty());
        model.rejectErrorProperty().addListener((obs, old, message) ->
                mailboxRejectAddress.pseudoClassStateChanged(Styles.INVALID, !message.isEmpty()));
        mailboxRejections.setItems(model.rejections());
        bindFaults();
        mailboxRejections.setPlaceholder(new Label("No rules: every recipient is accepted."));

        if (!model.sinkAvailable()) {
            Label placeholder = new Label("The built-in SMTP sink is not running in this console, so there is no mailbox to show."
                    + " Mail goes to the server chosen in Settings.");
            placeholder.getStyleClass().add(Styles.PLACEHOLDER);
            placeholder.setWrapText(true);
            mailboxTable.setPlaceholder(placeholder);
            mailboxClear.setDisable(true);
            mailboxFaults.setDisable(true);
            return;
        }
        mailboxTable.setPlaceholder(new Label("No messages yet. Queue an e-mail on Compose and it arrives here."));
        showing = WhileShown.run(mailboxRoot, model::startLive, model::stopLive);
    }

    private void bindFaults() {
        sinkState.textProperty().bind(model.sinkStateProperty());
        model.sinkUpProperty().addListener((obs, was, up) -> sinkState.pseudoClassStateChanged(DOWN, !up));
        sinkState.pseudoClassStateChanged(DOWN, !model.sinkUpProperty().get() && model.sinkAvailable());
        faultSummary.textProperty().bind(model.faultSummaryProperty());
        Styles.banner(faultSummary, model.faultsActiveProperty().get() ? Styles.BANNER_DANGER : Styles.BANNER_SUCCESS);
        model.faultsActiveProperty().addListener((obs, was, active) ->
                Styles.banner(faultSummary, active ? Styles.BANNER_DANGER : Styles.BANNER_SUCCESS));

        sinkDown.setSelected(model.sinkAvailable() && !model.sinkUpProperty().get());
        sinkDown.textProperty().bind(model.sinkUpProperty().map(up -> up ? "Take the sink down" : "Bring the sink back up"));
        sinkDown.disableProperty().bind(model.sinkBusyProperty());
        sinkDown.setOnAction(event -> model.setSinkDown(sinkDown.isSelected()));
        model.sinkUpProperty().addListener((obs, was, up) -> sinkDown.setSelected(!up));

        faultFailPercent.textProperty().bindBidirectional(model.failPercentProperty());
        faultLatency.textProperty().bindBidirectional(model.latencyMillisProperty());
        showError(faultFailPercent, faultFailPercentError, model.failPercentErrorProperty());
        showError(faultLatency, faultLatencyError, model.latencyErrorProperty());

        faultHang.setSelected(model.hangingProperty().get());
        faultHang.setOnAction(event -> model.setHanging(faultHang.isSelected()));
        model.hangingProperty().addListener((obs, was, on) -> faultHang.setSelected(on));
    }

    private static void showError(TextField input, Label label, javafx.beans.property.ReadOnlyStringProperty error) {
        label.textProperty().bind(error);
        label.visibleProperty().bind(error.isNotEmpty());
        label.managedProperty().bind(label.visibleProperty());
        error.addListener((obs, old, message) -> input.pseudoClassStateChanged(Styles.INVALID, !message.isEmpty()));
    }

    /*
     * Arrivals are prepended and keep the selection by themselves; after a full replacement (the sink
     * was cleared or reordered) the row the operator had picked is selected again if it is still there.
     */
    private void keepSelectionAcrossReplacements() {
        mailboxTable.getSelectionModel().selectedItemProperty().addListener((obs, old, selected) -> {
            if (selected != null) {
                lastSelected = selected;
            }
        });
        model.messages().addListener((ListChangeListener<ReceivedMail>) change -> {
            if (lastSelected != null && mailboxTable.getSelectionModel().getSelectedItem() == null
                    && model.messages().contains(lastSelected)) {
                mailboxTable.getSelectionModel().select(lastSelected);
            }
        });
    }

    private static void column(TableColumn<ReceivedMail, String> column, Function<ReceivedMail, String> text) {
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(text.apply(cell.getValue())));
    }

    @FXML
    private void clear() {
        model.clear();
    }

    @FXML
    private void addRejection() {
        model.addRejection();
    }

    @FXML
    private void clearRejections() {
        model.clearRejections();
    }

    @FXML
    private void applyFaults() {
        model.applyFaults();
    }

    @FXML
    private void clearAllFaults() {
        model.clearAllFaults();
    }
}
