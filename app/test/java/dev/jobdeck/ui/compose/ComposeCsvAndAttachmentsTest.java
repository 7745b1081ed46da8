package dev.jobdeck.ui.compose;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.Recipient;
import dev.jobdeck.core.jobs.SendRequest.Field;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.ui.fx.Navigation;
import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.compose.ComposeModel.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Compose model with recipients imported from CSV and attached files, on a real store. */
class ComposeCsvAndAttachmentsTest {

    private static final String LIST = "email,name\nann@example.com,Ann\nbob@,Bob\ncarol@example.com,Carol\n"
            + "ANN@example.com,Ann again\n";

    @TempDir
    Path temp;

    private ConsoleServices services;
    private ComposeModel model;

    @BeforeEach
    void open() throws Exception {
        services = ConsoleServices.open(new DataDirectory(temp.resolve("data")), ConsoleServices.Options.console());
        model = new ComposeModel(services.forScreens().queue(), services.forScreens().templates(), services.forScreens().testSend(), TaskRunner.direct(),
                new Navigation(), Clock.systemDefaultZone());
        model.recipients().toProperty().set("typed@example.com");
        model.message().subjectProperty().set("Hello");
    }

    @AfterEach
    void close() {
        services.close();
    }

    @Test
    void anImportShowsItsCountsAndRowProblemsAndReplacesTheToField() throws Exception {
        model.recipients().importCsv(file("list.csv", LIST));

        CsvImportModel csv = model.recipients().csvImport();
        assertThat(csv.activeProperty().get()).isTrue();
        assertThat(csv.summaryProperty().get()).isEqualTo("2 valid · 1 invalid · 1 duplicate. Queues only the 2 valid rows;"
                + " invalid rows and duplicates are skipped. Merge fields: email, name.");
        assertThat(csv.rowProblems()).containsExactly("line 3: \"bob@\": missing domain",
                "line 5: ANN@example.com is already on line 2 (skipped)");
        assertThat(model.recipients().recipientCountProperty().get()).isEqualTo("2 recipients from list.csv");
        assertThat(model.recipients().importedRecipients()).extracting(Recipient::address)
                .containsExactly("ann@example.com", "carol@example.com");
    }

    @Test
    void queueingAnImportQueuesOnlyTheValidRowsAndNotTheToField() throws Exception {
        model.recipients().importCsv(file("list.csv", LIST));

        model.send();

        assertThat(model.resultProperty().get()).isEqualTo("Queued 2 e-mails as 2 jobs (enqueued now)");
        assertThat(recipientsInTheOutbox()).containsExactlyInAnyOrder("ann@example.com", "carol@example.com");
    }

    @Test
    void duplicatesAreQueuedOnlyWhenTheOperatorAsks() throws Exception {
        model.recipients().importCsv(file("list.csv", LIST));
        model.recipients().csvImport().includeDuplicatesProperty().set(true);

        assertThat(model.recipients().csvImport().summaryProperty().get()).contains("Queues 3 rows: the valid ones and the duplicates.");
        model.send();

        assertThat(recipientsInTheOutbox()).containsExactlyInAnyOrder("ann@example.com", "carol@example.com", "ANN@example.com");
    }

    @Test
    void removingTheImportReturnsToTheToField() throws Exception {
        model.recipients().importCsv(file("list.csv", LIST));

        model.recipients().clearImport();

        assertThat(model.recipients().csvImport().activeProperty().get()).isFalse();
        assertThat(model.recipients().recipientCountProperty().get()).isEqualTo("1 recipient");
        model.send();
        assertThat(recipientsInTheOutbox()).containsExactly("typed@example.com");
    }

    @Test
    void aFileThatIsNotUtf8ChangesNothingAndSaysWhere() throws Exception {
        model.recipients().importCsv(file("list.csv", LIST));
        Path latin1 = temp.resolve("latin1.csv");
        Files.write(latin1, "email,name\nann@example.com,Ann\nbjorn@example.com,Bjørn\n".getBytes(StandardCharsets.ISO_8859_1));

        model.recipients().importCsv(latin1);

        assertThat(model.recipients().csvImport().problemProperty().get()).isEqualTo("The file is not UTF-8 at line 3. Save it as"
                + " \"CSV UTF-8\" (or convert it to UTF-8) and import it again. The previous import of list.csv stays.");
        assertThat(model.recipients().csvImport().fileNameProperty().get()).isEqualTo("list.csv");
        assertThat(model.recipients().importedRecipients()).hasSize(2);
    }

    @Test
    void withoutAnEmailColumnTheOperatorPicksOne() throws Exception {
        model.recipients().importCsv(file("people.csv", "name,address\nAnn,ann@example.com\n"));

        assertThat(model.recipients().csvImport().activeProperty().get()).isFalse();
        assertThat(model.recipients().csvImport().problemProperty().get()).contains("Columns found: name, address.");
        assertThat(model.recipients().csvImport().columnChoices()).containsExactly("name", "address");

        model.recipients().csvImport().chooseColumn("address");

        assertThat(model.recipients().csvImport().activeProperty().get()).isTrue();
        assertThat(model.recipients().csvImport().problemProperty().get()).isEmpty();
        assertThat(model.recipients().csvImport().columnChoices()).isEmpty();
        assertThat(model.recipients().importedRecipients()).extracting(Recipient::address).containsExactly("ann@example.com");
    }

    @Test
    void attachedFilesAreListedWithNameAndSize() throws Exception {
        model.attachments().add(List.of(file("notes.txt", "hello")));

        assertThat(model.attachments().files()).extracting(AttachmentsModel::describe).containsExactly("notes.txt — 5 bytes");
        assertThat(model.attachments().totalProperty().get()).isEqualTo("1 file, 5 bytes of 25 MiB.");
    }

    @Test
    void aFilePastTheLimitIsNotAttachedAndTheRowSaysWhy() throws Exception {
        model.attachments().add(List.of(file("notes.txt", "hello")));
        Path big = temp.resolve("big.iso");
        try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
            raf.setLength(11L * 1024 * 1024);
        }

        model.attachments().add(List.of(big));

        assertThat(model.errorProperty(Field.ATTACHMENTS).get())
                .isEqualTo("\"big.iso\" is 11 MiB, more than the 10 MiB allowed per file. Nothing was attached.");
        assertThat(model.attachments().files()).hasSize(1);
    }

    @Test
    void anAttachmentThatVanishedBeforeQueueingQueuesNothing() throws Exception {
        Path notes = file("notes.txt", "hello");
        model.attachments().add(List.of(notes));
        Files.delete(notes);

        model.send();

        assertThat(model.errorProperty(Field.ATTACHMENTS).get()).isEqualTo("\"notes.txt\" is no longer at " + notes
                + ". Add it again or remove it.");
        assertThat(model.outcomeProperty().get()).isEqualTo(Outcome.DANGER);
        assertThat(services.forScreens().queries().counts().total()).isZero();
    }

    @Test
    void clearEmptiesTheImportAndTheAttachments() throws Exception {
        model.recipients().importCsv(file("list.csv", LIST));
        model.attachments().add(List.of(file("notes.txt", "hello")));

        model.clear();

        assertThat(model.recipients().csvImport().activeProperty().get()).isFalse();
        assertThat(model.attachments().files()).isEmpty();
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(temp.resolve(name), content, StandardCharsets.UTF_8);
    }

    private List<String> recipientsInTheOutbox() throws Exception {
        List<String> recipients = new ArrayList<>();
        try (Connection connection = services.parts().database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT to_addr FROM jd_email")) {
            while (rows.next()) {
                recipients.add(rows.getString(1));
            }
        }
        return recipients;
    }
}
