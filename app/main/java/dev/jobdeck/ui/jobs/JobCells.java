package dev.jobdeck.ui.jobs;

import dev.jobdeck.core.jobs.JobQueries;
import dev.jobdeck.core.jobs.RecipientStatus;
import dev.jobdeck.core.jobs.ReplyStatus;
import dev.jobdeck.ui.Styles;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import org.jobrunr.jobs.states.StateName;

import java.time.Instant;
import java.time.ZoneId;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Table cells of the Jobs screen: the state badge, the recipient's delivery status, the reply code with its
 * enhanced status, and exact times with a relative-time tooltip.
 */
final class JobCells {

    private JobCells() {
    }

    static <S> TableCell<S, StateName> stateBadge() {
        return new TableCell<>() {
            private final Label badge = new Label();

            {
                badge.getStyleClass().add(Styles.STATE_BADGE);
                setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
            }

            @Override
            protected void updateItem(StateName state, boolean empty) {
                super.updateItem(state, empty);
                if (empty || state == null) {
                    setGraphic(null);
                    setText(null);
                    return;
                }
                badge.setText(JobQueries.title(state));
                Styles.showState(badge, state);
                // Text too, so that tests and screen readers read the state from the cell itself.
                setText(badge.getText());
                setGraphic(badge);
            }
        };
    }

    static <S> TableCell<S, Instant> time(Supplier<ZoneId> zone, Supplier<Instant> now) {
        return new TableCell<>() {
            private final Tooltip tooltip = new Tooltip();
            private Instant shownTime;

            {
                // Worked out when shown: rows that did not change keep their cells, so text set in
                // updateItem would still say "just now" an hour later.
                tooltip.setOnShowing(event -> tooltip.setText(JobTimes.exact(shownTime, zone.get()) + " · "
                        + JobTimes.relative(shownTime, now.get())));
            }

            @Override
            protected void updateItem(Instant time, boolean empty) {
                super.updateItem(time, empty);
                if (empty || time == null) {
                    setText(null);
                    setTooltip(null);
                    return;
                }
                shownTime = time;
                setText(JobTimes.compact(time, zone.get()));
                tooltip.setText(JobTimes.exact(time, zone.get()) + " · " + JobTimes.relative(time, now.get()));
                setTooltip(tooltip);
            }
        };
    }

    /** "sent", "deferred", "bounced"... coloured like the states they follow from. */
    static <S> TableCell<S, RecipientStatus> recipientStatus() {
        return new TableCell<>() {
            @Override
            protected void updateItem(RecipientStatus status, boolean empty) {
                super.updateItem(status, empty);
                getStyleClass().removeIf(style -> style.startsWith("delivery-"));
                if (empty || status == null) {
                    setText(null);
                    return;
                }
                setText(status.label());
                getStyleClass().add("delivery-" + status.label());
            }
        };
    }

    /** "550 5.1.1", with the whole reply and RFC 3463's meaning of the enhanced status in the tooltip. */
    static <S> TableCell<S, S> replyStatus(Function<S, Integer> code, Function<S, String> reply) {
        return new TableCell<>() {
            private final Tooltip tooltip = new Tooltip();

            {
                tooltip.setWrapText(true);
                tooltip.setMaxWidth(480);
            }

            @Override
            protected void updateItem(S item, boolean empty) {
                super.updateItem(item, empty);
                String text = empty || item == null ? "" : ReplyStatus.of(code.apply(item), reply.apply(item));
                if (text.isEmpty()) {
                    setText(null);
                    setTooltip(null);
                    return;
                }
                setText(text);
                String meaning = ReplyStatus.meaning(reply.apply(item));
                tooltip.setText((meaning.isEmpty() ? "" : text + ": " + meaning + "\n") + reply.apply(item));
                setTooltip(tooltip);
            }
        };
    }
}
