package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.hosts.HostStatus;
import dev.jobdeck.ui.fx.Styles;
import dev.jobdeck.ui.fx.JobTimes;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import java.util.function.Supplier;

/** Table cells of the Hosts screen: the colour-coded state chip, times with a relative tooltip, plain text with a tooltip. */
final class HostCells {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private HostCells() {
    }

    static <S> TableCell<S, HostStatus.State> stateChip() {
        return new TableCell<>() {
            private final Label chip = new Label();

            {
                chip.getStyleClass().add(Styles.STATE_BADGE);
                setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
            }

            @Override
            protected void updateItem(HostStatus.State state, boolean empty) {
                super.updateItem(state, empty);
                if (empty || state == null) {
                    setGraphic(null);
                    setText(null);
                    return;
                }
                chip.setText(HostTexts.state(state));
                Styles.showHostState(chip, state);
                // Text too, so that tests and screen readers read the state from the cell itself.
                setText(chip.getText());
                setGraphic(chip);
            }
        };
    }

    /** The time of day (with the date when not today); "3 s ago" in the tooltip, worked out when it is shown. */
    static <S> TableCell<S, Instant> time(Supplier<ZoneId> zone, Supplier<Instant> now) {
        return new TableCell<>() {
            private final Tooltip tooltip = new Tooltip();
            private Instant shownTime;

            {
                tooltip.setOnShowing(event -> tooltip.setText(JobTimes.relative(shownTime, now.get())
                        + " · " + JobTimes.exact(shownTime, zone.get())));
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
                boolean today = time.atZone(zone.get()).toLocalDate().equals(now.get().atZone(zone.get()).toLocalDate());
                setText(today ? TIME.format(time.atZone(zone.get())) : JobTimes.exact(time, zone.get()));
                setTooltip(tooltip);
            }
        };
    }

    /** Text that may be longer than its column: the whole of it in a tooltip. */
    static <S> TableCell<S, String> longText() {
        return new TableCell<>() {
            private final Tooltip tooltip = new Tooltip();

            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                if (empty || text == null || text.isEmpty()) {
                    setText(null);
                    setTooltip(null);
                    return;
                }
                setText(text);
                tooltip.setText(text);
                setTooltip(tooltip);
            }
        };
    }

    /** A cell whose text is worked out from the row's value by {@code format}. */
    static <S, T> TableCell<S, T> formatted(Function<T, String> format) {
        return new TableCell<>() {
            @Override
            protected void updateItem(T value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty || value == null ? null : format.apply(value));
            }
        };
    }
}
