package dev.jobdeck.core.mail;

import dev.jobdeck.testsupport.SlowSmtpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The host's SMTP connections against a real SMTP server on loopback that counts sessions and commands. */
class SmtpConnectionPoolTest {

    private SlowSmtpServer server;
    private SmtpConnectionPool pool;
    private SmtpSettings settings;

    @BeforeEach
    void start() throws Exception {
        server = new SlowSmtpServer(Duration.ZERO);
        settings = SmtpSettings.of("127.0.0.1", server.port());
        pool = new SmtpConnectionPool(SendLimits.NONE, Duration.ofMinutes(5));
    }

    @AfterEach
    void stop() throws Exception {
        pool.close();
        server.close();
    }

    @Test
    void oneConnectionCarriesMessagesOfSuccessiveLeases() throws Exception {
        for (int i = 0; i < 5; i++) {
            send(settings, i);
        }
        assertThat(server.acceptedMessageIds()).hasSize(5);
        assertThat(server.sessions()).isEqualTo(1);
        assertThat(pool.connectionsOpened()).isEqualTo(1);
        assertThat(server.count("RSET")).as("a connection taken from the pool is probed before use").isEqualTo(4);
        assertThat(server.count("QUIT")).isZero();
    }

    @Test
    void changedSettingsGetANewConnectionAndTheOldOneIsClosed() throws Exception {
        send(settings, 1);
        SmtpSettings changed = settings.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(7), Duration.ofSeconds(9));
        send(changed, 2);
        send(changed, 3);

        assertThat(server.sessions()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.count("QUIT") == 1);
        assertThat(pool.idleConnections()).isEqualTo(1);
    }

    @Test
    void aConnectionReturnedWhileSettingsChangedIsNotReused() throws Exception {
        SmtpConnectionPool.Lease old = pool.lease(settings);
        old.send(EmailMessage.of("a@jobdeck.test", "b@example.org", "S", "B"), "<old@jobdeck.local>");
        send(settings.withCredentials("", "").withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(3)), 2);
        old.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> server.count("QUIT") == 1);
        assertThat(pool.idleConnections()).isEqualTo(1);
    }

    @Test
    void aConnectionTheServerDroppedIsReplacedBeforeTheNextMessage() throws Exception {
        send(settings, 1);
        server.dropConnections();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openSessions() == 0);

        send(settings, 2);

        assertThat(server.acceptedMessageIds()).containsExactly("<m1@jobdeck.local>", "<m2@jobdeck.local>");
        assertThat(server.sessions()).isEqualTo(2);
    }

    @Test
    void idleConnectionsAreClosedWithQuit() throws Exception {
        pool.close();
        pool = new SmtpConnectionPool(SendLimits.NONE, Duration.ofMillis(300));
        send(settings, 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> server.count("QUIT") == 1);
        assertThat(pool.idleConnections()).isZero();
        assertThat(server.openSessions()).isZero();
    }

    @Test
    void closingThePoolSaysQuitOnEveryConnection() throws Exception {
        SmtpConnectionPool.Lease first = pool.lease(settings);
        SmtpConnectionPool.Lease second = pool.lease(settings);
        first.connect();
        second.connect();
        first.close();
        second.close();

        pool.close();

        assertThat(server.count("QUIT")).isEqualTo(2);
        assertThatThrownBy(() -> pool.lease(settings)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aReadTimeoutEndsASendToAServerThatHangs() throws Exception {
        server.delay(Duration.ofSeconds(5));
        SmtpSettings impatient = settings.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2));
        try (SmtpConnectionPool.Lease lease = pool.lease(impatient)) {
            assertThatThrownBy(() -> lease.send(EmailMessage.of("a@jobdeck.test", "b@example.org", "S", "B"), "<t@jobdeck.local>"))
                    .isInstanceOf(TransientDeliveryException.class);
            assertThat(lease.connected()).as("a connection that timed out is not used again").isFalse();
        }
    }

    private void send(SmtpSettings with, int i) throws Exception {
        try (SmtpConnectionPool.Lease lease = pool.lease(with)) {
            lease.send(EmailMessage.of("a@jobdeck.test", "b" + i + "@example.org", "S", "B"), "<m" + i + "@jobdeck.local>");
        }
    }
}
