package dev.jobdeck.core.store;

import dev.jobdeck.core.settings.Secrets;
import dev.jobdeck.core.settings.StorePasswordVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreCredentialsTest {

    private static final String PASSWORD = "pg-Secret-42";
    private static final StoreLocation.Postgres NO_USER = (StoreLocation.Postgres) StoreLocation.parse("postgresql://db.example.org/jobdeck");

    @TempDir
    Path temp;

    /** The data directory's real secrets: the encrypted file, as on a machine with no session bus. */
    private StoreCredentials.Vault vault() {
        return new StorePasswordVault(Secrets.forDirectory(new DataDirectory(temp), Map.of()));
    }

    @Test
    void theUserIsTheLocationsElseTheOsUser() throws Exception {
        assertThat(StoreCredentials.resolve(NO_USER.withUser(Optional.of("ops")), Optional.empty(), vault(), "alice").user())
                .isEqualTo("ops");
        assertThat(StoreCredentials.resolve(NO_USER, Optional.empty(), vault(), "alice").user()).isEqualTo("alice");
    }

    @Test
    void aPasswordFromStandardInputIsUsedAndSavedSoTheNextStartNeedsNone() throws Exception {
        StoreCredentials first = StoreCredentials.resolve(NO_USER, Optional.of(PASSWORD), vault(), "alice");

        assertThat(first.password()).contains(PASSWORD);
        assertThat(first.source()).isEqualTo(StoreCredentials.Source.STANDARD_INPUT);
        StoreCredentials later = StoreCredentials.resolve(NO_USER, Optional.empty(), vault(), "alice");
        assertThat(later.password()).contains(PASSWORD);
        assertThat(later.source()).isEqualTo(StoreCredentials.Source.SAVED);
        assertThat(Files.readString(temp.resolve("secrets.enc"), StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD);
    }

    @Test
    void withoutStandardInputOrASavedPasswordThereIsNone() throws Exception {
        StoreCredentials credentials = StoreCredentials.resolve(NO_USER, Optional.empty(), vault(), "alice");

        assertThat(credentials.password()).isEmpty();
        assertThat(credentials.source()).isEqualTo(StoreCredentials.Source.NONE);
    }

    @Test
    void anEmptyPasswordFromStandardInputIsRefusedAndNothingIsSaved() {
        assertThatThrownBy(() -> StoreCredentials.resolve(NO_USER, Optional.of(""), vault(), "alice"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty password");

        assertThat(temp.resolve("secrets.enc")).doesNotExist();
    }

    @Test
    void theCredentialsNeverShowThePassword() throws Exception {
        StoreCredentials credentials = StoreCredentials.resolve(NO_USER, Optional.of(PASSWORD), vault(), "alice");

        assertThat(credentials.toString()).doesNotContain(PASSWORD).contains("alice").contains("standard input");
        assertThat(StoreCredentials.resolve(NO_USER, Optional.empty(), vault(), "alice").toString())
                .doesNotContain(PASSWORD).contains("(saved)");
    }
}
