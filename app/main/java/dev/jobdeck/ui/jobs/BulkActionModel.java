package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.BulkActions;
import dev.jobdeck.core.jobs.BulkActions.Action;
import dev.jobdeck.core.jobs.BulkActions.Plan;
import dev.jobdeck.core.jobs.BulkActions.Progress;
import dev.jobdeck.core.jobs.BulkActions.Summary;
import dev.jobdeck.core.jobs.query.JobFilter;
import dev.jobdeck.core.jobs.TimeInput;
import dev.jobdeck.ui.fx.Banner;
import dev.jobdeck.ui.fx.LatestValue;
import dev.jobdeck.ui.fx.TaskRunner;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The Jobs screen's time range and "Act on all matching" (decision 27): what matches (the state tab, the search and
 * the time range of the {@link JobsModel} it follows), the count for the confirmation, then the action itself on the
 * {@link TaskRunner}'s thread with its progress coalesced to the JavaFX thread at most every
 * {@link #PROGRESS_EVERY_MILLIS}, a cancel that takes effect between two chunks, and the summary.
 */
public final class BulkActionModel {

    /** At most ten progress updates a second reach the JavaFX thread, however fast the chunks go. */
    public static final long PROGRESS_EVERY_MILLIS = 100;

    private final BulkActions bulk;
    private final TaskRunner tasks;
    private final Clock clock;
    private final Banner summary = new Banner();
    private JobsModel jobs;
    /** The running action's cancel, read by the runner's thread between chunks. */
    private volatile AtomicBoolean cancelled = new AtomicBoolean();

    // Properties
    private final StringProperty sinceText = new SimpleStringProperty(this, "sinceText", "");
    private final StringProperty untilText = new SimpleStringProperty(this, "untilText", "");
    private final ReadOnlyStringWrapper rangeMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper buttonText = new ReadOnlyStringWrapper("Act on all matching\u2026");
    private final ReadOnlyStringWrapper retryText = new ReadOnlyStringWrapper("Retry all matching\u2026");
    private final ReadOnlyStringWrapper deleteText = new ReadOnlyStringWrapper("Delete all matching\u2026");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper("");

    public BulkActionModel(BulkActions bulk, TaskRunner tasks, Clock clock) {
        this.bulk = bulk;
        this.tasks = tasks;
        this.clock = clock;
    }

    // Commands

    /** The Jobs screen whose matching jobs this acts on: its filter, its count, its refresh. */
    public void follow(JobsModel jobsModel) {
        jobs = jobsModel;
        jobs.table().matchingTotalProperty().addListener((obs, old, total) -> describe());
        jobs.table().matchingTotalCappedProperty().addListener((obs, old, capped) -> describe());
        describe();
    }

    /**
     * Applies what the since and until fields say to the table. A part that does not parse, or a range that ends
     * before it starts, is said next to the fields and changes nothing. Returns whether the range is good.
     */
    public boolean applyRange() {
        JobFilter ranged;
        try {
            ranged = TimeInput.range(jobs.filter().matching(), sinceText.get(), untilText.get(), clock);
        } catch (IllegalArgumentException e) {
            rangeMessage.set(e.getMessage());
            return false;
        }
        rangeMessage.set("");
        jobs.filter().setRange(ranged.since(), ranged.until());
        describe();
        return true;
    }

    /** Says what matches now, in the button and its menu: "Retry 1,204 failed jobs matching "bob"…". */
    public void describe() {
        if (jobs == null) {
            return;
        }
        long total = jobs.table().matchingTotalProperty().get();
        String what = BulkActions.describe(jobs.filter().matching(), clock.getZone());
        if (jobs.table().matchingTotalCappedProperty().get()) {
            // The table stopped counting; the confirmation states the exact count before anything is done.
            String many = "more than " + BulkActions.format(total - 1);
            buttonText.set("Act on all " + many + " matching\u2026");
            retryText.set("Retry all " + many + " jobs: " + what + "\u2026");
            deleteText.set("Delete all " + many + " jobs: " + what + "\u2026");
            return;
        }
        buttonText.set("Act on all " + BulkActions.format(total) + " matching\u2026");
        retryText.set("Retry " + BulkActions.jobs(total) + ": " + what + "\u2026");
        deleteText.set("Delete " + BulkActions.jobs(total) + ": " + what + "\u2026");
    }

    /**
     * Counts what matches now (off the JavaFX thread), then hands the plan to {@code confirm}, which asks the operator
     * and calls {@link #start} if they agree. Nothing matching is said at once, without asking.
     */
    public void prepare(Action action, Consumer<Plan> confirm) {
        if (busy.get() || !applyRange()) {
            return;
        }
        JobFilter filter = jobs.filter().matching();
        busy.set(true);
        summary.clear();
        tasks.run(() -> bulk.plan(action, filter), plan -> {
            busy.set(false);
            if (plan.count() == 0) {
                summary.show(Banner.Tone.INFO, "No " + BulkActions.describe(filter, clock.getZone()) + ": nothing to "
                        + action.title().toLowerCase() + ".");
                return;
            }
            confirm.accept(plan);
        }, problem -> {
            busy.set(false);
            summary.failed("Counting the matching jobs", problem);
        });
    }

    /** The confirmation's text under its question: what matches, and what the action does and skips. */
    public String confirmationDetail(Plan plan) {
        String what = "All " + BulkActions.jobs(plan.count()) + " that match now: "
                + BulkActions.describe(plan.filter(), clock.getZone()) + ".";
        return what + (plan.action() == Action.RETRY
                ? " Failed and deleted jobs go back in the queue; a succeeded one is skipped (nothing to send again),"
                + " and no e-mail that was delivered is sent twice."
                : " They move to Deleted; Retry brings them back.")
                + " Jobs that change meanwhile are left alone. You can cancel between chunks.";
    }

    /** Runs the confirmed plan on the task runner's thread; the table keeps refreshing meanwhile. */
    public void start(Plan plan) {
        Objects.requireNonNull(plan);
        if (busy.get()) {
            return;
        }
        AtomicBoolean cancel = new AtomicBoolean();
        cancelled = cancel;
        busy.set(true);
        running.set(true);
        summary.clear();
        progress.set(0);
        progressText.set(new Progress(0, plan.count(), 0, 0, 0).text());
        LatestValue<Progress> latest = new LatestValue<>(tasks.uiThread(), this::showProgress);
        long every = PROGRESS_EVERY_MILLIS * 1_000_000;
        long[] publishedAt = {System.nanoTime() - every};
        tasks.run(() -> bulk.run(plan, step -> {
            long now = System.nanoTime();
            if (now - publishedAt[0] >= every || step.done() >= step.total()) {
                publishedAt[0] = now;
                latest.publish(step);
            }
        }, cancel::get), this::finished, problem -> {
            busy.set(false);
            running.set(false);
            summary.failed(plan.action().title() + " of all matching", problem);
            jobs.refreshNow();
        });
    }

    /** Stops the running action after the chunk in hand; what was done is kept, the rest left untouched. */
    public void cancel() {
        if (running.get() && !cancelled.getAndSet(true)) {
            progressText.set(progressText.get() + " \u2014 cancelling after this chunk");
        }
    }

    private void showProgress(Progress step) {
        if (!running.get()) {
            return;
        }
        progress.set(step.fraction());
        progressText.set(step.text() + (cancelled.get() ? " \u2014 cancelling after this chunk" : ""));
    }

    private void finished(Summary done) {
        busy.set(false);
        running.set(false);
        progress.set(1);
        summary.show(done.complete() ? Banner.Tone.SUCCESS : done.cancelled() || done.actedOn() > 0
                ? Banner.Tone.INFO : Banner.Tone.DANGER, done.text());
        jobs.refreshNow();
    }

    // Accessors

    public StringProperty sinceTextProperty() {
        return sinceText;
    }

    public StringProperty untilTextProperty() {
        return untilText;
    }

    public ReadOnlyStringProperty rangeMessageProperty() {
        return rangeMessage.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty buttonTextProperty() {
        return buttonText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty retryTextProperty() {
        return retryText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty deleteTextProperty() {
        return deleteText.getReadOnlyProperty();
    }

    /** Counting or acting: the button waits. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Acting: the progress bar and the cancel button show. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** "12,500 / 100,000". */
    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    /** What the last action did and left, or why it could not start. */
    public Banner summary() {
        return summary;
    }
}
