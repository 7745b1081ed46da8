package dev.jobdeck.core.settings;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.Settings;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OutgoingServerTest {

    @TempDir
    Path temp;

    @Test
    void passwordIsKeptOutOfTheDatabaseAndSurvivesARestart() throws Exception {
        try (ConsoleServices console = Consoles.open(temp)) {
            console.parts().outgoing().useServer(SmtpSettings.of("smtp.example.org", 587).withCredentials("ops", "pw-In-Keyring"));
            assertThat(new Settings(console.parts().database().dataSource()).readAll(""))
                    .allSatisfy((name, value) -> assertThat(value).doesNotContain("pw-In-Keyring"));
        }
        try (ConsoleServices console = Consoles.open(temp)) {
            assertThat(console.parts().outgoing().current().password()).isEqualTo("pw-In-Keyring");
        }
    }

    @Test
    void passwordLeftInTheDatabaseByAnOlderVersionMovesToTheSecretStore() throws Exception {
        try (ConsoleServices console = Consoles.open(temp)) {
            // What versions before the secret store saved: every field, the password among them, in jd_setting.
            new Settings(console.parts().database().dataSource()).putAll(Map.of("smtp.host", "smtp.example.org", "smtp.port", "587",
                    "smtp.security", "STARTTLS", "smtp.username", "ops", "smtp.password", "old-Plain-pw",
                    "smtp.connectTimeoutMs", "10000", "smtp.readTimeoutMs", "30000", "smtp.writeTimeoutMs", "30000"));
        }
        try (ConsoleServices console = Consoles.open(temp)) {
            assertThat(console.parts().outgoing().usesBuiltInSink()).isFalse();
            assertThat(console.parts().outgoing().current().password()).isEqualTo("old-Plain-pw");
            assertThat(new Settings(console.parts().database().dataSource()).get("smtp.password")).isEmpty();
        }
    }

    @Test
    void choosingTheSinkKeepsTheOtherServerForTheForm() throws Exception {
        try (ConsoleServices console = Consoles.open(temp)) {
            console.parts().outgoing().useServer(SmtpSettings.of("smtp.example.org", 2525));
            console.parts().outgoing().useBuiltInSink();

            assertThat(console.parts().outgoing().current().address()).isEqualTo(console.sink().orElseThrow().settings().address());
            assertThat(console.parts().outgoing().saved()).hasValueSatisfying(s -> assertThat(s.port()).isEqualTo(2525));
        }
    }
}
