package dev.jobdeck.cli;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.SmtpSecurity;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.Settings;
import dev.jobdeck.testsupport.Consoles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigCommandTest {

    private static final String PASSWORD = "correct-Horse-9";

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;
    private InputStream originalIn;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        originalIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        System.setIn(originalIn);
    }

    private int config(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "config";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data-dir";
        all[args.length + 2] = temp.toString();
        return Main.run(all);
    }

    private String output() {
        String text = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return text;
    }

    private String errors() {
        String text = err.toString(StandardCharsets.UTF_8);
        err.reset();
        return text;
    }

    @Test
    void listShowsEverySettingOfTheSettingsScreenWithDefaults() {
        assertThat(config("set", "smtp.port", "587")).isZero();
        output();

        assertThat(config("list")).isZero();

        assertThat(output()).contains("smtp.server", "= sink").contains("smtp.host").contains("smtp.port").contains("= 587")
                .contains("smtp.security").contains("= starttls").contains("smtp.username")
                .contains("smtp.password").contains("(not set)").contains("smtp.connectTimeout").contains("= 10")
                .contains("smtp.readTimeout").contains("= 30").contains("smtp.trustFingerprint").contains("sink.port");
    }

    @Test
    void settingsWrittenByConfigAreUsedByTheConsoleAtItsNextStart() throws Exception {
        String fingerprint = "ab".repeat(32);
        assertThat(config("set", "smtp.host", "smtp.example.org")).isZero();
        assertThat(config("set", "smtp.port", "465")).isZero();
        assertThat(config("set", "smtp.security", "ssl")).isZero();
        assertThat(config("set", "smtp.username", "ops")).isZero();
        assertThat(config("set", "smtp.connectTimeout", "5")).isZero();
        assertThat(config("set", "smtp.readTimeout", "7")).isZero();
        assertThat(config("set", "smtp.trustFingerprint", fingerprint)).isZero();
        System.setIn(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(config("set", "smtp.password", "--password-stdin")).isZero();
        assertThat(config("set", "smtp.server", "custom")).isZero();
        assertThat(errors()).doesNotContain("jobdeck config");
        output();

        assertThat(config("get", "smtp.port")).isZero();
        assertThat(output()).isEqualTo("465" + System.lineSeparator());

        try (ConsoleServices console = Consoles.open(temp)) {
            SmtpSettings current = console.parts().outgoing().current();
            assertThat(console.parts().outgoing().usesBuiltInSink()).isFalse();
            assertThat(current.address()).isEqualTo("smtp.example.org:465");
            assertThat(current.security()).isEqualTo(SmtpSecurity.SSL);
            assertThat(current.username()).isEqualTo("ops");
            assertThat(current.password()).isEqualTo(PASSWORD);
            assertThat(current.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(current.readTimeout()).isEqualTo(Duration.ofSeconds(7));
            assertThat(current.trustedFingerprint()).isEqualTo(fingerprint.toUpperCase());
        }
    }

    @Test
    void theRetentionPeriodSetByConfigIsUsedByTheConsoleAndItsJobRunrHost() throws Exception {
        assertThat(config("set", "smtp.port", "587")).isZero();
        output();
        assertThat(config("get", "retention.succeeded")).isZero();
        assertThat(output()).as("JobRunr's own default").isEqualTo("36h" + System.lineSeparator());

        assertThat(config("set", "retention.succeeded", "7d")).isZero();
        output();

        assertThat(config("get", "retention.succeeded")).isZero();
        assertThat(output()).isEqualTo("7d" + System.lineSeparator());
        try (ConsoleServices console = Consoles.open(temp)) {
            assertThat(console.parts().liveSettings().retention().succeeded()).isEqualTo(Duration.ofDays(7));
            console.startHost();
            org.awaitility.Awaitility.await().atMost(Consoles.JOB_TIMEOUT)
                    .until(() -> !console.parts().engine().storage().getBackgroundJobServers().isEmpty());
            assertThat(console.parts().engine().storage().getBackgroundJobServers()).singleElement()
                    .satisfies(server -> assertThat(server.getDeleteSucceededJobsAfter()).isEqualTo(Duration.ofDays(7)));
        }
    }

    @Test
    void theRetryPolicyIsEditedWithTheSameChecksAsTheScreen() throws Exception {
        assertThat(config("set", "retry.rules", "4xx retry; 5.2.2 retry; 5xx bounce")).isZero();
        assertThat(config("set", "retry.maxRetries", "4")).isZero();
        assertThat(config("set", "retry.firstDelaySeconds", "60")).isZero();
        assertThat(config("set", "retry.backoffFactor", "1.5")).isZero();
        output();

        assertThat(config("get", "retry.rules")).isZero();
        assertThat(output()).isEqualTo("4xx retry; 5.2.2 retry; 5xx bounce" + System.lineSeparator());
        assertThat(config("set", "retry.maxDelaySeconds", "30")).isEqualTo(ConfigCommand.INVALID);
        assertThat(errors()).contains("retry.maxDelaySeconds: The longest delay must be at least the first delay")
                .contains("Nothing was changed.");
        assertThat(config("set", "retry.rules", "5xx maybe")).isEqualTo(ConfigCommand.INVALID);
        assertThat(errors()).contains("retry.rules: Line 1: 'maybe' must be 'retry' or 'bounce'.");

        try (ConsoleServices console = Consoles.open(temp)) {
            dev.jobdeck.core.settings.RetryPolicy policy = dev.jobdeck.core.settings.RetryPolicy.load(console.parts().settings());
            assertThat(policy.maxRetries()).isEqualTo(4);
            assertThat(policy.firstDelay()).isEqualTo(Duration.ofMinutes(1));
            assertThat(policy.backoffFactor()).isEqualTo(1.5);
            assertThat(policy.maxDelay()).isEqualTo(Duration.ofDays(1));
            assertThat(policy.rulesText()).isEqualTo("4xx retry\n5.2.2 retry\n5xx bounce");
        }
    }

    @Test
    void passwordIsKeptEncryptedOwnerOnlyAndNeverPrintedNorInTheDatabase() throws Exception {
        System.setIn(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(config("set", "smtp.password", "--password-stdin")).isZero();
        assertThat(output()).doesNotContain(PASSWORD).contains("encrypted file");

        assertThat(config("list")).isZero();
        assertThat(config("get", "smtp.password")).isZero();
        assertThat(output()).doesNotContain(PASSWORD).contains("(set; kept in");

        Path secrets = temp.resolve("secrets.enc");
        assertThat(Files.readString(secrets, StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("secrets.key"))))
                .isEqualTo("rw-------");
        try (ConsoleServices console = Consoles.open(temp)) {
            assertThat(new Settings(console.parts().database().dataSource()).readAll(""))
                    .allSatisfy((name, value) -> assertThat(value).doesNotContain(PASSWORD));
        }
    }

    @Test
    void emptyPasswordOnStandardInputRemovesIt() {
        System.setIn(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(config("set", "smtp.password", "--password-stdin")).isZero();
        System.setIn(new ByteArrayInputStream("\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(config("set", "smtp.password", "--password-stdin")).isZero();
        output();

        assertThat(config("get", "smtp.password")).isZero();
        assertThat(output()).contains("(not set)");
    }

    @Test
    void settingTheHostAloneKeepsDeliveringToTheSink() throws Exception {
        assertThat(config("set", "smtp.host", "smtp.example.org")).isZero();
        output();

        assertThat(config("get", "smtp.server")).isZero();
        assertThat(output()).isEqualTo("sink" + System.lineSeparator());
        try (ConsoleServices console = Consoles.open(temp)) {
            assertThat(console.parts().outgoing().usesBuiltInSink()).isTrue();
        }
    }

    @Test
    void passwordAsAnArgumentIsRefused() {
        int exit = config("set", "smtp.password", PASSWORD);

        assertThat(exit).isEqualTo(ConfigCommand.INVALID);
        assertThat(errors()).contains("--password-stdin").doesNotContain(PASSWORD);
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource({
            "smtp.port, 0, 1 to 65535",
            "smtp.port, 25a, 1 to 65535",
            "sink.port, 70000, 1 to 65535",
            "smtp.security, tls1.3, 'none', 'starttls' or 'ssl'",
            "smtp.trustFingerprint, abc123, 64 hex digits",
            "smtp.connectTimeout, 0, 1 to 3600",
            "smtp.readTimeout, -5, 1 to 3600",
            "smtp.host, 'bad host', spaces",
            "smtp.server, custom, Set smtp.host before",
            "smtp.server, elsewhere, 'sink' or 'custom'",
            "no.such.key, 1, Unknown setting 'no.such.key'",
            "retention.succeeded, 0, from 1m to 3650d",
            "retention.succeeded, 0h, from 1m to 3650d",
            "retention.succeeded, -36h, from 1m to 3650d",
            "retention.succeeded, soon, 'soon' is not one",
            "retention.succeeded, 3651d, from 1m to 3650d",
            "retention.succeeded, 99999999999d, from 1m to 3650d"})
    void invalidValueIsRefusedWithAClearMessageAndChangesNothing(String key, String value, String expected) {
        assertThat(config("set", "smtp.port", "2525")).isZero();
        output();
        assertThat(config("list")).isZero();
        String before = output();

        int exit = config("set", key, value);

        assertThat(exit).isEqualTo(ConfigCommand.INVALID);
        assertThat(errors()).contains(expected).contains("Nothing was changed").doesNotContain("Exception");
        assertThat(config("list")).isZero();
        assertThat(output()).isEqualTo(before);
    }

    static Stream<Arguments> valuesBeyondWhatTheStoreHolds() {
        return Stream.of(
                Arguments.of("smtp.host", "a".repeat(10_000), "The host is 10000 characters long; at most 253 are allowed"),
                Arguments.of("smtp.host", "a".repeat(64) + ".example.org", "a part of 64 characters between dots; at most 63"),
                Arguments.of("smtp.host", "smtp..example.org", "an empty part between dots"),
                Arguments.of("smtp.username", "u".repeat(5_000), "The username is 5000 characters long; at most 255"),
                Arguments.of("smtp.username", "ops\u001b[2J", "U+001B ESCAPE at position 4"),
                Arguments.of("retry.rules", "4xx retry; ".repeat(500), "At most 200 rules are allowed (500 given)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesBeyondWhatTheStoreHolds")
    void aValueBeyondItsLimitIsRefusedAsInvalidInputNotAsAnUnreadableStore(String key, String value, String expected) {
        assertThat(config("set", "smtp.port", "2525")).isZero();
        output();
        assertThat(config("list")).isZero();
        String before = output();

        int exit = config("set", key, value);

        assertThat(exit).isEqualTo(ConfigCommand.INVALID);
        assertThat(errors()).contains(expected).contains("Nothing was changed").doesNotContain("SQL").hasSizeLessThan(400);
        assertThat(config("list")).isZero();
        assertThat(output()).isEqualTo(before);
    }

    @Test
    void unknownKeyOnSetCreatesNoDataDirectory() {
        Path fresh = temp.resolve("fresh");

        int exit = Main.run("config", "set", "smtp.hots", "x", "--data-dir", fresh.toString());

        assertThat(exit).isEqualTo(ConfigCommand.INVALID);
        assertThat(errors()).contains("Unknown setting 'smtp.hots'");
        assertThat(fresh).doesNotExist();
    }

    @Test
    void unknownKeyOnGetIsRefused() {
        assertThat(config("set", "smtp.port", "2525")).isZero();

        assertThat(config("get", "smtp.passwd")).isEqualTo(ConfigCommand.INVALID);
        assertThat(errors()).contains("Unknown setting 'smtp.passwd'").contains("smtp.password");
    }

    @Test
    void sinkPortSetByConfigIsUsedAtTheNextStart() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(config("set", "sink.port", Integer.toString(port))).isZero();

        try (ConsoleServices console = Consoles.open(temp)) {
            assertThat(console.sink().orElseThrow().port()).isEqualTo(port);
        }
    }

    @Test
    void whileTheConsoleRunsConfigSaysSoAndExitsNonZero() throws Exception {
        try (ConsoleServices console = Consoles.open(temp)) {
            int exit = config("set", "smtp.port", "2525");

            assertThat(exit).isEqualTo(ConfigCommand.LOCKED);
            assertThat(errors()).contains("already open").contains("close it, run this again").doesNotContain("Exception");
        }
    }

    @Test
    void readingAMissingDataDirectoryExitsNonZero() {
        int exit = Main.run("config", "list", "--data-dir", temp.resolve("nothing-here").toString());

        assertThat(exit).isEqualTo(ConfigCommand.NO_DATA);
        assertThat(errors()).contains("no JobDeck data in");
        assertThat(temp.resolve("nothing-here")).doesNotExist();
    }
}
