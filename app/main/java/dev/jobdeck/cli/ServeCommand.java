package dev.jobdeck.cli;

import dev.jobdeck.core.ConsoleServices;
import dev.jobdeck.core.store.DataDirectory;
import dev.jobdeck.core.store.DataDirectoryLockedException;
import dev.jobdeck.core.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import dev.jobdeck.core.store.StoreHealth;

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
                "Exit codes: 0 stopped, 3 in use, 4 cannot open the store."})
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    Main parent;

    @Mixin
    DataDirOption dataDir;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws InterruptedException {
        DataDirectory directory = dataDir.resolve(parent);
        ConsoleServices services;
        try {
            services = ConsoleServices.open(directory, ConsoleServices.Options.console());
            services.startHost();
        } catch (DataDirectoryLockedException e) {
            err.println("jobdeck serve: " + e.getMessage());
            return ScriptStore.LOCKED;
        } catch (StoreException | RuntimeException e) {
            err.println("jobdeck serve: " + e.getMessage());
            return ScriptStore.UNREADABLE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            services.close();
            stopped.countDown();
        }, "jobdeck-serve-stop"));
        out.println("jobdeck serve: serving " + directory.path() + " (pid " + ProcessHandle.current().pid()
                + "), host " + services.hostName() + ", SMTP sink on 127.0.0.1:"
                + services.sink().map(sink -> Integer.toString(sink.port())).orElse("-"));
        out.flush();
        services.onStoreHealthChange(this::sayHealth);
        sayHealth(services.storeHealth());
        stopped.await();
        return 0;
    }

    private java.time.Instant sickSince;

    /** One line per change of the store's health (decision 21), on stdout where the operator of a headless console looks. */
    private synchronized void sayHealth(StoreHealth health) {
        String time = LocalTime.now().truncatedTo(ChronoUnit.MILLIS).toString();
        if (!health.isWell()) {
            sickSince = sickSince == null ? health.since() : sickSince;
            out.println(time + " jobdeck serve: STORE SICK (" + health.condition() + "): " + health.message()
                    + " Hosts take no new work until it is well.");
        } else if (sickSince != null) {
            out.println(time + " jobdeck serve: store well again after "
                    + Duration.between(sickSince, health.since()).toSeconds() + " s; hosts take work again.");
            sickSince = null;
        }
        out.flush();
    }
}
