package dev.jobdeck.ui.settings;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.mail.SmtpSecurity;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.ui.fx.TaskRunner;
import dev.jobdeck.ui.settings.OutgoingServerModel.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class OutgoingServerModelTest {

    @TempDir
    Path tempDir;

    private ConsoleServices services;
    private OutgoingServerModel model;
    private final AtomicInteger statusRefreshes = new AtomicInteger();

    @BeforeEach
    void open() throws Exception {
        services = ConsoleServices.open(new DataDirectory(tempDir), ConsoleServices.Options.console());
        model = new OutgoingServerModel(services.forScreens().outgoing(), services.forScreens().mailer(), TaskRunner.direct(), statusRefreshes::incrementAndGet);
    }

    @AfterEach
    void close() {
        services.close();
    }

    private void chooseServer(String host, String port) {
        model.useSinkProperty().set(false);
        model.hostProperty().set(host);
        model.portProperty().set(port);
        model.securityProperty().set(SmtpSecurity.NONE);
    }

    @Test
    void opensOnTheBuiltInSinkWithItsAddress() {
        assertThat(model.useSinkProperty().get()).isTrue();
        assertThat(model.sinkLabelProperty().get())
                .isEqualTo("Built-in SMTP sink (127.0.0.1:" + services.sink().orElseThrow().port() + ")");
    }

    @Test
    void blankHostIsRefusedAndNothingIsSaved() {
        chooseServer("  ", "25");

        model.save();

        assertThat(model.errorProperty(Field.HOST).get()).contains("host name");
        assertThat(services.forScreens().outgoing().usesBuiltInSink()).isTrue();
        assertThat(statusRefreshes).hasValue(0);
    }

    @Test
    void hostWithLineBreakIsRefused() {
        chooseServer("smtp.example.com\r\nRCPT TO:<x@y>", "25");

        model.save();

        assertThat(model.errorProperty(Field.HOST).get()).contains("line breaks");
        assertThat(services.forScreens().outgoing().usesBuiltInSink()).isTrue();
    }

    @Test
    void aHostBeyondTheDnsLimitsIsRefusedAtItsFieldAndNothingIsSaved() {
        chooseServer("h".repeat(300), "25");

        model.save();

        assertThat(model.errorProperty(Field.HOST).get()).isEqualTo("The host is 300 characters long; at most 253 are allowed"
                + " (DNS limits).");
        assertThat(services.forScreens().outgoing().usesBuiltInSink()).isTrue();
    }

    @Test
    void aUserNameLongerThanSaslAllowsIsRefusedAtItsField() {
        chooseServer("smtp.example.com", "587");
        model.usernameProperty().set("u".repeat(256));

        model.save();

        assertThat(model.errorProperty(Field.USERNAME).get()).contains("256 characters long; at most 255");
        assertThat(services.forScreens().outgoing().usesBuiltInSink()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "65536", "25a", "-1", "99999999999"})
    void portOutsideOneTo65535IsRefused(String port) {
        chooseServer("smtp.example.com", port);

        model.save();

        assertThat(model.errorProperty(Field.PORT).get()).contains("1 to 65535");
        assertThat(services.forScreens().outgoing().usesBuiltInSink()).isTrue();
    }

    @Test
    void errorClearsWhenTheFieldIsEdited() {
        chooseServer("", "25");
        model.save();

        model.hostProperty().set("s");

        assertThat(model.errorProperty(Field.HOST).get()).isEmpty();
    }

    @Test
    void validServerIsSavedAndTheStatusBarRefreshed() {
        chooseServer("smtp.example.com", "2525");
        model.usernameProperty().set("ops");
        model.passwordProperty().set("s3cret");
        model.connectTimeoutProperty().set("5");

        model.save();

        assertThat(model.saveOutcomeProperty().get()).isEqualTo(Outcome.SUCCESS);
        assertThat(services.forScreens().outgoing().current().address()).isEqualTo("smtp.example.com:2525");
        assertThat(services.forScreens().outgoing().current().connectTimeout()).hasSeconds(5);
        assertThat(statusRefreshes).hasValue(1);
    }

    @Test
    void testConnectionToAClosedPortFailsWithAClearMessage() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        chooseServer("127.0.0.1", Integer.toString(closedPort));
        model.connectTimeoutProperty().set("2");

        model.testConnection();

        assertThat(model.testOutcomeProperty().get()).isEqualTo(Outcome.DANGER);
        assertThat(model.testResultProperty().get())
                .isEqualTo("Could not connect: Connection refused by 127.0.0.1:" + closedPort);
        assertThat(model.testingProperty().get()).isFalse();
    }

    @Test
    void testConnectionToTheBuiltInSinkShowsTheServerReply() {
        model.testConnection();

        assertThat(model.testOutcomeProperty().get()).isEqualTo(Outcome.SUCCESS);
        assertThat(model.testResultProperty().get()).startsWith("Connected to 127.0.0.1:")
                .contains("Greeting: 220").contains("Encryption: none");

        // Issue 19: the result spoke of the server before the edit; it goes with the edit.
        model.useSinkProperty().set(false);
        assertThat(model.testResultProperty().get()).isEmpty();
        assertThat(model.testOutcomeProperty().get()).isEqualTo(Outcome.NONE);
    }

    @Test
    void testConnectionSaysPlainlyThatTheServerOffersNoLoginForTheUserName() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        com.icegreen.greenmail.util.ServerSetup setup = new com.icegreen.greenmail.util.ServerSetup(port, "127.0.0.1", "smtp");
        setup.setServerStartupTimeout(15_000);
        com.icegreen.greenmail.util.GreenMail smtp = new com.icegreen.greenmail.util.GreenMail(setup);
        smtp.start();
        try (dev.jobdeck.testsupport.StartTlsFront noAuth = dev.jobdeck.testsupport.StartTlsFront.hidingAuth(port, false)) {
            chooseServer("127.0.0.1", Integer.toString(noAuth.port()));
            model.usernameProperty().set("ops");
            model.passwordProperty().set("s3cret");

            model.testConnection();

            assertThat(model.testOutcomeProperty().get()).isEqualTo(Outcome.DANGER);
            assertThat(model.testResultProperty().get()).contains("offers no AUTH on a plain connection")
                    .contains("user ops is set").doesNotContain("s3cret");
        } finally {
            smtp.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "D1:4C:51", "not a fingerprint at all but long enough to be sixty-four chars!!"})
    void fingerprintThatIsNot64HexDigitsIsRefusedAndNothingIsSaved(String fingerprint) {
        chooseServer("smtp.example.com", "587");
        model.trustFingerprintProperty().set(fingerprint);

        model.save();

        assertThat(model.errorProperty(Field.TRUST_FINGERPRINT).get()).contains("64 hex digits");
        assertThat(services.forScreens().outgoing().usesBuiltInSink()).isTrue();
    }

    @Test
    void trustedFingerprintIsSavedAndShownAgain() {
        chooseServer("smtp.example.com", "587");
        model.trustFingerprintProperty().set("ab:".repeat(31) + "ab");

        model.save();

        assertThat(services.forScreens().outgoing().current().trustedFingerprint()).isEqualTo("AB".repeat(32));
        assertThat(model.trustNoteProperty().get()).contains("Only the certificate with this fingerprint");
        OutgoingServerModel reopened = new OutgoingServerModel(services.forScreens().outgoing(), services.forScreens().mailer(), TaskRunner.direct(), () -> { });
        assertThat(reopened.trustFingerprintProperty().get()).isEqualTo("AB".repeat(32));
    }

    @Test
    void passwordNoteSaysWhereThePasswordIsKept() {
        assertThat(model.passwordNoteProperty().get()).startsWith("Kept in ").contains("never in the database");
    }

    @Test
    void selfSignedServerIsRefusedAndItsCertificateCanBeTrustedOnPurpose() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        com.icegreen.greenmail.util.ServerSetup setup = new com.icegreen.greenmail.util.ServerSetup(port, "127.0.0.1", "smtps");
        setup.setServerStartupTimeout(15_000);
        com.icegreen.greenmail.util.GreenMail smtps = new com.icegreen.greenmail.util.GreenMail(setup);
        smtps.start();
        try {
            chooseServer("127.0.0.1", Integer.toString(port));
            model.securityProperty().set(SmtpSecurity.SSL);

            model.testConnection();

            assertThat(model.testOutcomeProperty().get()).isEqualTo(Outcome.DANGER);
            assertThat(model.testResultProperty().get()).contains("not signed by an authority");
            String expected = dev.jobdeck.core.mail.CertificateFingerprint.display(
                    dev.jobdeck.testsupport.StartTlsFront.greenMailFingerprint());
            assertThat(model.offeredFingerprintProperty().get()).isEqualTo(expected);
            assertThat(services.forScreens().outgoing().usesBuiltInSink()).as("nothing is trusted or saved by testing").isTrue();

            model.trustOfferedCertificate();
            model.testConnection();

            assertThat(model.trustFingerprintProperty().get()).isEqualTo(expected.replace(":", ""));
            assertThat(model.testOutcomeProperty().get()).isEqualTo(Outcome.SUCCESS);
            assertThat(model.testResultProperty().get()).contains("Greeting: 220").contains("Encryption: TLSv1.");
        } finally {
            smtps.stop();
        }
    }
}
