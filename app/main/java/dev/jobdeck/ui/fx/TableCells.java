package dev.jobdeck.ui.fx;

import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;
import javafx.util.Callback;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The one table-cell factory of the screens (decision 46): a cell shows a text worked out from its value and, as
 * asked, a tooltip (worked out again each time it shows, so "3 s ago" is never stale), a state badge as its graphic,
 * or a style class that follows the value. An empty cell, a {@code null} value or an empty text shows nothing.
 * Immutable: each {@code with…} returns a new factory, so one can serve several columns.
 * <pre>{@code
 * column.setCellFactory(TableCells.<JobRow, Instant>text(t -> JobTimes.compact(t, zone)).withTooltip(t -> ...));
 * }</pre>
 * The Jobs screen's cells are in {@code ui.jobs.JobCells}; {@code ui.hosts.HostCells} still has the older shape
 * (an anonymous {@code TableCell} per kind) and moves to this one the same way.
 */
public final class TableCells<S, T> implements Callback<TableColumn<S, T>, TableCell<S, T>> {

    private final Function<? super T, String> text;
    private final Function<? super T, String> tooltip;
    private final double tooltipWidth;
    private final BiConsumer<? super Node, ? super T> badge;
    private final Function<? super T, String> styleClass;

    private TableCells(Function<? super T, String> text, Function<? super T, String> tooltip, double tooltipWidth,
                       BiConsumer<? super Node, ? super T> badge, Function<? super T, String> styleClass) {
        this.text = text;
        this.tooltip = tooltip;
        this.tooltipWidth = tooltipWidth;
        this.badge = badge;
        this.styleClass = styleClass;
    }

    /** Cells showing {@code text} of their value. */
    public static <S, T> TableCells<S, T> text(Function<? super T, String> text) {
        return new TableCells<>(text, null, 0, null, null);
    }

    /** Also a tooltip, worked out when the cell is filled and again whenever the tooltip shows. */
    public TableCells<S, T> withTooltip(Function<? super T, String> newTooltip) {
        return new TableCells<>(text, newTooltip, tooltipWidth, badge, styleClass);
    }

    /** A tooltip that wraps at {@code maxWidth} pixels, for long texts such as an SMTP reply. */
    public TableCells<S, T> withWrappedTooltip(Function<? super T, String> newTooltip, double maxWidth) {
        return new TableCells<>(text, newTooltip, maxWidth, badge, styleClass);
    }

    /**
     * Shows the text as a badge ({@link Styles#STATE_BADGE}), styled for the value by {@code style} (a pseudo-class);
     * the cell keeps the text too, so tests and screen readers read it from the cell itself.
     */
    public TableCells<S, T> asBadge(BiConsumer<? super Node, ? super T> style) {
        return new TableCells<>(text, tooltip, tooltipWidth, style, styleClass);
    }

    /** Adds the style class {@code styleClass} gives for the value (and removes the one it gave the previous value). */
    public TableCells<S, T> withStyleClass(Function<? super T, String> newStyleClass) {
        return new TableCells<>(text, tooltip, tooltipWidth, badge, newStyleClass);
    }

    @Override
    public TableCell<S, T> call(TableColumn<S, T> column) {
        return new Cell();
    }

    /** Fills the column from a string of each row. */
    public static <S> void showText(TableColumn<S, String> column, Function<S, String> getter) {
        column.setCellValueFactory(cell -> Bindings.createStringBinding(() -> getter.apply(cell.getValue())));
    }

    /** Fills the column from a value of each row, for a cell factory to show. */
    public static <S, V> void showValue(TableColumn<S, V> column, Function<S, V> getter) {
        column.setCellValueFactory(cell -> Bindings.createObjectBinding(() -> getter.apply(cell.getValue())));
    }

    private final class Cell extends TableCell<S, T> {

        private final Tooltip tip = tooltip == null ? null : new Tooltip();
        private final Label badgeLabel = badge == null ? null : new Label();
        private String addedStyleClass;
        private T shown;

        Cell() {
            if (tip != null) {
                // Worked out when shown: rows that did not change keep their cells, so a text set in updateItem
                // would still say "just now" an hour later.
                tip.setOnShowing(event -> {
                    if (shown != null) {
                        tip.setText(tooltip.apply(shown));
                    }
                });
                if (tooltipWidth > 0) {
                    tip.setWrapText(true);
                    tip.setMaxWidth(tooltipWidth);
                }
            }
            if (badgeLabel != null) {
                badgeLabel.getStyleClass().add(Styles.STATE_BADGE);
                setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
            }
        }

        @Override
        protected void updateItem(T item, boolean empty) {
            super.updateItem(item, empty);
            if (addedStyleClass != null) {
                getStyleClass().remove(addedStyleClass);
                addedStyleClass = null;
            }
            String shownText = empty || item == null ? null : text.apply(item);
            if (shownText == null || shownText.isEmpty()) {
                shown = null;
                setText(null);
                setGraphic(null);
                setTooltip(null);
                return;
            }
            shown = item;
            setText(shownText);
            if (badgeLabel != null) {
                badgeLabel.setText(shownText);
                badge.accept(badgeLabel, item);
                setGraphic(badgeLabel);
            }
            if (tip != null) {
                tip.setText(tooltip.apply(item));
                setTooltip(tip);
            }
            if (styleClass != null) {
                addedStyleClass = styleClass.apply(item);
                getStyleClass().add(addedStyleClass);
            }
        }
    }
}
