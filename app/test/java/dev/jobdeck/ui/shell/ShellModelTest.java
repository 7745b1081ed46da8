package dev.jobdeck.ui.shell;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ShellModelTest {

    private final Path dataDir = Path.of("/home/ops/.jobdeck");

    @Test
    void whileOpeningTheTitleAndMessageNameTheDataDirectoryAndSayItIsOpening() {
        ShellModel shell = new ShellModel(dataDir);

        assertThat(shell.phaseProperty().get()).isEqualTo(ShellModel.Phase.OPENING);
        assertThat(shell.titleProperty().get()).isEqualTo("JobDeck — /home/ops/.jobdeck (opening…)");
        assertThat(shell.messageProperty().get()).isEqualTo("Opening the store at /home/ops/.jobdeck…");
    }

    @Test
    void onceLiveTheTitleIsThePlainOneScriptsWaitFor() {
        ShellModel shell = new ShellModel(dataDir);

        shell.live();

        assertThat(shell.phaseProperty().get()).isEqualTo(ShellModel.Phase.LIVE);
        assertThat(shell.titleProperty().get()).isEqualTo(ShellModel.liveTitle(dataDir)).isEqualTo("JobDeck — /home/ops/.jobdeck");
        assertThat(shell.messageProperty().get()).isEmpty();
    }

    @Test
    void whenOpeningFailsTheMessageSaysWhyAndTheTitleIsNotThePlainOne() {
        ShellModel shell = new ShellModel(dataDir);

        shell.failed("The data directory /home/ops/.jobdeck is in use by console (pid 42).");

        assertThat(shell.phaseProperty().get()).isEqualTo(ShellModel.Phase.FAILED);
        assertThat(shell.messageProperty().get()).contains("cannot open").contains("in use by console (pid 42)");
        assertThat(shell.titleProperty().get()).isNotEqualTo(ShellModel.liveTitle(dataDir)).endsWith("(cannot open)");
    }
}
