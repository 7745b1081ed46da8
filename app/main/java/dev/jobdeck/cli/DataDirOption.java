package dev.jobdeck.cli;

import dev.jobdeck.core.store.DataDirectory;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --data-dir} option every sub-command shares; falls back to the top-level one, then the environment. */
final class DataDirOption {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: $JOBDECK_HOME or ~/.jobdeck).")
    Path dataDir;

    DataDirectory resolve(Main parent) {
        return ScriptStore.directory(dataDir, parent);
    }
}
