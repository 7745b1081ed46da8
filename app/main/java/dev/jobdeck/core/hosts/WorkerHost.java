package dev.jobdeck.core.hosts;

import dev.jobdeck.core.jobs.JobEngine;
import dev.jobdeck.core.mail.Mailer;
import dev.jobdeck.core.mail.SmtpSettings;
import dev.jobdeck.core.settings.HostPolicy;
import dev.jobdeck.core.store.DeliveryLedger;
import dev.jobdeck.core.store.HostCommands;
import dev.jobdeck.core.store.HostRecord;
import dev.jobdeck.core.store.HostRegistry;
import dev.jobdeck.core.store.Outbox;
import dev.jobdeck.core.store.StoreHealth;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A worker process's host, from start to close: the {@code jobdeck worker} command runs it and says what happens on
 * the terminal. It runs a JobRunr server (or the in-memory baseline), follows the store's health (decision 21), stops
 * when a console asks through the store (decision 40), restarts its server when the store comes back after a loss,
 * and drains to the policy's deadline when it is told to stop. Closing it closes the process's services.
 */
public final class WorkerHost implements AutoCloseable {

    /** What a worker host is made of, handed over by the composition root that opened them. */
    public record Parts(JobEngine engine, HostRegistry hosts, Outbox outbox, DeliveryLedger ledger, Mailer mailer,
                        Supplier<SmtpSettings> smtp, Supplier<HostPolicy> policy, DataSource store,
                        StoreHealthWatch health, HostCommandWatch commands, AutoCloseable services) {
    }

    private final Parts parts;
    private final Clock clock = Clock.systemUTC();
    private UUID id;
    /** Set when the host runs the in-memory baseline instead of JobRunr. */
    private MemoryHost memory;

    public WorkerHost(Parts parts) {
        this.parts = parts;
    }

    /** Starts the host under {@code id}: a JobRunr server, or with {@code inMemory} the in-memory baseline. */
    public void start(UUID id, boolean inMemory) throws SQLException {
        this.id = id;
        if (inMemory) {
            parts.hosts().register(HostRecord.started(id, name(), HostRecord.Kind.IN_MEMORY, ProcessHandle.current().pid(),
                    workers(), clock.instant()));
            memory = new MemoryHost(id, name(), workers(), parts.outbox(), parts.ledger(), parts.mailer(), parts.smtp(),
                    clock);
            memory.start();
        } else {
            parts.engine().startServer(id);
        }
    }

    public String name() {
        return parts.engine().hostName();
    }

    public int workers() {
        return parts.engine().settings().workers();
    }

    /** Hears each change of the store's health, on the monitor's thread; the host pauses and resumes by itself. */
    public void onStoreHealthChange(Consumer<StoreHealth> listener) {
        parts.health().onChange(listener);
    }

    /** Hears, on a command's thread, that the host stopped because a console asked it to (decision 40). */
    public void onStoppedByCommand(Consumer<HostCommands.Request> listener) {
        parts.commands().onStopped(listener);
    }

    /**
     * Watches the store until it has not answered for {@code patience} (returns the last error) or the thread is
     * interrupted (throws); each time it answers again, the JobRunr server starts afresh. {@code say} hears what happens.
     */
    public String watchStore(Duration patience, Consumer<String> say) throws InterruptedException {
        StoreWatchdog watchdog = new StoreWatchdog(parts.store(), patience, clock, say);
        return watchdog.watch(() -> restartAfterStoreLoss(say),
                () -> memory != null || parts.engine().isServerRunning() || parts.engine().isStopping());
    }

    /**
     * After the store was gone, JobRunr's server may have stopped itself or be left half-working (its background
     * tasks hit errors for as long as the store was away): start it afresh under the same id, handing back the
     * jobs it held, so the host is certainly working again.
     */
    private void restartAfterStoreLoss(Consumer<String> say) {
        if (memory != null) {
            return;
        }
        say.accept("restarting its JobRunr server");
        int handedBack = parts.engine().stopServer("restarted after the store came back");
        parts.engine().startServer(id);
        say.accept("running again; " + handedBack + " job(s) it held were handed back to the queue");
    }

    /**
     * Stops gracefully: no new work, running jobs get until the drain deadline (the one a console set for this host,
     * else the policy's recycle deadline), the rest is handed back. {@code say} hears each step.
     */
    public void stop(String reason, Consumer<String> say) throws SQLException, InterruptedException {
        Duration drain = Duration.ofSeconds(parts.hosts().drainSeconds(id)
                .orElse((int) parts.policy().get().recycleDeadline().toSeconds()));
        say.accept("stopping: no new work; running jobs get up to " + drain.toSeconds() + " s");
        if (memory != null) {
            int dropped = memory.stop(drain);
            parts.hosts().markStopped(id, clock.instant(), reason, 0);
            say.accept("stopped; " + dropped + " queued e-mail(s) dropped with the in-memory queue");
        } else {
            int handedBack = parts.engine().drainServer(drain, reason);
            say.accept("stopped; " + handedBack + " job(s) still running at the deadline handed back");
        }
    }

    @Override
    public void close() {
        try {
            parts.services().close();
        } catch (Exception e) {
            System.getLogger(WorkerHost.class.getName()).log(System.Logger.Level.WARNING, "Closing the worker failed", e);
        }
    }
}
