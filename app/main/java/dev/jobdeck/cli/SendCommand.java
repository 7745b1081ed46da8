package dev.jobdeck.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobdeck.core.ScriptServices;
import dev.jobdeck.core.csv.CsvFileException;
import dev.jobdeck.core.csv.CsvImport;
import dev.jobdeck.core.csv.RecipientCsv;
import dev.jobdeck.core.jobs.AttachmentFile;
import dev.jobdeck.core.jobs.BatchKeyConflictException;
import dev.jobdeck.core.jobs.EmailQueue;
import dev.jobdeck.core.jobs.InvalidSendRequestException;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.jobs.SendRequest;
import dev.jobdeck.core.jobs.When;
import dev.jobdeck.core.store.CommitUnconfirmedException;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.StoreEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code jobdeck send}: queues e-mails without the GUI, one durable job per e-mail, through the same validation
 * as the Compose screen. {@code --count N} queues N e-mails spread over the given recipients (for batches and
 * crash drills). {@code --csv FILE} reads the recipients from a CSV file with the Compose screen's parser, and
 * {@code --attach FILE} attaches files. All or nothing: the batch is accepted by one commit, which the command
 * names the batch before it tries; the jobs are created by the console that serves the store, or by the command
 * when none runs (decision 20). {@code --key} makes a retry safe. Every outcome is one sentence and an exit code.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Queue e-mails as durable jobs, all or none.",
                "Exit codes: 0 queued (or already queued under --key), 1 refused: invalid input, nothing queued,",
                "2 no data directory, 3 in use, 4 the store cannot be read or stopped answering: nothing queued,",
                "5 the store cannot take writes now (disk full, directory read-only or deleted): nothing queued,",
                "7 unknown: the store stopped answering before it confirmed the commit; check 'jobdeck report --batch ID'."})
final class SendCommand implements Callable<Integer> {

    static final int MAX_COUNT = 100_000;
    /** The store stopped answering during the commit: only the store can tell whether the batch was accepted. */
    static final int UNKNOWN = 7;
    private static final System.Logger LOG = System.getLogger(SendCommand.class.getName());

    @ParentCommand
    Main parent;

    @Option(names = "--to", paramLabel = "ADDR", arity = "1..*", split = ",",
            description = "Recipient address(es); repeat or separate with commas. Or use --csv.")
    List<String> to;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Recipients from a UTF-8 CSV file: a header row, one column named email, e-mail or mail.")
    Path csv;

    @Option(names = "--csv-column", paramLabel = "NAME", description = "The CSV column that holds the addresses.")
    String csvColumn;

    @Option(names = "--skip-invalid",
            description = "Queue the valid CSV rows even when others cannot be used (default: queue nothing then).")
    boolean skipInvalid;

    @Option(names = "--attach", paramLabel = "FILE", description = "A file to attach to every e-mail; repeat for more.")
    List<Path> attach = new ArrayList<>();

    @Option(names = "--subject", paramLabel = "S", required = true, description = "Subject line.")
    String subject;

    @Option(names = "--body", paramLabel = "B", defaultValue = "", description = "Plain-text body.")
    String body;

    @Option(names = "--from", paramLabel = "ADDR", defaultValue = "jobdeck@localhost", description = "Sender (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--count", paramLabel = "N",
            description = "Queue N e-mails to plus-addresses of the recipients (user+1@..., user+2@...; default: one per recipient).")
    Integer count;

    @Option(names = "--key", paramLabel = "KEY",
            description = {"Name the batch (up to " + EmailQueue.MAX_KEY_LENGTH + " characters, unique in the store):"
                    + " sent again with the same key and input, nothing is queued twice (exit 0, 'already queued');"
                    + " with other input it is refused. 'jobdeck report --batch KEY' reports it."})
    String key;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    StoreOption store;

    @Option(names = "--json", description = "Print the batch id and job count as JSON.")
    boolean json;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        if (count != null && (count < 1 || count > MAX_COUNT)) {
            err.println("jobdeck send: --count must be between 1 and " + MAX_COUNT + " (" + count + " given).");
            return 1;
        }
        if ((to == null || to.isEmpty()) == (csv == null)) {
            err.println("jobdeck send: give the recipients with either --to or --csv.");
            return 1;
        }
        if (csv != null && count != null) {
            err.println("jobdeck send: --count spreads e-mails over --to addresses; it cannot be used with --csv.");
            return 1;
        }
        Optional<String> keyProblem = EmailQueue.keyProblem(key);
        if (keyProblem.isPresent()) {
            err.println("jobdeck send: --key: " + keyProblem.get() + " Nothing was queued.");
            return 1;
        }
        DataDirectory directory = dataDir.resolve(parent);
        int chosen = store.choose("send", directory, err);
        if (chosen != 0) {
            return chosen;
        }
        // Through a running console, connecting (half a second of a cold JVM) overlaps reading the files. With no
        // console the store is opened after the input was checked: bad input must not create a data directory.
        Opening opening = StoreEndpoint.read(directory).filter(StoreEndpoint::ownerAlive).isPresent()
                ? Opening.start(directory) : null;
        try {
            return checkInputAndQueue(directory, opening);
        } finally {
            if (opening != null) {
                opening.discardUnused();
            }
        }
    }

    private int checkInputAndQueue(DataDirectory directory, Opening opening) throws Exception {
        List<AttachmentFile> attachments = new ArrayList<>();
        for (Path file : attach) {
            try {
                attachments.add(AttachmentFile.inspect(file));
            } catch (IOException e) {
                err.println("jobdeck send: --attach: " + file + " cannot be read. Nothing was queued.");
                return 1;
            }
        }
        CsvImport imported = null;
        if (csv != null) {
            try {
                imported = new RecipientCsv().read(csv, Optional.ofNullable(csvColumn), RecipientCsv.Progress.none(), () -> false);
            } catch (CsvFileException e) {
                err.println("jobdeck send: --csv: " + e.getMessage() + (e.needsColumnChoice() ? " Name it with --csv-column." : "")
                        + " Nothing was queued.");
                return 1;
            }
            int invalid = imported.invalidCount();
            if (invalid > 0 && !skipInvalid) {
                imported.problems().stream().filter(p -> p.kind() == CsvImport.RowProblem.Kind.INVALID).limit(20)
                        .forEach(p -> err.println("jobdeck send: --csv: " + p.describe()));
                err.println("jobdeck send: --csv: " + invalid + (invalid == 1 ? " row" : " rows") + " cannot be used."
                        + " Correct the file, or pass --skip-invalid to queue only the valid rows. Nothing was queued.");
                return 1;
            }
        }
        ScriptStore.Opened opened = opening == null ? ScriptStore.open("send", directory, true, err) : opening.take(err);
        if (opened.services() == null) {
            return opened.exitCode();
        }
        try (ScriptServices services = opened.services()) {
            return queue(services, new SendRequest(from, imported == null ? recipients() : "", "", "", subject, body,
                    new When.Now(), imported == null ? List.of() : imported.valid(), attachments), imported);
        }
    }

    private int queue(ScriptServices services, SendRequest request, CsvImport imported) throws IOException {
        UUID batchId = services.queue().newBatchId();
        String named = "batch " + batchId + (key == null ? "" : " (key " + key + ")");
        boolean[] committing = {false};
        QueueResult result;
        try {
            result = services.queue().queue(request, batchId, key, emails -> {
                // Before the commit is tried, so that whatever happens next the batch can be looked up.
                (json ? err : out).println("Queueing " + emails + " e-mail(s) as " + named + "...");
                (json ? err : out).flush();
                committing[0] = true;
            });
        } catch (InvalidSendRequestException e) {
            e.problems().forEach((field, problem) -> err.println("jobdeck send: " + option(field) + ": " + problem));
            return 1;
        } catch (BatchKeyConflictException e) {
            err.println("jobdeck send: --key: " + e.getMessage() + " Nothing was queued; choose another key.");
            return 1;
        } catch (CommitUnconfirmedException e) {
            LOG.log(System.Logger.Level.INFO, "The commit of " + named + " was not confirmed", e);
            err.println("jobdeck send: the store stopped answering before it confirmed the commit of " + named
                    + ", so whether it was queued is unknown. Check with 'jobdeck report --batch "
                    + (key == null ? batchId : key) + "' once the store answers again"
                    + (key == null ? "." : ", or send again with the same --key, which never queues twice."));
            return UNKNOWN;
        } catch (SQLException | RuntimeException e) {
            // JobRunr wraps the store's refusal (a full disk, a closed database) in an unchecked StorageException.
            LOG.log(System.Logger.Level.INFO, "Queueing " + named + " failed before its commit", e);
            err.println("jobdeck send: nothing was queued" + (committing[0] ? " (" + named + ")" : "")
                    + ": the store " + (services.ownsStore() ? "could not be written" : "stopped answering")
                    + " (" + firstLine(e.getMessage()) + "). Sending again is safe.");
            return ScriptStore.UNREADABLE;
        }
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("batchId", result.batchId().toString());
            if (key != null) {
                document.put("key", key);
            }
            document.put("queued", result.alreadyQueued() ? 0 : result.count());
            document.put("alreadyQueued", result.alreadyQueued() ? result.count() : 0);
            if (imported != null) {
                document.put("skippedInvalid", imported.invalidCount());
                document.put("skippedDuplicates", imported.duplicates().size());
            }
            out.println(new ObjectMapper().writeValueAsString(document));
        } else if (result.alreadyQueued()) {
            out.println("Already queued as batch " + result.batchId() + " (key " + key + "): " + result.count()
                    + " e-mail(s); nothing was queued again.");
        } else {
            out.println("Queued " + result.count() + " e-mail(s) as durable jobs (batch " + result.batchId() + ").");
            if (imported != null && imported.problems().size() > 0) {
                out.println("Skipped from " + imported.fileName() + ": " + imported.invalidCount() + " invalid row(s), "
                        + imported.duplicates().size() + " duplicate(s) of an address already queued.");
            }
            if (services.ownsStore()) {
                out.println("No console is running on " + services.directory().path()
                        + ": the jobs run when it starts.");
            }
        }
        return 0;
    }

    /** The store being opened on a thread of its own while the command reads its input. */
    private static final class Opening {

        private final Future<ScriptStore.Opened> opened;
        private final ByteArrayOutputStream messages = new ByteArrayOutputStream();
        private boolean taken;

        private Opening(DataDirectory directory) {
            ExecutorService opener = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "jobdeck-send-open");
                thread.setDaemon(true);
                return thread;
            });
            PrintStream said = new PrintStream(messages, true, StandardCharsets.UTF_8);
            opened = opener.submit(() -> ScriptStore.open("send", directory, true, said));
            opener.shutdown();
        }

        static Opening start(DataDirectory directory) {
            return new Opening(directory);
        }

        /** The opened store, its messages (if it failed) printed on {@code err}. */
        ScriptStore.Opened take(PrintStream err) throws InterruptedException, ExecutionException {
            taken = true;
            ScriptStore.Opened result = opened.get();
            err.print(messages.toString(StandardCharsets.UTF_8));
            return result;
        }

        /** After input that was refused: the store, once open, is closed again unused. */
        void discardUnused() throws InterruptedException, ExecutionException {
            if (!taken && opened.get().services() != null) {
                opened.get().services().close();
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * The recipients; with {@code --count N}, N distinct plus-addresses spread over them
     * ({@code ops+1@example.org}, {@code ops+2@example.org}, ...), which land in the same mailboxes.
     */
    private String recipients() {
        if (count == null) {
            return String.join("\n", to);
        }
        List<String> spread = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String address = to.get(i % to.size()).trim();
            int at = address.lastIndexOf('@');
            spread.add(at < 1 ? address : address.substring(0, at) + "+" + (i + 1) + address.substring(at));
        }
        return String.join("\n", spread);
    }

    private static String firstLine(Exception e) {
        Throwable cause = e.getCause() instanceof SQLException sql ? sql : e;
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String option(SendRequest.Field field) {
        return switch (field) {
            case FROM -> "--from";
            case TO -> "--to";
            case SUBJECT -> "--subject";
            case BODY -> "--body";
            case ATTACHMENTS -> "--attach";
            default -> field.name().toLowerCase();
        };
    }
}
