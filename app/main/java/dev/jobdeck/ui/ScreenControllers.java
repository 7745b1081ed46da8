package dev.jobdeck.ui;

import dev.jobdeck.core.ScreenServices;
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
                            tasks, navigation, clock), filePicker);
        }
        if (type == dev.jobdeck.ui.jobs.JobsController.class) {
            return new dev.jobdeck.ui.jobs.JobsController(new dev.jobdeck.ui.jobs.JobsModel(services.queries(),
                    services.commands(), services.supervisor(), tasks, clock), refresher, navigation);
        }
        if (type == dev.jobdeck.ui.jobs.BulkActionController.class) {
            return new dev.jobdeck.ui.jobs.BulkActionController(new dev.jobdeck.ui.jobs.BulkActionModel(
                    services.bulkActions(), tasks, clock));
        }
        if (type == dev.jobdeck.ui.hosts.HostsController.class) {
            return new dev.jobdeck.ui.hosts.HostsController(new dev.jobdeck.ui.hosts.HostsModel(
                    services.supervisor(), services.reports(), services.queue(), services.settings()::policy,
                    services.settings()::updatePolicy, tasks, clock), refresher);
        }
        if (type == dev.jobdeck.ui.mailbox.MailboxController.class) {
            return new dev.jobdeck.ui.mailbox.MailboxController(new dev.jobdeck.ui.mailbox.MailboxModel(
                    services.sink(), services.sinkNotice(), tasks, refresher, javafx.application.Platform::runLater,
                    clock.getZone()));
        }
        if (type == dev.jobdeck.ui.settings.SettingsController.class) {
            return new dev.jobdeck.ui.settings.SettingsController(new dev.jobdeck.ui.settings.SettingsModel(
                    services.outgoing(), services.mailer(), tasks, status::refresh, services.settings()::lastDelivery,
                    services.settings()::updateDelivery),
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
