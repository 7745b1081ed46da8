package dev.jobdeck.ui.mailbox;

import dev.jobdeck.core.mail.ReceivedMail;
import dev.jobdeck.ui.fx.WhileShown;
import dev.jobdeck.ui.fx.Styles;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringExpression;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import java.util.function.Function;


/**
 * Shows the sink's mailbox from {@link MailboxModel}; polls only while on screen. The fault panel is a view of its
 * own ({@code FaultPanel.fxml}, included): its controller is injected as {@link #faultPanelController} and bound to
 * the model's {@link MailboxModel#faults()} (decision 44).
 */
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
    @FXML private FaultPanelController faultPanelController;

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
        // The list's problem first; else the fault panel's (the sink could not be taken down or up).
        StringExpression problem = Bindings.when(model.problemProperty().isEmpty())
                .then(model.faults().problemProperty()).otherwise(model.problemProperty());
        mailboxProblem.textProperty().bind(problem);
        mailboxProblem.visibleProperty().bind(problem.isNotEmpty());
        mailboxProblem.managedProperty().bind(mailboxProblem.visibleProperty());
        mailboxNotice.textProperty().bind(model.noticeProperty());
        mailboxNotice.visibleProperty().bind(model.noticeProperty().isNotEmpty());
        mailboxNotice.managedProperty().bind(mailboxNotice.visibleProperty());

        faultPanelController.bind(model.faults());
        FaultPanelModel faults = model.faults();
        sinkState.textProperty().bind(faults.sinkStateProperty());
        faults.sinkUpProperty().addListener((obs, was, up) -> sinkState.pseudoClassStateChanged(DOWN, !up));
        sinkState.pseudoClassStateChanged(DOWN, !faults.sinkUpProperty().get() && faults.sinkAvailable());

        if (!model.sinkAvailable()) {
            Label placeholder = new Label("The built-in SMTP sink is not running in this console, so there is no mailbox to show."
                    + " Mail goes to the server chosen in Settings.");
            placeholder.getStyleClass().add(Styles.PLACEHOLDER);
            placeholder.setWrapText(true);
            mailboxTable.setPlaceholder(placeholder);
            mailboxClear.setDisable(true);
            return;
        }
        mailboxTable.setPlaceholder(new Label("No messages yet. Queue an e-mail on Compose and it arrives here."));
        showing = WhileShown.run(mailboxRoot, model::startLive, model::stopLive);
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
}
