package dev.jobdeck.core.hosts;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.jobs.QueueResult;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.settings.DeliverySettings;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.testsupport.ChildProcesses;
import dev.jobdeck.testsupport.Consoles;
import dev.jobdeck.testsupport.SlowSmtpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connection and rate limits hold across hosts: worker JVMs on the console's store send to one real SMTP
 * server, which counts what it sees. Assertions count sessions and messages; the only times used are
 * the server's own receipt times, and only as upper bounds on how many fit in a window.
 */
class SendLimitsAcrossHostsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    @TempDir
    Path temp;

    private SlowSmtpServer smtp;
    private ConsoleServices console;

    @AfterEach
    void close() throws Exception {
        if (console != null) {
            console.close();
        }
        smtp.close();
    }

    @ChildProcesses
    @Test
    void theServerNeverSeesMoreConnectionsThanTheLimitFromTwoWorkerJvms() throws Exception {
        smtp = new SlowSmtpServer(Duration.ofMillis(300));
        openConsole(new DeliverySettings(1, 2, 0));
        startWorkers(2);

        QueueResult batch = console.parts().queue().queue(Consoles.email(recipients(40)));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> console.parts().reports().ledger(Optional.of(batch.batchId())).delivered() == 40);

        assertThat(smtp.acceptedMessageIds()).hasSize(40).doesNotHaveDuplicates();
        // 2 hosts x 4 workers would open up to 8 at once without the shared slots.
        assertThat(smtp.maxOpenSessions()).isEqualTo(2);
        assertThat(hostsOf(batch).split(" ")).as("both worker JVMs delivered").hasSize(2);
        System.out.printf("connection limit 2: %d sessions in all, at most %d open at once; sent by hosts %s%n",
                smtp.sessions(), smtp.maxOpenSessions(), hostsOf(batch));
    }

    @ChildProcesses
    @Test
    void theMessageRateStaysWithinTheLimitAcrossTwoHosts() throws Exception {
        smtp = new SlowSmtpServer(Duration.ZERO);
        int rate = 50;
        int messages = 250;
        openConsole(new DeliverySettings(5, 0, rate));
        startWorkers(2);

        QueueResult batch = console.parts().queue().queue(Consoles.email(recipients(messages)));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> console.parts().reports().ledger(Optional.of(batch.batchId())).delivered() == messages);

        List<Long> at = smtp.acceptedAtNanos();
        assertThat(at).hasSize(messages);
        // Tokens: a bucket of rate/10, taken up to 100 ms before use; plus messages in flight (2 hosts x 4 workers).
        int slack = rate / 10 + rate / 10 + 8;
        long window = Duration.ofSeconds(2).toNanos();
        int most = 0;
        for (int i = 0, j = 0; i < at.size(); i++) {
            while (at.get(i) - at.get(j) >= window) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        assertThat(most).as("messages the server received in any 2 s").isLessThanOrEqualTo(2 * rate + slack);
        double seconds = (at.get(at.size() - 1) - at.get(0)) / 1e9;
        assertThat(seconds).as("%d messages at %d/s cannot arrive faster", messages, rate)
                .isGreaterThanOrEqualTo((messages - slack) / (double) rate);
        System.out.printf("rate limit %d/s: %d messages in %.1f s, at most %d in any 2 s; sent by hosts %s%n", rate,
                messages, seconds, most, hostsOf(batch));
    }

    private void openConsole(DeliverySettings delivery) throws Exception {
        console = Consoles.open(temp);
        console.parts().outgoing().useServer(SmtpSettings.of("127.0.0.1", smtp.port()));
        console.parts().liveSettings().updateDelivery(delivery);
    }

    private void startWorkers(int count) throws Exception {
        HostSupervisor supervisor = console.parts().supervisor().orElseThrow();
        List<String> names = supervisor.startWorkers(count, HostRecord.Kind.WORKER, 4);
        await().atMost(Duration.ofSeconds(90)).until(() -> supervisor.hosts().stream()
                .filter(host -> names.contains(host.name()) && host.state() == HostStatus.State.RUNNING).count() == count);
    }

    private String hostsOf(QueueResult batch) throws Exception {
        try (var connection = console.parts().database().dataSource().getConnection();
             var query = connection.prepareStatement("SELECT a.host, COUNT(*) FROM jd_delivery_attempt a JOIN jd_email e"
                     + " ON e.id = a.email_id WHERE e.batch_id = ? AND a.outcome = 'SENT' GROUP BY a.host ORDER BY a.host")) {
            query.setObject(1, batch.batchId());
            try (var rows = query.executeQuery()) {
                StringBuilder out = new StringBuilder();
                while (rows.next()) {
                    out.append(rows.getString(1)).append('=').append(rows.getInt(2)).append(' ');
                }
                return out.toString().strip();
            }
        }
    }

    private static String recipients(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "user" + i + "@example.org").collect(Collectors.joining("\n"));
    }
}
