package dev.jobdeck.core.store;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void optionWinsOverEnvironmentAndHome() {
        DataDirectory dir = DataDirectory.resolve(Optional.of(temp.resolve("opt")), Map.of("JOBDECK_HOME", "/env"), temp);
        assertThat(dir.path()).isEqualTo(temp.resolve("opt"));
    }

    @Test
    void environmentWinsOverHome() {
        DataDirectory dir = DataDirectory.resolve(Optional.empty(), Map.of("JOBDECK_HOME", temp.resolve("env").toString()), temp);
        assertThat(dir.path()).isEqualTo(temp.resolve("env"));
    }

    @Test
    void defaultIsDotJobdeckInHome() {
        DataDirectory dir = DataDirectory.resolve(Optional.empty(), Map.of(), temp);
        assertThat(dir.path()).isEqualTo(temp.resolve(".jobdeck"));
    }

    @Test
    void databasePasswordIsGeneratedOnceAndReadableByOwnerOnly() throws Exception {
        DataDirectory dir = new DataDirectory(temp);
        dir.prepareForWriting();
        String first = dir.databasePassword();
        String second = dir.databasePassword();
        assertThat(first).isEqualTo(second).hasSizeGreaterThanOrEqualTo(24).isNotEqualTo("sa");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("db.password"))))
                .isEqualTo("rw-------");
    }

    @Test
    void databaseRefusesTheDefaultEmptyLogin() throws Exception {
        Consoles.open(temp).close();
        assertThatThrownBy(() -> java.sql.DriverManager.getConnection(
                "jdbc:h2:file:" + temp.resolve("jobdeck") + ";IFEXISTS=TRUE", "sa", "").close())
                .hasMessageContaining("Wrong user name or password");
    }

    @Test
    void directoryThatCannotBeCreatedGetsAClearMessage() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
        assertThatThrownBy(() -> Consoles.open(file.resolve("data")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("Cannot create the data directory " + file.resolve("data"));
    }

    @Test
    void secondConsoleOnTheSameDirectoryIsRefusedWithAClearMessage() throws Exception {
        try (ConsoleServices first = Consoles.open(temp)) {
            assertThatThrownBy(() -> Consoles.open(temp))
                    .isInstanceOf(DataDirectoryLockedException.class)
                    .hasMessageContaining("is already open in this JobDeck process")
                    .hasMessageNotContaining("Exception");
        }
        Consoles.open(temp).close();
    }

    @Test
    void damagedDatabaseFileGetsAClearMessage() throws Exception {
        Files.writeString(temp.resolve("jobdeck.mv.db"), "this is not an H2 file ".repeat(200));
        assertThatThrownBy(() -> Consoles.open(temp))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jobdeck.mv.db");
    }
}
