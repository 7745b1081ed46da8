package dev.jobdeck.cli;

import dev.jobdeck.testsupport.CapturedTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A command line picocli cannot parse is invalid input (exit 1) on every command, said in one line and a hint. */
class UsageErrorsTest {

    @TempDir
    Path temp;

    @RegisterExtension
    final CapturedTerminal terminal = new CapturedTerminal();
    private final ByteArrayOutputStream out = terminal.out;
    private final ByteArrayOutputStream err = terminal.err;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "send --to a@example.org --subject s --count abc | jobdeck send    | Invalid value for option '--count': 'abc' is not an int",
            "send --to a@example.org                         | jobdeck send    | Missing required option: '--subject=S'",
            "status --jsn                                    | jobdeck status  | Unknown option: '--jsn'",
            "report --batch                                  | jobdeck report  | Expected parameter for option '--batch' but found '--data-dir'",
            "worker --workers many                           | jobdeck worker  | Invalid value for option '--workers': 'many' is not an int",
            "serve extra                                     | jobdeck serve   | Unmatched argument at index 1: 'extra'",
            "config set                                      | jobdeck config set | Missing required parameter: 'KEY'",
            "--no-such-option                                | jobdeck         | Unknown option: '--no-such-option'",
    })
    void aCommandLineThatDoesNotParseIsInvalidInputWithOneLineAndAHint(String args, String command, String message) {
        String[] all = (args.strip() + " --data-dir " + temp.resolve("data")).split(" +");

        int exit = Main.run(all);

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.startsWith("SLF4J")))
                .first().isEqualTo(command.strip() + ": " + message.strip());
        assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.startsWith("SLF4J")))
                .last().isEqualTo("Try '" + command.strip() + " --help' for more information.");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("Usage:");
        assertThat(Files.exists(temp.resolve("data"))).as("nothing was created").isFalse();
    }

    @Test
    void aMistypedCommandGetsASuggestion() {
        int exit = Main.run("stauts", "--data-dir", temp.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Did you mean").contains("status");
    }

    @Test
    void helpIsStillAnAnswerNotAnError() {
        assertThat(Main.run("send", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: jobdeck send");
    }

    /** "jobs" is a command too since issue 16; after --open it still names the screen. */
    @ParameterizedTest
    @CsvSource({"jobs", "hosts", "compose"})
    void openTakesAScreenNamedLikeACommand(String screen) {
        Main main = new Main();
        Main.commandLine(main).parseArgs("--open", screen, "--data-dir", "/tmp/unused");
        assertThat(main.openScreen).isEqualTo(screen);
    }
}
