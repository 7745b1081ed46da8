package dev.jobdeck.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Holds a process's first log events until its data directory holds a store, then hands them and every later one
 * to the log file. A command that finds no data directory (a typo in {@code --data-dir}) so creates nothing; the
 * first start of a console, which creates the store, still has its opening lines in the log. If the file cannot be
 * opened, {@code open} returns the terminal fallback instead.
 */
final class UntilTheStoreExists extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** Enough for any start-up; past it the earliest events are kept and the rest counted. */
    static final int HELD_AT_MOST = 2_000;

    private final BooleanSupplier storeExists;
    private final Supplier<Appender<ILoggingEvent>> open;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<ILoggingEvent> held = new ArrayDeque<>();
    private int dropped;
    private volatile Appender<ILoggingEvent> target;

    UntilTheStoreExists(BooleanSupplier storeExists, Supplier<Appender<ILoggingEvent>> open) {
        this.storeExists = storeExists;
        this.open = open;
    }

    @Override
    protected void append(ILoggingEvent event) {
        Appender<ILoggingEvent> to = target;
        if (to == null) {
            lock.lock();
            try {
                to = target;
                if (to == null) {
                    if (!storeExists.getAsBoolean()) {
                        hold(event);
                        return;
                    }
                    to = open.get();
                    release(to);
                    target = to;
                }
            } finally {
                lock.unlock();
            }
        }
        to.doAppend(event);
    }

    /** The appender events go to now, or null while they are held. */
    Appender<ILoggingEvent> target() {
        return target;
    }

    private void hold(ILoggingEvent event) {
        if (held.size() < HELD_AT_MOST) {
            event.prepareForDeferredProcessing();
            held.add(event);
        } else {
            dropped++;
        }
    }

    private void release(Appender<ILoggingEvent> to) {
        for (ILoggingEvent event : held) {
            to.doAppend(event);
        }
        held.clear();
        if (dropped > 0) {
            Logger logger = ((LoggerContext) getContext()).getLogger(UntilTheStoreExists.class);
            to.doAppend(new LoggingEvent(Logger.FQCN, logger, Level.WARN, "{} more log events of this process's start"
                    + " were dropped while its data directory did not exist yet", null, new Object[] {dropped}));
            dropped = 0;
        }
    }

    @Override
    public void stop() {
        super.stop();
        Appender<ILoggingEvent> to = target;
        if (to != null) {
            to.stop();
        }
    }
}
