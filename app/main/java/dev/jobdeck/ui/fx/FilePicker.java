package dev.jobdeck.ui.fx;

import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Asks the operator for files. The app shows the OS's file dialog; UI tests supply their files through the
 * same seam, since a native dialog cannot be driven headless.
 */
public interface FilePicker {

    Optional<Path> openCsv(Window owner);

    List<Path> openAttachments(Window owner);

    /** The OS's file dialogs. */
    static FilePicker system() {
        return new FilePicker() {
            @Override
            public Optional<Path> openCsv(Window owner) {
                FileChooser chooser = new FileChooser();
                chooser.setTitle("Import recipients from a CSV file");
                chooser.getExtensionFilters().addAll(
                        new FileChooser.ExtensionFilter("CSV files (*.csv, *.txt)", "*.csv", "*.CSV", "*.txt"),
                        new FileChooser.ExtensionFilter("All files", "*"));
                return Optional.ofNullable(chooser.showOpenDialog(owner)).map(File::toPath);
            }

            @Override
            public List<Path> openAttachments(Window owner) {
                FileChooser chooser = new FileChooser();
                chooser.setTitle("Attach files");
                List<File> files = chooser.showOpenMultipleDialog(owner);
                return files == null ? List.of() : files.stream().map(File::toPath).toList();
            }
        };
    }
}
