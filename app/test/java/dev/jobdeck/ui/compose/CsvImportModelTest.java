package dev.jobdeck.ui.compose;

import dev.jobdeck.core.csv.RecipientCsv;
import dev.jobdeck.ui.fx.TaskRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class CsvImportModelTest {

    @TempDir
    Path temp;

    /** Runs the work at once, but queues what is meant for the UI thread, as Platform.runLater does. */
    private static final class QueuedUiTasks implements TaskRunner {

        final List<Runnable> uiQueue = new ArrayList<>();

        @Override
        public <T> void run(Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure) {
            try {
                T result = work.call();
                uiQueue.add(() -> onSuccess.accept(result));
            } catch (Exception e) {
                uiQueue.add(() -> onFailure.accept(e));
            }
        }

        @Override
        public Executor uiThread() {
            return uiQueue::add;
        }
    }

    @Test
    void progressOfAHundredThousandRowsReachesTheUiAsOnePendingUpdateAtATime() throws Exception {
        Path file = rows(100_000);
        QueuedUiTasks tasks = new QueuedUiTasks();
        CsvImportModel model = new CsvImportModel(new RecipientCsv(), tasks, System::nanoTime);

        model.importFile(file);

        // 200 progress reports while the UI thread was busy: one pending refresh, then the result.
        assertThat(tasks.uiQueue).hasSize(2);
        tasks.uiQueue.get(0).run();
        assertThat(model.readingProperty().get()).isTrue();
        assertThat(model.progressTextProperty().get()).matches("Reading big\\.csv: [0-9,]+ rows so far…");
        tasks.uiQueue.get(1).run();
        assertThat(model.readingProperty().get()).isFalse();
        assertThat(model.recipientsProperty().get()).hasSize(100_000);
    }

    @Test
    void progressIsShownAtMostTenTimesPerSecondOfReading() throws Exception {
        Path file = rows(100_000);
        AtomicLong clock = new AtomicLong();
        // Every look at the clock is 1 ms later: 200 reports span about 0.2 s of (simulated) reading.
        CsvImportModel model = new CsvImportModel(new RecipientCsv(), TaskRunner.direct(), () -> clock.addAndGet(1_000_000));
        List<String> shown = new ArrayList<>();
        model.progressTextProperty().addListener((obs, old, text) -> shown.add(text));

        model.importFile(file);

        long simulatedMillis = clock.get() / 1_000_000;
        assertThat(shown.size() - 1).as("refreshes besides the first \"Reading…\"")
                .isBetween(1, (int) (simulatedMillis / 100) + 1);
    }

    private Path rows(int count) throws Exception {
        Path file = temp.resolve("big.csv");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("email,name\n");
            for (int i = 1; i <= count; i++) {
                out.write("user" + i + "@example.org,User " + i + "\n");
            }
        }
        return file;
    }
}
