package dev.jobdeck.ui;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreException;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The JavaFX application. The store, the SMTP sink and the host are opened in {@link #init()}, which
 * JavaFX runs on the launcher thread, so the JavaFX thread never waits for H2 to open the file.
 */
public final class JobDeckApp extends Application {

    private ConsoleServices services;
    private ConsoleUi ui;
    private String startupError;

    @Override
    public void init() {
        Optional<Path> dataDir = dataDirOption(getParameters().getRaw());
        DataDirectory directory = DataDirectory.resolve(dataDir, System.getenv(), Path.of(System.getProperty("user.home")));
        try {
            services = ConsoleServices.open(directory, ConsoleServices.Options.console());
            services.startHost();
        } catch (StoreException e) {
            startupError = e.getMessage();
            if (services != null) {
                services.close();
                services = null;
            }
        }
    }

    static Optional<Path> dataDirOption(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--data-dir") && i + 1 < args.size()) {
                return Optional.of(Path.of(args.get(i + 1)));
            }
            if (arg.startsWith("--data-dir=")) {
                return Optional.of(Path.of(arg.substring("--data-dir=".length())));
            }
        }
        return Optional.empty();
    }

    static Optional<Screen> screenOption(List<String> args) {
        int index = args.indexOf("--open");
        if (index < 0 || index + 1 >= args.size()) {
            return Optional.empty();
        }
        String wanted = args.get(index + 1);
        return java.util.Arrays.stream(Screen.values()).filter(s -> s.name().equalsIgnoreCase(wanted)).findFirst();
    }

    @Override
    public void start(Stage stage) {
        if (services == null) {
            Alert alert = new Alert(Alert.AlertType.ERROR, startupError, ButtonType.CLOSE);
            alert.setTitle("JobDeck cannot start");
            alert.setHeaderText("JobDeck cannot open its data directory");
            alert.getDialogPane().setMinWidth(560);
            alert.showAndWait();
            Platform.exit();
            return;
        }
        ui = new ConsoleUi(services);
        ui.show(stage);
        screenOption(getParameters().getRaw()).ifPresent(ui.navigation()::show);
    }

    @Override
    public void stop() throws InterruptedException {
        if (ui != null) {
            ui.close();
        }
        if (services != null) {
            services.close();
        }
    }
}
