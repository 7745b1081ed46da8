package dev.jobdeck.cli;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.testsupport.CapturedTerminal;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SendCommandTest {

    private static final String LIST = "email,name\nann@example.org,Ann\nbob@,Bob\ncarol@example.org,Carol\nann@example.org,Ann\n";

    @TempDir
    Path temp;

    @RegisterExtension
    final CapturedTerminal terminal = new CapturedTerminal();
    private final ByteArrayOutputStream out = terminal.out;
    private final ByteArrayOutputStream err = terminal.err;

    @Test
    void aCsvWithAnInvalidRowQueuesNothingAndNamesTheRow() throws Exception {
        Path data = temp.resolve("data");
        Path csv = Files.writeString(temp.resolve("list.csv"), LIST);

        int exit = Main.run("send", "--csv", csv.toString(), "--subject", "Hi", "--data-dir", data.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--csv: line 3: \"bob@\": missing domain",
                "1 row cannot be used", "--skip-invalid", "Nothing was queued.");
        try (ConsoleServices services = Consoles.open(data)) {
            assertThat(Consoles.total(services)).isZero();
        }
    }

    @Test
    void withSkipInvalidOnlyTheValidRowsAreQueuedAndTheSkippedOnesCounted() throws Exception {
        Path data = temp.resolve("data");
        Path csv = Files.writeString(temp.resolve("list.csv"), LIST);
        Consoles.open(data).close(); // only a console creates a store (decision 21)

        int exit = Main.run("send", "--csv", csv.toString(), "--skip-invalid", "--subject", "Hi", "--data-dir", data.toString());

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Queued 2 e-mail(s)",
                "Skipped from list.csv: 1 invalid row(s), 1 duplicate(s)");
        try (ConsoleServices services = Consoles.open(data)) {
            assertThat(Consoles.total(services)).isEqualTo(2);
        }
    }

    @Test
    void aSendRetriedWithTheSameKeyQueuesNothingTwice() throws Exception {
        Path data = temp.resolve("data");
        Consoles.open(data).close(); // only a console creates a store (decision 21)
        String[] send = {"send", "--to", "ann@example.org,bob@example.org", "--subject", "Hi", "--key", "monday-run",
                "--data-dir", data.toString()};

        assertThat(Main.run(send)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String first = out.toString(StandardCharsets.UTF_8);
        int at = first.indexOf("(batch ") + "(batch ".length();
        String batch = first.substring(at, first.indexOf(").", at));
        assertThat(first).contains("Queueing 2 e-mail(s) as batch " + batch + " (key monday-run)...",
                "Queued 2 e-mail(s)");
        out.reset();

        assertThat(Main.run(send)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Already queued as batch " + batch + " (key monday-run): 2 e-mail(s); nothing was queued again.")
                .doesNotContain("Queueing");
        try (ConsoleServices services = Consoles.open(data)) {
            assertThat(Consoles.total(services)).isEqualTo(2);
            assertThat(services.parts().reports().ledger(java.util.Optional.empty()).accepted()).isEqualTo(2);
        }
    }

    @Test
    void theSameKeyForOtherEmailsIsRefusedAndQueuesNothing() throws Exception {
        Path data = temp.resolve("data");
        Consoles.open(data).close(); // only a console creates a store (decision 21)
        assertThat(Main.run("send", "--to", "ann@example.org", "--subject", "Hi", "--key", "k1",
                "--data-dir", data.toString())).isZero();

        int exit = Main.run("send", "--to", "ann@example.org", "--subject", "Hello again", "--key", "k1",
                "--data-dir", data.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--key: The key \"k1\" already names batch",
                "Nothing was queued; choose another key.");
        try (ConsoleServices services = Consoles.open(data)) {
            assertThat(Consoles.total(services)).isEqualTo(1);
        }
    }

    @Test
    void aKeyWithALineBreakIsRefused() throws Exception {
        int exit = Main.run("send", "--to", "ann@example.org", "--subject", "Hi", "--key", "a\nb",
                "--data-dir", temp.resolve("data").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--key: A batch key cannot contain control characters");
    }

    @Test
    void theReportFindsABatchByItsKey() throws Exception {
        Path data = temp.resolve("data");
        Consoles.open(data).close(); // only a console creates a store (decision 21)
        assertThat(Main.run("send", "--to", "ann@example.org,bob@example.org,carol@example.org", "--subject", "Hi",
                "--key", "tuesday", "--data-dir", data.toString())).isZero();
        assertThat(Main.run("send", "--to", "dan@example.org", "--subject", "Other", "--data-dir", data.toString())).isZero();
        out.reset();

        assertThat(Main.run("report", "--batch", "tuesday", "--data-dir", data.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Durable jobs: 3 accepted");
        out.reset();

        assertThat(Main.run("report", "--batch", "wednesday", "--data-dir", data.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("No batch was queued with the key \"wednesday\": nothing under it was accepted.");
    }

    @Test
    void aCsvWithoutAnEmailColumnIsRefusedWithItsColumns() throws Exception {
        Path csv = Files.writeString(temp.resolve("people.csv"), "name,address\nAnn,ann@example.org\n");

        int exit = Main.run("send", "--csv", csv.toString(), "--subject", "Hi", "--data-dir", temp.resolve("data").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Columns found: name, address.", "--csv-column");
    }

    @Test
    void aTenThousandCharacterAddressIsInvalidInputNotAnUnreadableStore() throws Exception {
        Path data = temp.resolve("data");
        Consoles.open(data).close(); // only a console creates a store (decision 21)

        int exit = Main.run("send", "--to", "a".repeat(10_000) + "@example.org", "--subject", "s", "--data-dir", data.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--to: ")
                .contains("the part before @ is 10000 characters long; at most 64 are allowed").doesNotContain("SQL")
                .hasSizeLessThan(400);
        try (ConsoleServices services = Consoles.open(data)) {
            assertThat(Consoles.total(services)).isZero();
        }
    }

    @Test
    void aSenderWithAnOverlongDomainIsRefusedAtFrom() throws Exception {
        Consoles.open(temp.resolve("data")).close();
        int exit = Main.run("send", "--to", "ann@example.org", "--from", "me@" + "d".repeat(300) + ".org", "--subject", "s",
                "--data-dir", temp.resolve("data").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--from: ").contains("at most 255 are allowed")
                .doesNotContain("SQL");
    }

    @Test
    void aControlCharacterInTheSubjectIsRefusedNamingItAndItsPosition() throws Exception {
        Consoles.open(temp.resolve("data")).close();
        int exit = Main.run("send", "--to", "ann@example.org", "--subject", "Hi\u0007 there", "--data-dir",
                temp.resolve("data").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--subject: The subject must not contain control characters: U+0007 BEL at position 3.");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"0", "-1", "100001"})
    void aCountOutsideOneToTheMaximumIsRefusedAndNothingIsQueued(String count) {
        Path data = temp.resolve("data");

        int exit = Main.run("send", "--to", "ann@example.org", "--subject", "s", "--count", count, "--data-dir", data.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("jobdeck send: --count must be between 1 and 100000 (" + count + " given).\n");
        assertThat(Files.exists(data)).as("nothing was created").isFalse();
    }
}
