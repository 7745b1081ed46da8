package dev.jobdeck.core.hosts;

import dev.jobdeck.core.mail.DeliveryResult;
import dev.jobdeck.core.jobs.OutboxMessages;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.store.DeliveryAttempt.Outcome;
import dev.jobdeck.core.store.DeliveryLedger;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OutboxEmail;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The baseline JobDeck is measured against: e-mails handed to a plain thread pool, the way
 * {@code QueueBackgroundWorkItem} or a fire-and-forget executor runs background work. The queue lives only in
 * this process's memory; the outbox rows exist so the report can count what was handed over, but no job exists
 * for them, so whatever the executor has not sent when the process dies is lost. Each send is still recorded in
 * the delivery ledger, so the loss is measured, not guessed.
 */
public final class MemoryHost implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MemoryHost.class.getName());

    private final UUID hostId;
    private final String hostName;
    private final Outbox outbox;
    private final DeliveryLedger ledger;
    private final Mailer mailer;
    private final Supplier<SmtpSettings> smtp;
    private final Clock clock;
    private final ExecutorService executor;
    private final ScheduledExecutorService intake = Executors.newSingleThreadScheduledExecutor();
    private final Set<UUID> handedOver = new HashSet<>();

    public MemoryHost(UUID hostId, String hostName, int threads, Outbox outbox, DeliveryLedger ledger, Mailer mailer,
                      Supplier<SmtpSettings> smtp, Clock clock) {
        this.hostId = hostId;
        this.hostName = hostName;
        this.outbox = outbox;
        this.ledger = ledger;
        this.mailer = mailer;
        this.smtp = smtp;
        this.clock = clock;
        this.executor = Executors.newFixedThreadPool(threads);
    }

    /** Takes every e-mail handed to this host into the in-memory queue, now and twice a second from now on. */
    public void start() {
        intake.scheduleWithFixedDelay(this::takeNewWork, 0, 500, TimeUnit.MILLISECONDS);
    }

    private void takeNewWork() {
        try {
            for (OutboxEmail email : outbox.handedTo(hostId)) {
                if (handedOver.add(email.id())) {
                    executor.execute(() -> send(email));
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot read the e-mails handed to " + hostName + ": " + e.getMessage());
        }
    }

    private void send(OutboxEmail email) {
        // No job id: the e-mail's own id stands in, and gives the Message-ID.
        String messageId = "<" + email.id() + "@jobdeck.local>";
        try {
            EmailMessage message = OutboxMessages.toMessage(email);
            int attempt = ledger.begin(email.id(), email.id(), hostName, messageId, clock.instant());
            try {
                DeliveryResult result = mailer.send(smtp.get(), message, messageId);
                ledger.finish(email.id(), attempt, Outcome.SENT, null, result.serverReply(), clock.instant());
            } catch (Exception e) {
                // As in a fire-and-forget executor: the error is logged and the e-mail is gone.
                ledger.finish(email.id(), attempt, Outcome.PERMANENT_FAILURE, null, String.valueOf(e.getMessage()),
                        clock.instant());
                LOG.log(System.Logger.Level.WARNING, "In-memory send to " + email.to() + " failed: " + e.getMessage());
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "In-memory send to " + email.to() + " failed: " + e.getMessage());
        }
    }

    /** Stops taking work and lets the queue run for up to {@code deadline}; what is left then is dropped. */
    public int stop(Duration deadline) throws InterruptedException {
        intake.shutdownNow();
        executor.shutdown();
        if (!executor.awaitTermination(Math.max(1, deadline.toMillis()), TimeUnit.MILLISECONDS)) {
            return executor.shutdownNow().size();
        }
        return 0;
    }

    @Override
    public void close() {
        intake.shutdownNow();
        executor.shutdownNow();
    }
}
