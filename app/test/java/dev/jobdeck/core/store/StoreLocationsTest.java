package dev.jobdeck.core.store;

import dev.jobdeck.core.store.StoreLocation.Embedded;
import dev.jobdeck.core.store.StoreLocation.Postgres;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreLocationsTest {

    private static final String SHARED = "postgresql://ops@db.example.org/jobdeck?sslmode=require";

    @TempDir
    Path temp;

    private DataDirectory directory() {
        return new DataDirectory(temp.resolve("data"));
    }

    private static List<String> filesIn(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aDirectoryThatRemembersNothingUsesTheEmbeddedStore() throws Exception {
        assertThat(StoreLocations.read(directory())).isEqualTo(new Embedded());
        assertThat(temp.resolve("data")).doesNotExist();
    }

    @Test
    void aFirstPostgreSqlStoreOnANewDirectoryIsRememberedOwnerOnlyAndSurvivesARestart() throws Exception {
        StoreLocation chosen = StoreLocations.remember(directory(), StoreLocation.parse(SHARED));

        Path file = temp.resolve("data/store.properties");
        assertThat(chosen).isEqualTo(StoreLocation.parse(SHARED));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("data")))).isEqualTo("rwx------");
        assertThat(filesIn(temp.resolve("data"))).as("no temporary file left").containsExactly("store.properties");
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .contains("url=postgresql\\://db.example.org\\:5432/jobdeck?sslmode\\=require").contains("user=ops");
        // A later process: a new DataDirectory on the same path.
        assertThat(StoreLocations.read(new DataDirectory(temp.resolve("data")))).isEqualTo(StoreLocation.parse(SHARED));
    }

    @Test
    void theSameStoreAgainIsFineAndRewritesNothing() throws Exception {
        StoreLocations.remember(directory(), StoreLocation.parse(SHARED));
        Path file = temp.resolve("data/store.properties");
        byte[] before = Files.readAllBytes(file);
        Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        StoreLocation again = StoreLocations.remember(directory(), StoreLocation.parse("postgres://ops@DB.EXAMPLE.ORG:5432/jobdeck?sslmode=require"));

        assertThat(again).isEqualTo(StoreLocation.parse(SHARED));
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .as("the file was not replaced").isEqualTo(key);
    }

    @Test
    void theSameDatabaseWithoutAUserKeepsTheRememberedUserAndTakesTheNewTlsMode() throws Exception {
        StoreLocations.remember(directory(), StoreLocation.parse(SHARED));

        StoreLocation chosen = StoreLocations.remember(directory(), StoreLocation.parse("postgresql://db.example.org/jobdeck?sslmode=verify-full"));

        Postgres expected = new Postgres("db.example.org", 5432, "jobdeck", Optional.of("ops"), StoreLocation.TlsMode.VERIFY_FULL);
        assertThat(chosen).isEqualTo(expected);
        assertThat(StoreLocations.read(directory())).isEqualTo(expected);
    }

    @Test
    void anotherDatabaseIsRefusedNamingBothAndChangesNothing() throws Exception {
        StoreLocations.remember(directory(), StoreLocation.parse(SHARED));
        Path file = temp.resolve("data/store.properties");
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> StoreLocations.remember(directory(), StoreLocation.parse("postgresql://db2.example.org/jobdeck")))
                .isInstanceOf(StoreLocationRefusedException.class)
                .hasMessageContaining("keeps its jobs in PostgreSQL postgresql://ops@db.example.org:5432/jobdeck")
                .hasMessageContaining("not in postgresql://db2.example.org:5432/jobdeck that --store names")
                .hasMessageContaining("`jobdeck store move --to postgresql://db2.example.org:5432/jobdeck`");

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(filesIn(temp.resolve("data"))).containsExactly("store.properties");
    }

    @Test
    void theEmbeddedStoreForADirectoryThatRemembersPostgreSqlIsRefusedNamingBoth() throws Exception {
        StoreLocations.remember(directory(), StoreLocation.parse(SHARED));
        byte[] before = Files.readAllBytes(temp.resolve("data/store.properties"));

        assertThatThrownBy(() -> StoreLocations.remember(directory(), StoreLocation.parse("h2")))
                .isInstanceOf(StoreLocationRefusedException.class)
                .hasMessageContaining("keeps its jobs in PostgreSQL postgresql://ops@db.example.org:5432/jobdeck")
                .hasMessageContaining("not in the embedded H2 store that --store names")
                .hasMessageContaining("`jobdeck store move --to h2`");

        assertThat(Files.readAllBytes(temp.resolve("data/store.properties"))).isEqualTo(before);
    }

    @Test
    void theEmbeddedStoreForADirectoryThatRemembersNothingWritesNothing() throws Exception {
        assertThat(StoreLocations.remember(directory(), StoreLocation.parse("embedded"))).isEqualTo(new Embedded());

        assertThat(temp.resolve("data")).doesNotExist();
    }

    @Test
    void postgreSqlForADirectoryWithAnEmbeddedStoreIsRefusedPointingToStoreMove() throws Exception {
        Consoles.open(temp.resolve("data")).close();
        List<String> before = filesIn(temp.resolve("data"));

        assertThatThrownBy(() -> StoreLocations.remember(directory(), StoreLocation.parse(SHARED)))
                .isInstanceOf(StoreLocationRefusedException.class)
                .hasMessageContaining("already keeps its jobs in an embedded H2 store (" + temp.resolve("data/jobdeck.mv.db") + ")")
                .hasMessageContaining("`jobdeck store move --to postgresql://ops@db.example.org:5432/jobdeck`");

        assertThat(filesIn(temp.resolve("data"))).isEqualTo(before).doesNotContain("store.properties");
        assertThat(StoreLocations.read(directory())).isEqualTo(new Embedded());
    }

    @Test
    void aRememberedFileThatNamesNoUsableStoreIsAClearErrorNotTheEmbeddedStore() throws Exception {
        directory().prepareForWriting();
        Path file = temp.resolve("data/store.properties");

        Files.writeString(file, "user=ops\n");
        assertThatThrownBy(() -> StoreLocations.read(directory())).isInstanceOf(StoreException.class)
                .isNotInstanceOf(StoreLocationRefusedException.class)
                .hasMessageContaining("The file " + file + " names no store");

        Files.writeString(file, "url=mysql\\://db.example.org/jobdeck\n");
        assertThatThrownBy(() -> StoreLocations.read(directory())).isInstanceOf(StoreException.class)
                .hasMessageContaining("The store named in " + file + " cannot be used: The store URL's scheme 'mysql'");
    }
}
