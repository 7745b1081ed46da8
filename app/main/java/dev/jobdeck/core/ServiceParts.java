package dev.jobdeck.core;

import dev.jobdeck.core.hosts.HostSupervisor;
import dev.jobdeck.core.jobs.BulkActions;
import dev.jobdeck.core.jobs.EmailQueue;
import dev.jobdeck.core.jobs.JobCommands;
import dev.jobdeck.core.jobs.JobEngine;
import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.RetentionPass;
import dev.jobdeck.core.jobs.SurvivalReports;
import dev.jobdeck.core.jobs.TestSend;
import dev.jobdeck.core.mail.LocalSmtpSink;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.mail.SmtpConnectionPool;
import dev.jobdeck.core.settings.LiveSettings;
import dev.jobdeck.core.settings.OutgoingServer;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.Database;
import dev.jobdeck.core.store.DeliveryLedger;
import dev.jobdeck.core.store.HostCommands;
import dev.jobdeck.core.store.HostRegistry;
import dev.jobdeck.core.store.IncidentLog;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.Settings;
import dev.jobdeck.core.templates.TemplateLibrary;

import java.util.Optional;

/**
 * The parts one JobDeck process is made of, as its composition root ({@link ConsoleServices}) built them (decision 51):
 * the facades hand them out, the tests reach them as {@code services.parts().queue()}. Holding them starts and closes
 * nothing; the root does both. {@code sink} and {@code sinkMailbox} are empty where no built-in sink runs,
 * {@code supervisor} outside the console; {@code sinkNotice} is what starting the sink took that the operator should
 * know (a damaged mailbox moved aside). {@code liveSettings} are the settings every process of the store shares, with
 * their saves (decision 43); {@code hostCommands} drain or stop any host of the store (decision 40).
 */
public record ServiceParts(DataDirectory directory, Database database, Settings settings, LiveSettings liveSettings,
                           Outbox outbox, DeliveryLedger ledger, HostRegistry hosts, HostCommands hostCommands,
                           IncidentLog incidents, Optional<LocalSmtpSink> sink, Optional<Database> sinkMailbox,
                           Optional<String> sinkNotice, OutgoingServer outgoing, Mailer mailer,
                           SmtpConnectionPool connections, JobEngine engine, EmailQueue queue, JobQueries queries,
                           JobCommands commands, BulkActions bulkActions, SurvivalReports reports,
                           RetentionPass retentionPass, TemplateLibrary templates, TestSend testSend,
                           Optional<HostSupervisor> supervisor) {
}
