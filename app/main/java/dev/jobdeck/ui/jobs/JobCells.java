package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.RecipientStatus;
import dev.jobdeck.core.mail.ReplyStatus;
import dev.jobdeck.ui.fx.JobTimes;
import dev.jobdeck.ui.fx.Styles;
import dev.jobdeck.ui.fx.TableCells;
import dev.jobdeck.core.jobs.query.JobState;

import java.time.Instant;
import java.time.ZoneId;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Table cells of the Jobs screen, made by the one {@link TableCells} factory: the state badge, the recipient's
 * delivery status, the reply code with its enhanced status, and exact times with a relative-time tooltip.
 */
final class JobCells {

    private JobCells() {
    }

    static <S> TableCells<S, JobState> stateBadge() {
        return TableCells.<S, JobState>text(JobQueries::title).asBadge(Styles::showState);
    }

    static <S> TableCells<S, Instant> time(Supplier<ZoneId> zone, Supplier<Instant> now) {
        return TableCells.<S, Instant>text(time -> JobTimes.compact(time, zone.get()))
                .withTooltip(time -> JobTimes.exact(time, zone.get()) + " · " + JobTimes.relative(time, now.get()));
    }

    /** "sent", "deferred", "bounced"... coloured like the states they follow from. */
    static <S> TableCells<S, RecipientStatus> recipientStatus() {
        return TableCells.<S, RecipientStatus>text(RecipientStatus::label).withStyleClass(status -> "delivery-" + status.label());
    }

    /** "550 5.1.1", with the whole reply and RFC 3463's meaning of the enhanced status in the tooltip. */
    static <S> TableCells<S, S> replyStatus(Function<S, Integer> code, Function<S, String> reply) {
        return TableCells.<S, S>text(item -> ReplyStatus.of(code.apply(item), reply.apply(item)))
                .withWrappedTooltip(item -> {
                    String text = ReplyStatus.of(code.apply(item), reply.apply(item));
                    String meaning = ReplyStatus.meaning(reply.apply(item));
                    return (meaning.isEmpty() ? "" : text + ": " + meaning + "\n") + reply.apply(item);
                }, 480);
    }
}
