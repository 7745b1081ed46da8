package dev.jobdeck.testsupport;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.store.DataDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.jobdeck.testsupport.Consoles.email;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link ConsoleStore}: a store of each test's own, the same one in its {@code @BeforeEach}, gone after it. */
@ConsoleStore
class ConsoleStoreExtensionTest {

    private static final List<Path> FOLDERS = new CopyOnWriteArrayList<>();
    private static final List<LocalSmtpSink> SINKS = new CopyOnWriteArrayList<>();

    private ConsoleServices beforeEach;

    @BeforeEach
    void open(ConsoleServices services, ScratchStore store) {
        beforeEach = services;
        FOLDERS.add(store.folder());
        services.sink().ifPresent(SINKS::add);
    }

    @Test
    void theTestGetsTheConsoleItsBeforeEachOpenedWithTheSinkOnAnEmptyStore(ConsoleServices services, DataDirectory directory)
            throws Exception {
        assertThat(services).isSameAs(beforeEach);
        assertThat(services.directory().path()).isEqualTo(directory.path());
        assertThat(services.sink()).hasValueSatisfying(sink -> assertThat(sink.isRunning()).isTrue());
        assertThat(Consoles.total(services)).isZero();
    }

    @Test
    void aScriptParameterIsTheSameStoreOpenedAsAScriptWithoutASink(ConsoleServices console,
            @ConsoleStore(ConsoleStore.As.SCRIPT) ConsoleServices script) throws Exception {
        console.parts().queue().queue(email("ann@example.org"));

        assertThat(script).isNotSameAs(console);
        assertThat(script.sink()).isEmpty();
        assertThat(script.directory().path()).isEqualTo(console.directory().path());
        assertThat(Consoles.total(script)).isEqualTo(1);
    }

    @Test
    void eachTestHasAStoreOfItsOwn(ConsoleServices services) throws Exception {
        assertThat(FOLDERS).doesNotHaveDuplicates();
        assertThat(Consoles.total(services)).isZero();
        services.parts().queue().queue(email("bob@example.org"));
    }

    @AfterAll
    static void everyStoreWasClosedAndRemoved() {
        assertThat(FOLDERS).hasSize(3).allSatisfy(folder -> assertThat(Files.exists(folder)).as(folder + " removed").isFalse());
        assertThat(SINKS).hasSize(3).noneMatch(LocalSmtpSink::isRunning);
    }
}
