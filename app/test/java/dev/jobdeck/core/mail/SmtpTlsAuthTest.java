package dev.jobdeck.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.jobdeck.testsupport.StartTlsFront;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS and AUTH against real GreenMail servers: SMTPS (implicit TLS) as GreenMail ships it, and
 * STARTTLS through {@link StartTlsFront}. Both present GreenMail's self-signed certificate, so they
 * are refused unless that one certificate is trusted by its fingerprint.
 */
class SmtpTlsAuthTest {

    private static final String USER = "ops";
    private static final String PASSWORD = "s3cret-Pa55";
    private static final String MESSAGE_ID = "<tls-1@jobdeck>";

    private final Mailer mailer = new Mailer();
    private GreenMail plain;
    private GreenMail smtps;
    private StartTlsFront startTls;
    private String fingerprint;

    @BeforeEach
    void start() throws Exception {
        GreenMailConfiguration users = GreenMailConfiguration.aConfig().withUser("ops@jobdeck.test", USER, PASSWORD);
        plain = new GreenMail(setup(ServerSetup.PROTOCOL_SMTP)).withConfiguration(users);
        plain.start();
        smtps = new GreenMail(setup(ServerSetup.PROTOCOL_SMTPS)).withConfiguration(users);
        smtps.start();
        startTls = new StartTlsFront(plain.getSmtp().getPort());
        fingerprint = StartTlsFront.greenMailFingerprint();
    }

    @AfterEach
    void stop() throws Exception {
        startTls.close();
        plain.stop();
        smtps.stop();
    }

    private SmtpSettings startTlsSettings() {
        return new SmtpSettings("127.0.0.1", startTls.port(), SmtpSecurity.STARTTLS, USER, PASSWORD,
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private SmtpSettings smtpsSettings() {
        return new SmtpSettings("127.0.0.1", smtps.getSmtps().getPort(), SmtpSecurity.SSL, USER, PASSWORD,
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private static EmailMessage message() {
        return EmailMessage.of("ops@jobdeck.test", "ann@example.com", "Over TLS", "Body");
    }

    @Test
    void startTlsWithTheTrustedCertificateAndLoginDelivers() throws Exception {
        DeliveryResult result = mailer.send(startTlsSettings().withTrustedFingerprint(fingerprint), message(), MESSAGE_ID);

        assertThat(result.serverReply()).startsWith("250");
        assertThat(plain.getReceivedMessages()).singleElement()
                .satisfies(m -> assertThat(m.getMessageID()).isEqualTo(MESSAGE_ID));
    }

    @Test
    void testConnectionOverStartTlsShowsGreetingTlsVersionAndCapabilities() throws Exception {
        ConnectionReport report = mailer.testConnection(startTlsSettings().withTrustedFingerprint(fingerprint));

        assertThat(report.greeting()).startsWith("220 ");
        assertThat(report.tlsProtocol()).startsWith("TLSv1.");
        assertThat(report.cipherSuite()).startsWith("TLS_");
        assertThat(report.capabilities()).anySatisfy(c -> assertThat(c).startsWith("AUTH").contains("PLAIN").contains("LOGIN"));
        assertThat(report.authenticatedAs()).isEqualTo(USER);
        assertThat(report.summary()).contains("Greeting: 220").contains("Encryption: TLSv1.").contains("Capabilities: ")
                .doesNotContain(PASSWORD);
    }

    @Test
    void plainTestConnectionReportsNoEncryption() throws Exception {
        SmtpSettings settings = SmtpSettings.of("127.0.0.1", plain.getSmtp().getPort());

        ConnectionReport report = mailer.testConnection(settings);

        assertThat(report.tlsProtocol()).isEmpty();
        assertThat(report.summary()).contains("Encryption: none");
    }

    @Test
    void selfSignedCertificateIsRefusedByDefaultAndItsFingerprintIsNamed() {
        TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                () -> mailer.send(startTlsSettings(), message(), MESSAGE_ID));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("not signed by an authority")
                .contains(CertificateFingerprint.display(fingerprint))
                .doesNotContain(PASSWORD);
        assertThat(plain.getReceivedMessages()).isEmpty();
    }

    @Test
    void anotherCertificatesFingerprintIsRefused() {
        SmtpSettings pinnedElsewhere = startTlsSettings().withTrustedFingerprint("00".repeat(32));

        assertThatThrownBy(() -> mailer.send(pinnedElsewhere, message(), MESSAGE_ID))
                .isInstanceOf(TransientDeliveryException.class)
                .hasMessageContaining("not the trusted one");
        assertThat(plain.getReceivedMessages()).isEmpty();
    }

    @Test
    void implicitTlsWithTheTrustedCertificateDelivers() throws Exception {
        SmtpSettings settings = smtpsSettings().withTrustedFingerprint(CertificateFingerprint.display(fingerprint));

        mailer.send(settings, message(), MESSAGE_ID);
        ConnectionReport report = mailer.testConnection(settings);

        assertThat(smtps.getReceivedMessages()).hasSize(1);
        assertThat(report.tlsProtocol()).startsWith("TLSv1.");
        assertThat(report.greeting()).startsWith("220 ");
    }

    @Test
    void implicitTlsIsRefusedWithoutTrust() {
        assertThatThrownBy(() -> mailer.testConnection(smtpsSettings()))
                .isInstanceOf(TransientDeliveryException.class)
                .hasMessageContaining(CertificateFingerprint.display(fingerprint));
    }

    @Test
    void wrongPasswordOverTlsIsPermanent535AndNotEchoed() {
        SmtpSettings settings = smtpsSettings().withTrustedFingerprint(fingerprint).withCredentials(USER, "wrong-Pa55");

        PermanentDeliveryException e = catchThrowableOfType(PermanentDeliveryException.class,
                () -> mailer.send(settings, message(), MESSAGE_ID));

        assertThat(e).isNotNull();
        assertThat(e.replyCode()).isEqualTo(535);
        assertThat(e.getMessage()).doesNotContain("wrong-Pa55");
        assertThat(smtps.getReceivedMessages()).isEmpty();
    }

    @Test
    void credentialsAreNotDroppedWhenTheServerOffersNoAuthAfterStartTls() throws Exception {
        try (StartTlsFront noAuth = StartTlsFront.hidingAuth(plain.getSmtp().getPort(), true)) {
            SmtpSettings settings = new SmtpSettings("127.0.0.1", noAuth.port(), SmtpSecurity.STARTTLS, USER, PASSWORD,
                    Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5)).withTrustedFingerprint(fingerprint);

            TransientDeliveryException e = catchThrowableOfType(TransientDeliveryException.class,
                    () -> mailer.send(settings, message(), MESSAGE_ID));

            assertThat(e).as("a configuration problem retries: nothing refused the message").isNotNull();
            assertThat(e.getMessage()).contains("127.0.0.1:" + noAuth.port()).contains("offers no AUTH after STARTTLS")
                    .contains("user " + USER).doesNotContain(PASSWORD);
            assertThat(e.replyCode()).isZero();
            assertThat(plain.getReceivedMessages()).isEmpty();
        }
    }

    @Test
    void testConnectionSaysTheServerOffersNoAuthForTheConfiguredUser() throws Exception {
        try (StartTlsFront noAuth = StartTlsFront.hidingAuth(plain.getSmtp().getPort(), true)) {
            SmtpSettings settings = new SmtpSettings("127.0.0.1", noAuth.port(), SmtpSecurity.STARTTLS, USER, PASSWORD,
                    Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5)).withTrustedFingerprint(fingerprint);

            assertThatThrownBy(() -> mailer.testConnection(settings))
                    .isInstanceOf(TransientDeliveryException.class)
                    .hasMessageContaining("offers no AUTH after STARTTLS");
        }
    }

    @Test
    void pooledConnectionsRefuseAPlainServerWithoutAuthWhenAUserIsSet() throws Exception {
        try (StartTlsFront noAuth = StartTlsFront.hidingAuth(plain.getSmtp().getPort(), false);
             SmtpConnectionPool pool = new SmtpConnectionPool(SendLimits.NONE, Duration.ofSeconds(30))) {
            SmtpSettings settings = new SmtpSettings("127.0.0.1", noAuth.port(), SmtpSecurity.NONE, USER, PASSWORD,
                    Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));

            try (SmtpConnectionPool.Lease lease = pool.lease(settings)) {
                assertThatThrownBy(() -> lease.send(message(), MESSAGE_ID))
                        .isInstanceOf(TransientDeliveryException.class)
                        .hasMessageContaining("offers no AUTH on a plain connection");
            }
            assertThat(plain.getReceivedMessages()).isEmpty();
        }
    }

    @Test
    void aServerWithoutAuthStillDeliversWhenNoUserIsSet() throws Exception {
        try (StartTlsFront noAuth = StartTlsFront.hidingAuth(plain.getSmtp().getPort(), true)) {
            SmtpSettings settings = new SmtpSettings("127.0.0.1", noAuth.port(), SmtpSecurity.STARTTLS, "", "",
                    Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5)).withTrustedFingerprint(fingerprint);

            mailer.send(settings, message(), MESSAGE_ID);

            assertThat(plain.getReceivedMessages()).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "D1:4C",
        "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        "000000000000000000000000000000000000000000000000000000000000000",
        "00000000000000000000000000000000000000000000000000000000000000000"})
    void fingerprintThatIsNot64HexDigitsIsRefused(String bad) {
        assertThatThrownBy(() -> startTlsSettings().withTrustedFingerprint(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex digits");
    }

    @Test
    void fingerprintIsAcceptedWithColonsAndLowerCase() {
        String colons = CertificateFingerprint.display(fingerprint).toLowerCase();

        assertThat(startTlsSettings().withTrustedFingerprint(colons).trustedFingerprint()).isEqualTo(fingerprint);
    }

    /** GreenMail's 2 s startup timeout is too short when the 2-core machine is busy. */
    private static ServerSetup setup(String protocol) throws IOException {
        ServerSetup setup = new ServerSetup(freePort(), "127.0.0.1", protocol);
        setup.setServerStartupTimeout(15_000);
        return setup;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
