package dev.jobdeck.core.hosts;

import dev.jobdeck.core.jobs.JobEngine;
import dev.jobdeck.core.store.HostCommands;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This process's host listens for what consoles ask of it through the store (decision 40): every {@link #every} it
 * takes its next command from {@code jd_host_command}, if any, and carries it out: a drain takes no new work and lets
 * running jobs finish within the deadline, then stops, handing back the rest; a stop hands them back at once. A STOP
 * that arrives during a long drain still ends it now (commands run beside the poll). Listeners hear of a host stopped
 * this way: a worker or {@code serve} process then exits, the desktop console stays open with its host stopped.
 */
public final class HostCommandWatch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HostCommandWatch.class.getName());

    private final HostCommands commands;
    private final JobEngine engine;
    private final ScheduledExecutorService poll;
    private final ExecutorService work;
    private final List<Consumer<HostCommands.Request>> stopped = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    private HostCommandWatch(HostCommands commands, JobEngine engine) {
        this.commands = commands;
        this.engine = engine;
        this.poll = Executors.newSingleThreadScheduledExecutor(daemon("jobdeck-host-commands"));
        this.work = Executors.newCachedThreadPool(daemon("jobdeck-host-command"));
    }

    public static HostCommandWatch start(HostCommands commands, JobEngine engine, Duration every) {
        HostCommandWatch watch = new HostCommandWatch(commands, engine);
        watch.poll.scheduleWithFixedDelay(watch::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return watch;
    }

    /** Called on a command's own thread once this process's host stopped on command. */
    public void onStopped(Consumer<HostCommands.Request> listener) {
        stopped.add(listener);
    }

    private void check() {
        UUID host = engine.serverId().orElse(null);
        if (host == null) {
            return;
        }
        try {
            commands.take(host).ifPresent(request -> work.execute(() -> carryOut(request)));
            failing = false;
        } catch (SQLException | RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.log(System.Logger.Level.INFO, "Cannot read this host's commands for now; trying again: "
                        + e.getMessage());
            }
        }
    }

    private void carryOut(HostCommands.Request request) {
        String name = engine.hostName();
        LOG.log(System.Logger.Level.INFO, "Host {0}: {1} requested by {2}", name, request.command(), request.requestedBy());
        String outcome;
        try {
            int handedBack;
            if (request.command() == HostCommands.Command.DRAIN) {
                handedBack = engine.drainServer(request.drain(), "drained on request of " + request.requestedBy());
                outcome = "drained";
            } else {
                handedBack = engine.stopServer("stopped on request of " + request.requestedBy());
                outcome = "stopped";
            }
            outcome += "; " + handedBack + " job(s) handed back";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted: this process was closing";
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Host " + name + " could not carry out " + request.command(), e);
            outcome = "failed: " + e.getMessage();
        }
        try {
            commands.done(request.id(), outcome);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot record the outcome of " + request.command() + ": " + e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "Host {0}: {1}", name, outcome);
        if (!engine.isServerRunning()) {
            for (Consumer<HostCommands.Request> listener : stopped) {
                listener.accept(request);
            }
        }
    }

    @Override
    public void close() {
        poll.shutdownNow();
        work.shutdownNow();
        try {
            poll.awaitTermination(10, TimeUnit.SECONDS);
            work.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
