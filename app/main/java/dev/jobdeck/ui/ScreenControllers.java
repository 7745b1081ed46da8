package dev.jobdeck.ui;

import dev.jobdeck.core.ScreenServices;
import dev.jobdeck.ui.fx.FilePicker;
import dev.jobdeck.ui.fx.Navigation;
import dev.jobdeck.ui.fx.Refresher;
import dev.jobdeck.ui.fx.Screen;
import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.shell.StatusModel;

import java.time.Clock;

/**
 * Creates each screen's controller with its model, fed from the services built once by the composition
 * root. One entry per screen; adding a screen means adding a line here and an {@code X.fxml}.
 */
final class ScreenControllers {

    private ScreenControllers() {
    }

    static Class<?> controllerOf(Screen screen) {
        return switch (screen) {
            case COMPOSE -> dev.jobdeck.ui.compose.ComposeController.class;
            case JOBS -> dev.jobdeck.ui.jobs.JobsController.class;
            case HOSTS -> dev.jobdeck.ui.hosts.HostsController.class;
            case MAILBOX -> dev.jobdeck.ui.mailbox.MailboxController.class;
            case SETTINGS -> dev.jobdeck.ui.settings.SettingsController.class;
        };
    }

    static Object create(Class<?> type, ScreenServices services, TaskRunner tasks, Refresher refresher,
                         Navigation navigation, Clock clock, StatusModel status, FilePicker filePicker) {
        if (type == dev.jobdeck.ui.compose.ComposeController.class) {
            return new dev.jobdeck.ui.compose.ComposeController(
                    new dev.jobdeck.ui.compose.ComposeModel(services.queue(), services.templates(), services.testSend(),
                            tasks, navigation, clock));
        }
        if (type == dev.jobdeck.ui.compose.ComposeRecipientsController.class) {
            return new dev.jobdeck.ui.compose.ComposeRecipientsController(filePicker);
        }
        if (type == dev.jobdeck.ui.compose.ComposeTemplatesController.class) {
            return new dev.jobdeck.ui.compose.ComposeTemplatesController();
        }
        if (type == dev.jobdeck.ui.compose.ComposeMessageController.class) {
            return new dev.jobdeck.ui.compose.ComposeMessageController();
        }
        if (type == dev.jobdeck.ui.compose.ComposeAttachmentsController.class) {
            return new dev.jobdeck.ui.compose.ComposeAttachmentsController(filePicker);
        }
        if (type == dev.jobdeck.ui.compose.ComposeScheduleController.class) {
            return new dev.jobdeck.ui.compose.ComposeScheduleController();
        }
        if (type == dev.jobdeck.ui.compose.ComposePreviewController.class) {
            return new dev.jobdeck.ui.compose.ComposePreviewController();
        }
        if (type == dev.jobdeck.ui.jobs.JobsController.class) {
            return new dev.jobdeck.ui.jobs.JobsController(new dev.jobdeck.ui.jobs.JobsModel(services.queries(),
                    services.commands(), services.supervisor(), tasks, clock), refresher, navigation);
        }
        if (type == dev.jobdeck.ui.jobs.BulkActionController.class) {
            return new dev.jobdeck.ui.jobs.BulkActionController(new dev.jobdeck.ui.jobs.BulkActionModel(
                    services.bulkActions(), tasks, clock));
        }
        // The Jobs screen's panes: the screen's controller attaches each to its part of the screen's model.
        if (type == dev.jobdeck.ui.jobs.StateCardsController.class) {
            return new dev.jobdeck.ui.jobs.StateCardsController();
        }
        if (type == dev.jobdeck.ui.jobs.JobFilterBarController.class) {
            return new dev.jobdeck.ui.jobs.JobFilterBarController();
        }
        if (type == dev.jobdeck.ui.jobs.JobTableController.class) {
            return new dev.jobdeck.ui.jobs.JobTableController();
        }
        if (type == dev.jobdeck.ui.jobs.JobDetailController.class) {
            return new dev.jobdeck.ui.jobs.JobDetailController();
        }
        if (type == dev.jobdeck.ui.jobs.RecurringController.class) {
            return new dev.jobdeck.ui.jobs.RecurringController();
        }
        if (type == dev.jobdeck.ui.hosts.HostsController.class) {
            return new dev.jobdeck.ui.hosts.HostsController(new dev.jobdeck.ui.hosts.HostsModel(
                    services.supervisor(), services.reports(), services.queue(), services.settings()::policy,
                    services.settings()::updatePolicy, tasks, clock), refresher);
        }
        var hostsPane = dev.jobdeck.ui.hosts.HostsController.pane(type);   // a pane Hosts.fxml includes: decision 0044
        if (hostsPane.isPresent()) {
            return hostsPane.get();
        }
        if (type == dev.jobdeck.ui.mailbox.MailboxController.class) {
            return new dev.jobdeck.ui.mailbox.MailboxController(new dev.jobdeck.ui.mailbox.MailboxModel(
                    services.sink(), services.sinkNotice(), tasks, refresher, javafx.application.Platform::runLater,
                    clock.getZone()));
        }
        if (type == dev.jobdeck.ui.mailbox.FaultPanelController.class) {
            return new dev.jobdeck.ui.mailbox.FaultPanelController();   // bound by MailboxController: decision 0044
        }
        if (type == dev.jobdeck.ui.settings.SettingsController.class) {
            return new dev.jobdeck.ui.settings.SettingsController();
        }
        if (type == dev.jobdeck.ui.settings.OutgoingServerController.class) {
            return new dev.jobdeck.ui.settings.OutgoingServerController(new dev.jobdeck.ui.settings.OutgoingServerModel(
                    services.outgoing(), services.mailer(), tasks, status::refresh));
        }
        if (type == dev.jobdeck.ui.settings.DeliverySettingsController.class) {
            return new dev.jobdeck.ui.settings.DeliverySettingsController(new dev.jobdeck.ui.settings.DeliverySettingsModel(
                    services.settings()::lastDelivery, services.settings()::updateDelivery, tasks));
        }
        if (type == dev.jobdeck.ui.settings.RetryPolicyController.class) {
            return new dev.jobdeck.ui.settings.RetryPolicyController(
                    new dev.jobdeck.ui.settings.RetryPolicyModel(services.settings(), tasks));
        }
        if (type == dev.jobdeck.ui.settings.StorageSettingsController.class) {
            return new dev.jobdeck.ui.settings.StorageSettingsController(new dev.jobdeck.ui.settings.StorageSettingsModel(
                    services.settings()::retention, services.settings()::updateRetention, services::storeSizeOnDisk,
                    services.storeDescription(), () -> services.testStoreConnection().sentence(), tasks));
        }
        throw new IllegalArgumentException("No controller factory entry for " + type.getName());
    }
}
