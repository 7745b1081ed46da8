package dev.jobdeck.ui.hosts;

import dev.jobdeck.core.hosts.HostStatus;
import dev.jobdeck.ui.fx.JobTimes;
import dev.jobdeck.ui.fx.Styles;
import dev.jobdeck.ui.fx.TableCells;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Table cells of the Hosts screen, made by the one {@link TableCells} factory: the colour-coded state chip, times with
 * a relative tooltip, plain text with a tooltip.
 */
final class HostCells {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private HostCells() {
    }

    static <S> TableCells<S, HostStatus.State> stateChip() {
        return TableCells.<S, HostStatus.State>text(HostTexts::state).asBadge(Styles::showHostState);
    }

    /** The time of day (with the date when not today); "3 s ago" in the tooltip, worked out when it is shown. */
    static <S> TableCells<S, Instant> time(Supplier<ZoneId> zone, Supplier<Instant> now) {
        return TableCells.<S, Instant>text(time -> {
            boolean today = time.atZone(zone.get()).toLocalDate().equals(now.get().atZone(zone.get()).toLocalDate());
            return today ? TIME.format(time.atZone(zone.get())) : JobTimes.exact(time, zone.get());
        }).withTooltip(time -> JobTimes.relative(time, now.get()) + " · " + JobTimes.exact(time, zone.get()));
    }

    /** Text that may be longer than its column: the whole of it in a tooltip. */
    static <S> TableCells<S, String> longText() {
        return TableCells.<S, String>text(Function.identity()).withTooltip(Function.identity());
    }

    /** A cell whose text is worked out from the row's value by {@code format}. */
    static <S, T> TableCells<S, T> formatted(Function<T, String> format) {
        return TableCells.text(format);
    }
}
