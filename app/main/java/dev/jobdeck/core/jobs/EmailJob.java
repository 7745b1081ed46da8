package dev.jobdeck.core.jobs;

import dev.jobdeck.core.mail.DeliveryResult;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.mail.PermanentDeliveryException;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.mail.TransientDeliveryException;
import dev.jobdeck.core.store.DeliveryAttempt.Outcome;
import dev.jobdeck.core.store.DeliveryLedger;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.OutboxEmail;
import org.jobrunr.server.runner.ThreadLocalJobContext;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The JobRunr job that delivers one outbox e-mail. Its only argument is the e-mail id: recipients and
 * body stay in the outbox, so job arguments hold no secrets and no large bodies.
 */
public class EmailJob {

    private static final System.Logger LOG = System.getLogger(EmailJob.class.getName());

    private final Outbox outbox;
    private final DeliveryLedger ledger;
    private final Mailer mailer;
    private final Supplier<SmtpSettings> smtpSettings;
    private final Supplier<String> hostName;
    private final Clock clock;

    public EmailJob(Outbox outbox, DeliveryLedger ledger, Mailer mailer, Supplier<SmtpSettings> smtpSettings,
                    Supplier<String> hostName, Clock clock) {
        this.outbox = outbox;
        this.ledger = ledger;
        this.mailer = mailer;
        this.smtpSettings = smtpSettings;
        this.hostName = hostName;
        this.clock = clock;
    }

    public void send(UUID emailId) throws Exception {
        UUID jobId = ThreadLocalJobContext.getJobContext().getJobId();
        OutboxEmail email = outbox.find(emailId)
                .orElseThrow(() -> new PermanentJobFailure("E-mail " + emailId + " is not in the outbox", null));
        if (email.kind() == OutboxEmail.Kind.RECURRING_TEMPLATE) {
            email = outbox.insertIfJobAbsent(email.runOf(jobId, clock.instant()));
        }
        String messageId = MessageIds.forJob(jobId);
        if (ledger.alreadySent(jobId)) {
            // A crash after the server's 250 but before JobRunr saved "succeeded": do not deliver twice.
            int attempt = ledger.begin(jobId, email.id(), hostName.get(), messageId, clock.instant());
            ledger.finish(jobId, attempt, Outcome.SKIPPED_ALREADY_SENT, null, "already accepted by the server earlier",
                    clock.instant());
            LOG.log(System.Logger.Level.INFO, "Job {0} was already delivered; not sending again", jobId);
            return;
        }
        EmailMessage message = email.toMessage();
        int attempt = ledger.begin(jobId, email.id(), hostName.get(), messageId, clock.instant());
        try {
            DeliveryResult result = mailer.send(smtpSettings.get(), message, messageId);
            ledger.finish(jobId, attempt, Outcome.SENT, replyCode(result.serverReply()), result.serverReply(), clock.instant());
        } catch (PermanentDeliveryException e) {
            ledger.finish(jobId, attempt, Outcome.PERMANENT_FAILURE, e.failure().replyCode(), e.failure().replyText(),
                    clock.instant());
            throw new PermanentJobFailure("Rejected for good: " + e.getMessage(), e);
        } catch (TransientDeliveryException e) {
            ledger.finish(jobId, attempt, Outcome.TRANSIENT_FAILURE, e.failure().replyCode(), e.failure().replyText(),
                    clock.instant());
            throw e;
        }
    }

    private static Integer replyCode(String reply) {
        if (reply != null && reply.length() >= 3 && reply.substring(0, 3).chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(reply.substring(0, 3));
        }
        return null;
    }
}
