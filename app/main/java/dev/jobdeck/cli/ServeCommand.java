package dev.jobdeck.cli;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DataDirectoryLockedException;
import dev.jobdeck.core.store.StoreException;
import dev.jobdeck.core.store.StoreHealth;
import dev.jobdeck.logging.ProcessLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code jobdeck serve}: everything the console runs, without its window: it owns the store and serves it to
 * workers on 127.0.0.1, runs the built-in SMTP sink and its in-process host, and recovers what a crash left.
 * For machines with no display, and for crash drills that {@code kill -9} the store's owner.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the console's services headless: the store (served to workers on 127.0.0.1),",
                "the built-in SMTP sink and the in-process host. SIGTERM stops it.",
                "Exit codes: 0 stopped, 1 invalid input, 3 in use, 4 cannot open the store."})
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    Main parent;

    @Mixin
    DataDirOption dataDir;

    @Mixin
    StoreOption store;

    private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws InterruptedException {
        DataDirectory directory = dataDir.resolve(parent);
        int chosen = store.choose("serve", directory, err);
        if (chosen != 0) {
            return chosen;
        }
        ConsoleServices services;
        try {
            services = ConsoleServices.open(directory, ConsoleServices.Options.console());
            services.startHost();
        } catch (DataDirectoryLockedException e) {
            complain("jobdeck serve: " + e.getMessage(), null);
            return ScriptStore.LOCKED;
        } catch (StoreException | RuntimeException e) {
            complain("jobdeck serve: " + e.getMessage(), e);
            return ScriptStore.UNREADABLE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            services.close();
            stopped.countDown();
        }, "jobdeck-serve-stop"));
        String serving = "serving " + directory.path() + " (pid " + ProcessHandle.current().pid()
                + "), host " + services.hostName() + ", SMTP sink on 127.0.0.1:"
                + services.sink().map(sink -> Integer.toString(sink.port())).orElse("-");
        LOG.log(System.Logger.Level.INFO, serving);
        out.println("jobdeck serve: " + serving);
        out.flush();
        // A console's Drain or Stop through the store (decision 40): this headless console's host is gone; it ends too.
        services.onHostStoppedByCommand(request -> {
            out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " jobdeck serve: host "
                    + services.hostName() + " " + (request.command() == dev.jobdeck.core.store.HostCommands.Command.DRAIN
                    ? "drained" : "stopped") + " on request of " + request.requestedBy() + "; exiting");
            out.flush();
            stopped.countDown();
        });
        services.onStoreHealthChange(this::sayHealth);
        sayHealth(services.storeHealth());
        stopped.await();
        return 0;
    }

    /** An error as one sentence on the terminal; the log has it too, with the stack trace of {@code cause}. */
    private void complain(String sentence, Exception cause) {
        SaidOnTheTerminal.error(ServeCommand.class, sentence, cause);
        err.println(cause == null ? sentence : ProcessLog.withDetails(sentence));
    }

    private java.time.Instant sickSince;

    /** One line per change of the store's health (decision 21), on stdout where the operator of a headless console looks. */
    private synchronized void sayHealth(StoreHealth health) {
        String line;
        if (!health.isWell()) {
            sickSince = sickSince == null ? health.since() : sickSince;
            line = "STORE SICK (" + health.condition() + "): " + health.message()
                    + " Hosts take no new work until it is well.";
            LOG.log(System.Logger.Level.WARNING, line);
        } else if (sickSince != null) {
            line = "store well again after " + Duration.between(sickSince, health.since()).toSeconds()
                    + " s; hosts take work again.";
            LOG.log(System.Logger.Level.INFO, line);
            sickSince = null;
        } else {
            return;
        }
        out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " jobdeck serve: " + line);
        out.flush();
    }
}
