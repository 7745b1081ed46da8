package dev.jobdeck.core.jobs;

import dev.jobdeck.core.mail.DeliveryException;
import dev.jobdeck.core.mail.DeliveryResult;
import dev.jobdeck.core.mail.EmailMessage;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.mail.SmtpFailure;
import dev.jobdeck.core.mail.SmtpSettings;
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
    private final OutboxMessages messages;
    private final DeliveryLedger ledger;
    private final Mailer mailer;
    private final Supplier<SmtpSettings> smtpSettings;
    private final Supplier<String> hostName;
    private final Clock clock;
    private final Supplier<RetryPolicy> retryPolicy;

    public EmailJob(Outbox outbox, DeliveryLedger ledger, Mailer mailer, Supplier<SmtpSettings> smtpSettings,
                    Supplier<String> hostName, Clock clock) {
        this(outbox, ledger, mailer, smtpSettings, hostName, clock, RetryPolicy::defaults);
    }

    /** @param retryPolicy decides which refusals bounce and which are retried, by reply code and enhanced status */
    public EmailJob(Outbox outbox, DeliveryLedger ledger, Mailer mailer, Supplier<SmtpSettings> smtpSettings,
                    Supplier<String> hostName, Clock clock, Supplier<RetryPolicy> retryPolicy) {
        this.retryPolicy = retryPolicy;
        this.outbox = outbox;
        this.messages = new OutboxMessages(outbox);
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
        EmailMessage message;
        try {
            message = messages.messageOf(email);
        } catch (OutboxMessages.MissingAttachmentException e) {
            int attempt = ledger.begin(jobId, email.id(), hostName.get(), messageId, clock.instant());
            ledger.finish(jobId, attempt, Outcome.PERMANENT_FAILURE, null, e.getMessage(), clock.instant());
            throw new PermanentJobFailure(e.getMessage(), e);
        }
        int attempt = ledger.begin(jobId, email.id(), hostName.get(), messageId, clock.instant());
        try {
            DeliveryResult result = mailer.send(smtpSettings.get(), message, messageId);
            ledger.finish(jobId, attempt, Outcome.SENT, replyCode(result.serverReply()), result.serverReply(), clock.instant());
        } catch (DeliveryException e) {
            SmtpFailure failure = e.failure();
            Integer code = failure.replyCode() > 0 ? failure.replyCode() : null;
            if (retryPolicy.get().decide(failure) == RetryPolicy.Decision.BOUNCE) {
                ledger.finish(jobId, attempt, Outcome.PERMANENT_FAILURE, code, failure.replyText(), clock.instant());
                throw new PermanentJobFailure("Rejected for good: " + e.getMessage(), e);
            }
            ledger.finish(jobId, attempt, Outcome.TRANSIENT_FAILURE, code, failure.replyText(), clock.instant());
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
